#!/usr/bin/env python3
"""Reads colorize-eval's JSON for the report scripts (quality-report.sh, temporal-report.sh).

    eval_json.py sources EVAL.json                      the evaluated sources, one path a line
    eval_json.py per-source BASELINE.json MODEL.json    Markdown rows: each source, gray / baseline / model
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


def temporal_row(path, clip, mode):
    j = load(path)
    r, t = j["model_result"], j["truth"]
    print(f"| {clip} | {mode} | {r['flicker_ratio']:.2f} | {r['flicker_warped']:.2f} | {t['flicker_warped']:.2f} "
          f"| {r['colourfulness_ratio']:.3f} | {r['ab_l1']:.2f} |")


COMMANDS = {"sources": (sources, 1), "per-source": (per_source, 2), "temporal-row": (temporal_row, 3)}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or len(sys.argv) != 2 + COMMANDS[sys.argv[1]][1]:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]][0](*sys.argv[2:])
