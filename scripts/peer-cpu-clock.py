#!/usr/bin/env python3
"""Runs a benchmark peer (shared/bench/torch_*_peer.py) with its step clock, time.perf_counter,
replaced by the process CPU clock, time.process_time: on a loaded machine other processes then do
not inflate its step times. Process-wide, so only meaningful with --threads 1 and
OPENBLAS_NUM_THREADS=1 (torch.set_num_threads does not reach Debian's OpenBLAS, which otherwise
runs its GEMMs on every core). Compare with `weightnorm bench vae --clock cpu --threads 1`.

  OPENBLAS_NUM_THREADS=1 python3 scripts/peer-cpu-clock.py ../shared/bench/torch_vae_peer.py --threads 1
"""
import runpy
import sys
import time

if len(sys.argv) < 2:
    sys.exit("usage: peer-cpu-clock.py PEER_SCRIPT [peer options]")
time.perf_counter = time.process_time
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
