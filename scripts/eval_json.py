#!/usr/bin/env python3
"""Reads colorize-eval's JSON for the report scripts (quality-report.sh, temporal-report.sh).

    eval_json.py sources EVAL.json                      the evaluated sources, one path a line
    eval_json.py per-source BASELINE.json MODEL.json    Markdown rows: each source, gray / baseline / model
    eval_json.py categories BASELINE.json MODEL.json    Markdown rows: each category, gray / baseline / model
    eval_json.py category-sources EVAL.json CATEGORY    the category's still images, one path a line
    eval_json.py temporal-row EVAL.json CLIP MODE       one Markdown row of the temporal table
"""
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def sources(path):
    print("\n".join(load(path)["sources"]))


def per_source(baseline_path, candidate_path):
    baseline = {s["source"]: s for s in load(baseline_path)["per_source"]}
    for c in load(candidate_path)["per_source"]:
        b = baseline[c["source"]]  # both evaluated the same split of the same data
        print(f"| {os.path.basename(c['source'])} | {c['frames']} | {c['gray_baseline']['ab_l1']:.2f} | "
              f"{b['model_result']['ab_l1']:.2f} | {c['model_result']['ab_l1']:.2f} | "
              f"{b['model_result']['psnr_db']:.2f} | {c['model_result']['psnr_db']:.2f} |")


def category_figures(sources):
    """Each source weighs alike (a held-out video counts as one source, as a photograph does)."""
    n = len(sources)
    mean = lambda f: sum(f(s) for s in sources) / n
    truth_colour = mean(lambda s: s["truth"]["colourfulness"])
    truth_central = mean(lambda s: s["truth"]["central_chroma"])
    figures = {"sources": n, "gray": mean(lambda s: s["gray_baseline"]["ab_l1"]),
               "truth_a": mean(lambda s: s["truth"]["mean_a"]), "truth_b": mean(lambda s: s["truth"]["mean_b"])}
    model = lambda key: mean(lambda s: s["model_result"][key])
    figures["ab_l1"] = model("ab_l1")
    figures["better"] = mean(lambda s: 1.0 if s["model_result"]["ab_l1"] < s["gray_baseline"]["ab_l1"] else 0.0)
    figures["colour_ratio"] = model("colourfulness") / truth_colour if truth_colour else 0.0
    figures["central_ratio"] = model("central_chroma") / truth_central if truth_central else 0.0
    figures["a"], figures["b"] = model("mean_a"), model("mean_b")
    return figures


def by_category(path):
    groups = {}
    for s in load(path)["per_source"]:
        groups.setdefault(s.get("category", "all"), []).append(s)
    return {name: category_figures(sources) for name, sources in groups.items()}


def categories(baseline_path, candidate_path):
    baseline, candidate = by_category(baseline_path), by_category(candidate_path)
    for name, c in candidate.items():
        b = baseline[name]  # both evaluated the same split of the same data
        print(f"| {name} | {c['sources']} | {c['gray']:.2f} | {b['ab_l1']:.2f} ({b['ab_l1'] / c['gray']:.2f}) | "
              f"{c['ab_l1']:.2f} ({c['ab_l1'] / c['gray']:.2f}) | {100 * b['better']:.0f}% | {100 * c['better']:.0f}% | "
              f"{b['colour_ratio']:.2f} | {c['colour_ratio']:.2f} | {b['central_ratio']:.2f} | {c['central_ratio']:.2f} | "
              f"({c['truth_a']:.1f}, {c['truth_b']:.1f}) | ({b['a']:.1f}, {b['b']:.1f}) | ({c['a']:.1f}, {c['b']:.1f}) |")


def category_sources(path, category):
    for s in load(path)["per_source"]:
        if s.get("category") == category and s["videos"] == 0:
            print(s["source"])


def temporal_row(path, clip, mode):
    j = load(path)
    r, t = j["model_result"], j["truth"]
    print(f"| {clip} | {mode} | {r['flicker_ratio']:.2f} | {r['flicker_warped']:.2f} | {t['flicker_warped']:.2f} "
          f"| {r['colourfulness_ratio']:.3f} | {r['ab_l1']:.2f} |")


COMMANDS = {"sources": (sources, 1), "per-source": (per_source, 2), "categories": (categories, 2),
            "category-sources": (category_sources, 2), "temporal-row": (temporal_row, 3)}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or len(sys.argv) != 2 + COMMANDS[sys.argv[1]][1]:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]][0](*sys.argv[2:])
