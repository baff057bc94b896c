#!/usr/bin/env python3
"""Runs GemmCodeProbe (eight identical copies of the AVX2 GEMM kernel, timed in turn in one JVM)
with each copy's machine code dumped, and prints per copy: where its FMA loop starts and ends
(address mod 64), how many 64-byte lines the loop touches, and its speed relative to the round's
median (median, first and third quartile over the rounds). Diagnostic for issue 21: does the
speed depend on the loop's placement in the code cache?

Usage: scripts/probes/gemm-code-placement.py CLASSDIR [n] [rounds] [extra java options...]
(CLASSDIR holds GemmCodeProbe and GemmOffsetProbe compiled with javac against the jar.)
"""
import importlib.util
import json
import os
import statistics as st
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('jsc', os.path.join(here, '..', 'jit-spill-check.py'))
jsc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(jsc)

cls, n, rounds, extra = sys.argv[1], (sys.argv[2:3] or ['1024'])[0], (sys.argv[3:4] or ['21'])[0], sys.argv[4:]
cmd = ['java', '--add-modules', 'jdk.incubator.vector', '-XX:+UnlockDiagnosticVMOptions', '-XX:CompileCommand=quiet',
       '-XX:CompileCommand=dontinline,GemmCodeProbe::kernel6_*', '-XX:CompileCommand=print,GemmCodeProbe::kernel6_*',
       *extra, '-cp', cls, 'GemmCodeProbe', n, rounds]
out = subprocess.run(cmd, capture_output=True, text=True).stdout
rows = [json.loads(l) for l in out.splitlines() if l.startswith('{"n"')]
R = len(rows[0]['rounds'])
meds = [st.median(r['rounds'][i] for r in rows) for i in range(R)]
for r in rows:
    copy = r['set']
    loops = []
    for header, code, base in jsc.c2_methods(out, 'GemmCodeProbe::kernel6_%d' % copy):
        if '%' in header.split('::')[0]:
            continue                      # OSR
        insns = jsc.disassemble(code, base)
        body = jsc.inner_loop(insns)
        if body:
            addrs = [a for a, t in insns if t in body]
            start = min(a for a, t in insns if t == body[0])
            end = max(a for a, t in insns if t == body[-1])
            loops.append((start % 64, end % 64, end // 64 - start // 64 + 1, len(body)))
    rel = sorted(x / m for x, m in zip(r['rounds'], meds))
    print('copy %d: loop start mod 64 %s | median %.1f GFLOP/s, rel %.3f (q1 %.3f, q3 %.3f)' % (
        copy, ' '.join('%d..%d (%d lines, %d insns)' % l for l in loops) or '?', r['gflops_median'],
        st.median(rel), rel[R // 4], rel[3 * R // 4]))
