#!/usr/bin/env python3
"""Synthetic held-out-like series for the detector core: false alerts and detections on shapes of
real operational series that nobody tuned for (no NAB data: generated here, fixed seeds).

  python3 scripts/nab-synthetic.py [--java-cp pipeline/target/llm-pipeline.jar] [--set k=v ...]

39 series in NAB's format (5-minute rows unless said): a flat line, a perfect square wave, a
noise-free and a noisy daily curve, Gaussian noise, EC2-like bursty CPU (log-normal bursts in 3%
of rows), the same with a step that stays or a hot spell, Twitter-like counts (daily curve,
Pareto(1.5) bursts in 1% of rows, a +400 burst), sparse integer counts, a slow +30% drift, a
random walk, daily+weekly counts (30-minute rows), AR(1) noise, regime shifts; 3 seeds each.
Labelled windows are NAB-sized (10% of the rows over the anomalies, centred). Scored with the
NAB scorer shipped in ../shared/nab (score.py only: its data is not read). The generator encodes
assumptions (how heavy a normal burst is), so read it as a check of mechanisms, not as a target.
"""

import argparse
import importlib.util
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta


def generate(root):
    os.makedirs(root + "/data/synth", exist_ok=True)
    os.makedirs(root + "/labels", exist_ok=True)
    labels = {}

    def write(name, vals, anomalies, step=300, start=datetime(2014, 4, 1)):
        n = len(vals)
        ts = [start + timedelta(seconds=step * i) for i in range(n)]
        with open(f"{root}/data/synth/{name}.csv", "w") as f:
            f.write("timestamp,value\n")
            for t, v in zip(ts, vals):
                f.write(f"{t:%Y-%m-%d %H:%M:%S},{v}\n")
        wins = []
        if anomalies:
            w = int(0.1 * n / len(anomalies))
            for a in anomalies:
                s, e = max(0, a - w // 2), min(n - 1, a + w // 2)
                wins.append([f"{ts[s]:%Y-%m-%d %H:%M:%S}.000000", f"{ts[e]:%Y-%m-%d %H:%M:%S}.000000"])
        labels[f"synth/{name}.csv"] = wins

    def daily(i,per=288): return math.sin(2*math.pi*i/per)
    for seed in range(3):
        R=random.Random(seed); N=4032; sfx=f'_{seed}'
        # flatline, square wave, no-noise sine (artificialNoAnomaly-like)
        if seed==0:
            write('flatline',[55.0]*N,[])
            write('square_wave',[80.0 if (i%288)<144 else 20.0 for i in range(N)],[])
            write('daily_no_noise',[round(50+30*daily(i),3) for i in range(N)],[])
        write('daily_small_noise'+sfx,[round(50+30*daily(i)+R.gauss(0,1.5),3) for i in range(N)],[])
        write('noisy'+sfx,[round(R.gauss(20,5),3) for i in range(N)],[])
        # EC2 cpu: low base, lognormal bursts, quantised
        def cpu(i): 
            v=2.0+0.3*R.gauss(0,1)+ (R.lognormvariate(1.5,0.8) if R.random()<0.03 else 0)
            return round(max(0.5,v),3)
        write('ec2_cpu_bursty'+sfx,[cpu(i) for i in range(N)],[])
        # EC2 cpu: step up at 2/3 and stay (one anomaly)
        a=int(N*0.65)
        write('ec2_cpu_step'+sfx,[cpu(i)+(25 if i>=a else 0) for i in range(N)],[a])
        # spike anomaly on bursty-ish series: a sustained high
        a=int(N*0.7)
        write('ec2_cpu_hot'+sfx,[cpu(i)+(60 if a<=i<a+20 else 0) for i in range(N)],[a])
        # twitter volume: counts, daily season, heavy tail, 15800 rows
        M=15800; a=int(M*0.75)
        def tw(i):
            lam=30*(1+0.6*daily(i))
            v=max(0,int(R.gauss(lam,math.sqrt(lam))))
            if R.random()<0.01: v+=int(lam*(R.paretovariate(1.5)-1))
            if a<=i<a+12: v+=400
            return v
        write('twitter_volume'+sfx,[tw(i) for i in range(M)],[a])
        # sparse integer counts
        write('sparse_counts'+sfx,[ (R.choice([1,1,1,2,3]) if R.random()<0.05 else 0) for i in range(N)],[])
        # slow drift +30% over the series
        write('slow_drift'+sfx,[round(100*(1+0.3*i/N)+R.gauss(0,3),3) for i in range(N)],[])
        # random walk
        x=50; rw=[]
        for i in range(N): x+=R.gauss(0,0.5); rw.append(round(x,3))
        write('random_walk'+sfx,rw,[])
        # daily+weekly (taxi-like, 30-min) with no anomalies
        T=10320
        write('daily_weekly'+sfx,[round(max(0,15000*(1+0.7*daily(i,48))*(0.6 if (i//48)%7 in (5,6) else 1.0)+R.gauss(0,600))) for i in range(T)],[],step=1800)
        # AR(1) noise with variance change anomaly? keep FP-only
        y=0; ar=[]
        for i in range(N): y=0.9*y+R.gauss(0,1); ar.append(round(10+y,3))
        write('ar1'+sfx,ar,[])
        # rds-like cpu with a few regime shifts (level shifts, then stay): each a labelled anomaly
        lv=[20,35,25]; cut=[0,int(N*0.4),int(N*0.75)]
        vals=[]
        for i in range(N):
            k=sum(1 for c in cut if i>=c)-1
            vals.append(round(lv[k]+R.gauss(0,1.5)+(R.expovariate(0.3) if R.random()<0.02 else 0),3))
        write('rds_regimes'+sfx,vals,cut[1:])
    with open(root + "/labels/combined_windows.json", "w") as f:
        json.dump(labels, f, indent=1)
    return sorted(labels)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nab", default=os.path.join(root, "..", "shared", "nab"), help="for score.py")
    ap.add_argument("--java-cp", default=os.path.join(root, "pipeline", "target", "llm-pipeline.jar"))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("nab_score", os.path.join(args.nab, "score.py"))
    sc = importlib.util.module_from_spec(spec)
    sys.modules["nab_score"] = sc
    spec.loader.exec_module(sc)
    with tempfile.TemporaryDirectory() as tmp:
        data, out = os.path.join(tmp, "nab"), os.path.join(tmp, "out")
        keys = generate(data)
        cmd = ["java", "-cp", args.java_cp, "io.llmobserve.pipeline.Main", "replay",
               *[os.path.join(data, "data", k) for k in keys], "--out", out]
        for s in args.set:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        labels = sc.load_labels(data)
        cost = sc.BUILTIN_PROFILES["standard"]
        res = sc.evaluate(data, out, keys, labels, column="alert", thresholds={"standard": 0.5},
                          profiles={"standard": cost})
    for k in keys:
        fs = res["files"][k]["standard"]
        if fs.fp or fs.detected != fs.windows:
            print(f"  {k:36} windows {fs.windows} detected {fs.detected} fp {fs.fp} raw {fs.score:+.3f}")
    s = res["summary"]["standard"]
    print(f"synthetic: normalized standard = {s['normalized']:.2f}  detected {s['detected']}/{s['windows']} "
          f"windows, {s['fp_events']} false-positive alerts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
