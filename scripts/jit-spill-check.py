#!/usr/bin/env python3
"""Runs a Java command in N separate JVMs and reports, for each, whether C2 kept a register-tiled
kernel's accumulators in registers (no stack access in its FMA loop), and the speed the run printed.

Why: a micro-kernel that needs nearly all 16 ymm registers may be compiled with a stack spill
inside its FMA loop in some JVM runs and not in others (docs/KERNELS.md, "The slow mode"). This
dumps the kernel's machine code with -XX:CompileCommand=print (hex without hsdis), disassembles
every C2 compilation of it with objdump, finds the inner loop (the backward branch whose body
holds the FMAs) and counts stack accesses ("(%rsp)") and ymm register copies inside it. The
verdict is on the normal C2 compilation, which every call runs once it exists; an OSR compilation
(entered from the interpreter's frame, with its vectors boxed) only finishes the call that was
running when it was made, and is listed but not judged.

The kernel is named as the JVM prints it, `package.Class::method` (a nested class with `$`, e.g.
`org.weightnorm4j.tensor.ChannelVectorConv$Job::tile2x6`); the command is the java arguments after
the JVM options (`-jar JAR args...` or `-cp PATH Main args...`). The speed is read from JSON lines
on stdout: each line's `gflops_median`, `sequences_per_s_median`, `images_per_s_median` or `median`, labelled by its `m`.
If the kernel was inlined into its caller, name the caller too (--method is repeatable): the loop
is looked for in every C2 compilation of every named method.

Usage: scripts/jit-spill-check.py [--runs 20] --method org.weightnorm4j.tensor.PanamaGemm::kernel6
                                  [--java-opt OPT]... [-- -jar target/weightnorm4j-all.jar bench gemm]
(scripts/gemm-spill-check.py is this with the GEMM's defaults.)
Needs java 17+ and objdump (binutils). Prints one line per run and a summary.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ADDR = re.compile(r'^\s*0x([0-9a-f]+): ([0-9a-f |]+)$')


def c2_methods(dump, method):
    """Yields (header, bytes, base address) for each C2 compilation of `method` (Class::name) in the dump."""
    header, code, base = None, bytearray(), None
    for line in dump.splitlines():
        if line.startswith('Compiled method'):
            if header and code:
                yield header, bytes(code), base
            header, code, base = None, bytearray(), None
            if '(c2)' in line and (' ' + method + ' ') in line:
                header = line.strip()
            continue
        if header is None:
            continue
        if line.startswith('[Exception Handler]') or line.startswith('[Stub Code]'):
            yield header, bytes(code), base
            header, code, base = None, bytearray(), None
            continue
        m = ADDR.match(line)
        if m:
            addr = int(m.group(1), 16)
            if base is None:
                base = addr
            gap = addr - base - len(code)
            if gap > 0:
                code += b'\x90' * gap
            code += bytes.fromhex(m.group(2).replace('|', '').replace(' ', ''))
    if header and code:
        yield header, bytes(code), base


def disassemble(code, base):
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(code)
        f.flush()
        out = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64',
                              '--adjust-vma=%#x' % base, f.name], capture_output=True, text=True, check=True).stdout
    insns = []
    for line in out.splitlines():
        m = re.match(r'^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$', line)
        if m:
            insns.append((int(m.group(1), 16), m.group(2).strip()))
    return insns


def inner_loop(insns):
    """The instructions of the smallest backward-branch range that holds at least 8 FMAs."""
    best = None
    for i, (addr, text) in enumerate(insns):
        m = re.match(r'^j\w+\s+0x([0-9a-f]+)', text)
        if not m:
            continue
        target = int(m.group(1), 16)
        if target >= addr:
            continue
        body = [t for a, t in insns[:i + 1] if target <= a <= addr]
        if sum('vfmadd' in t for t in body) >= 8 and (best is None or len(body) < len(best)):
            best = body
    return best or []


def spill_check(runs, methods, command, java_opts=(), dump=None):
    """Runs `command` in `runs` fresh JVMs; prints one line per run; returns how many spilled."""
    slow = 0
    shapes = {}
    prints = ['-XX:CompileCommand=print,' + m for m in methods]
    for run in range(1, runs + 1):
        cmd = ['java', '--add-modules', 'jdk.incubator.vector', '-XX:+UnlockDiagnosticVMOptions',
               '-XX:CompileCommand=quiet', *prints, *java_opts, *command]
        p = subprocess.run(cmd, capture_output=True, text=True)
        speeds = []
        for line in p.stdout.splitlines():
            if line.startswith('{'):
                try:
                    j = json.loads(line)
                except ValueError:
                    continue
                for key in ('gflops_median', 'sequences_per_s_median', 'images_per_s_median', 'median'):
                    if key in j:
                        speeds.append('%s=%s' % (j.get('m', key), j[key]))
                        break
        loops = []
        for method in methods:
            for header, code, base in c2_methods(p.stdout, method):
                body = inner_loop(disassemble(code, base))
                if not body:
                    continue
                stack = sum('(%rsp)' in t for t in body)
                vstack = sum('(%rsp)' in t and '%ymm' in t for t in body)
                copies = sum(bool(re.match(r'^vmov(dqu|ups|aps)\s+%ymm\d+,%ymm\d+$', t)) for t in body)
                kind = ('OSR ' if '%' in header.split('::')[0] else '') + 'C2 ' + method.split('::')[-1]
                loops.append((kind, len(body), stack, vstack, copies))
                if dump:
                    with open(os.path.join(dump, 'run%02d-%s.s' % (run, kind.replace(' ', '-'))), 'w') as f:
                        f.write('\n'.join(body) + '\n')
        # The OSR compilation only finishes the call that was running when it was made (its loop
        # starts from the interpreter's frame, vectors boxed); every later call runs the normal one.
        spilled = any(s > 0 for kind, _, s, _, _ in loops if not kind.startswith('OSR'))
        slow += spilled
        for l in loops:
            if not l[0].startswith('OSR'):
                shapes[l] = shapes.get(l, 0) + 1
        desc = '; '.join('%s loop %d insns, %d stack (%d of them ymm), %d ymm copies' % l for l in loops) or 'no C2 compilation found'
        print('run %2d: %s | %s | %s' % (run, 'SPILL' if spilled else 'ok   ', ' '.join(speeds), desc), flush=True)
        if p.returncode != 0:
            print(p.stderr[-2000:], file=sys.stderr)
    print('%d of %d runs had a stack access inside the loop of %s' % (slow, runs, ', '.join(methods)))
    # A loop-invariant integer read from the stack (a memory operand of an add) costs little; what
    # marks a slow compile is a vector on the stack, or a loop unlike the other runs'.
    for l, n in sorted(shapes.items(), key=lambda kv: -kv[1]):
        print('  %d runs: %s loop %d insns, %d stack (%d of them ymm), %d ymm copies' % ((n,) + l))
    return slow


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--runs', type=int, default=20)
    ap.add_argument('--method', action='append', required=True, help='Class::method to inspect (repeatable)')
    ap.add_argument('--java-opt', action='append', default=[], help='extra JVM option (repeatable)')
    ap.add_argument('--dump', help='folder to write each run\'s inner loop to (runNN-KIND.s)')
    ap.add_argument('command', nargs='+', help='java arguments after the options: -jar JAR ... or -cp PATH Main ...')
    args = ap.parse_args()
    spill_check(args.runs, args.method, args.command, args.java_opt, args.dump)


if __name__ == '__main__':
    main()
