#!/usr/bin/env python3
"""scripts/jit-spill-check.py with the GEMM micro-kernel's defaults (docs/KERNELS.md, "The slow mode").

Usage: scripts/gemm-spill-check.py [--runs 20] [--method kernel6] [--jar target/weightnorm4j-all.jar]
                                   [--java-opt OPT]... [-- bench gemm --sizes 1024 --threads 1]
"""
import argparse
import importlib.util
import os

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('jit_spill_check', os.path.join(here, 'jit-spill-check.py'))
jit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(jit)

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--runs', type=int, default=20)
ap.add_argument('--method', default='kernel6', help='PanamaGemm method to inspect')
ap.add_argument('--jar', default='target/weightnorm4j-all.jar')
ap.add_argument('--java-opt', action='append', default=[], help='extra JVM option (repeatable)')
ap.add_argument('command', nargs='*', default=['bench', 'gemm', '--sizes', '1024', '--threads', '1'])
args = ap.parse_args()
jit.spill_check(args.runs, ['org.weightnorm4j.tensor.PanamaGemm::' + args.method],
                ['-jar', args.jar, *args.command], args.java_opt)
