#!/usr/bin/python3
"""Plots a colorize-train metrics.csv: losses, and validation ab L1 and PSNR beside the gray baseline.

    /usr/bin/python3 scripts/plot_metrics.py RUN/metrics.csv [OUT.png]     (Debian's python3-matplotlib)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def column(rows, name):
    pts = [(float(r["step"]), float(r[name])) for r in rows if r.get(name)]
    return [p[0] for p in pts], [p[1] for p in pts]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else path.rsplit(".", 1)[0] + ".png"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for name, label in (("loss_g_l1", "G L1 (ab / 110)"), ("loss_d", "D"), ("loss_g_gan", "G cGAN")):
        axes[0 if name == "loss_g_l1" else 1].plot(*column(rows, name), label=label)
    axes[0].set_title("generator L1")
    axes[1].set_title("adversarial losses")
    for name, label in (("val_ab_l1", "model"), ("gray_ab_l1", "gray baseline")):
        axes[2].plot(*column(rows, name), marker="o", label=label)
    axes[2].set_title("validation ab L1 (Lab units, lower is better)")
    for ax in axes:
        ax.set_xlabel("step")
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(out)


if __name__ == "__main__":
    main()
