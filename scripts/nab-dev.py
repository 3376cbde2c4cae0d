#!/usr/bin/env python3
"""NAB DEV figures of the detector core: the all-in score of the shipped defaults and the
leave-one-file-out (LOFO) score of the tuning procedure.

  python3 scripts/nab-dev.py [--nab ../shared/nab] [--java-cp pipeline/target/llm-pipeline.jar]

All-in: the replay's defaults (no --set), scored by the NAB scorer shipped with the data.
LOFO: for each of the 9 DEV files, pick the grid point (GRID below, defaults included) with the
best normalised standard score on the OTHER 8 files (ties -> the simpler point: fewer changed
settings, then grid order), score it on the held-out file; the held-out raw scores are summed
and normalised like one NAB run. It estimates what the tuning is worth on unseen series; a big
gap between all-in and LOFO means the grid overfits. Only ../shared/nab is read.

The grid is small on purpose: one fixed setting has to generalise.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import subprocess
import sys
import tempfile

# Each point: settings changed from the defaults (replay --set keys).
AXES = {
    "threshold": ["3", "4", "5"],
    "clear.threshold": ["1", "1.3", "2"],
}
GRID = [dict()] + [
    {k: v for k, v in zip(AXES, combo)} for combo in itertools.product(*AXES.values())
]


def load_scorer(nab: str):
    spec = importlib.util.spec_from_file_location("nab_score", os.path.join(nab, "score.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules["nab_score"] = mod
    spec.loader.exec_module(mod)
    return mod


def run_replay(java_cp: str, files: list[str], out: str, settings: dict) -> None:
    cmd = ["java", "-Xss4m", "-cp", java_cp, "io.llmobserve.pipeline.Main", "replay", *files, "--out", out]
    for k, v in settings.items():
        cmd += ["--set", f"{k}={v}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nab", default=os.path.join(root, "..", "shared", "nab"))
    ap.add_argument("--java-cp", default=os.path.join(root, "pipeline", "target", "llm-pipeline.jar"))
    ap.add_argument("--grid", choices=("small", "none"), default="small",
                    help="none: all-in score of the defaults only")
    args = ap.parse_args()

    sc = load_scorer(args.nab)
    labels = sc.load_labels(args.nab)
    keys = sc.expand_subset(sc.SUBSETS["DEV"], labels)
    files = [os.path.join(args.nab, "data", k) for k in keys]
    cost = sc.BUILTIN_PROFILES["standard"]
    series = {k: sc.load_series(args.nab, k, labels) for k in keys}

    grid = GRID if args.grid == "small" else [dict()]
    # raw[g][key] = (raw score, FileScore)
    raw: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for g, settings in enumerate(grid):
            out = os.path.join(tmp, f"g{g}")
            run_replay(args.java_cp, files, out, settings)
            res = sc.evaluate(args.nab, out, keys, labels, column="alert",
                              thresholds={"standard": 0.5}, profiles={"standard": cost},
                              series_cache=series)
            raw.append({k: res["files"][k]["standard"] for k in keys})
            if g == 0:
                s = res["summary"]["standard"]
                print(f"all-in (defaults): normalized standard = {s['normalized']:.2f}  "
                      f"detected {s['detected']}/{s['windows']} windows, "
                      f"{s['fp_events']} false-positive alerts")
                for k in keys:
                    fs = raw[0][k]
                    print(f"  {k:58} windows {fs.windows} detected {fs.detected} fp {fs.fp:3d} "
                          f"raw {fs.score:+.3f}")

    def normalised(files_scores) -> float:
        return sc.summarise(list(files_scores), cost)["normalized"]

    if len(grid) > 1:
        best_all = max(range(len(grid)), key=lambda g: (round(normalised(raw[g].values()), 6), -len(grid[g]), -g))
        print(f"best grid point on all 9 files (for reference, NOT shipped unless it is the "
              f"defaults): {grid[best_all] or 'defaults'} = {normalised(raw[best_all].values()):.2f}")
        held = []
        for k in keys:
            others = [o for o in keys if o != k]
            pick = max(range(len(grid)),
                       key=lambda g: (round(normalised(raw[g][o] for o in others), 6), -len(grid[g]), -g))
            held.append(raw[pick][k])
            print(f"  LOFO held out {k:50} tuned {grid[pick] or 'defaults'} -> raw {raw[pick][k].score:+.3f}")
        s = sc.summarise(held, cost)
        print(f"leave-one-file-out: normalized standard = {s['normalized']:.2f}  "
              f"detected {s['detected']}/{s['windows']} windows, {s['fp_events']} false-positive alerts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
