#!/usr/bin/env python3
"""Reads the JSON lines of GemmOffsetProbe or GemmCodeProbe on stdin and prints, per variant
("set"), its GFLOP/s relative to the median of all variants in the same round: the median over
the rounds and the first and third quartile. A variant that is slower for what it is (not for
the host's load at the time) stays below 1 in every round.

  java ... GemmOffsetProbe 1024 11 b | scripts/probes/rel-to-round.py
"""
import json
import statistics as st
import sys

rows = [json.loads(l) for l in sys.stdin if l.startswith('{')]
R = len(rows[0]['rounds'])
meds = [st.median(r['rounds'][i] for r in rows) for i in range(R)]
for r in rows:
    rel = sorted(r['rounds'][i] / meds[i] for i in range(R))
    label = r.get('blocking', r.get('shifted', ''))
    print('%s %s: median %.1f GFLOP/s, rel %.3f (q1 %.3f, q3 %.3f)' % (
        label, r['set'], r['gflops_median'], st.median(rel), rel[R // 4], rel[3 * R // 4]))
