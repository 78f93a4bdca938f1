"""Whole-process wall time of a one-shot derivation: SymPy vs backprop.

The SymPy side runs, as a fresh process each time,

    python3 -c "<import sympy; parse sigmoid(w*x+b); diff w.r.t. w, x, b;
                 simplify each; print>"

which is the job `backprop derive "sigmoid(w*x+b)"` does. Startup (interpreter
+ `import sympy`) is included on purpose: it is what a user waits for. Each
side is run --warmup times untimed (page cache), then N times (default 10)
with subprocess; min and median wall seconds are reported.

Run:  python3 sympy_derive_process.py
      python3 sympy_derive_process.py -n 20 --ours ../../target/release/backprop
      python3 sympy_derive_process.py --show       # print each side's output once
      python3 sympy_derive_process.py --baseline   # also time bare `import sympy`
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

EXPR = "sigmoid(w*x+b)"

SYMPY_PROGRAM = r'''
import sympy
u = sympy.Symbol("u")
sigmoid = sympy.Lambda(u, 1 / (1 + sympy.exp(-u)))
f = sympy.sympify(EXPR.replace("^", "**"), locals={"sigmoid": sigmoid})
print("f =", f)
for v in VARS:
    d = sympy.simplify(sympy.diff(f, sympy.Symbol(v)))
    print(f"d/d{v} =", d)
'''


def sympy_command(expr, wrt):
    prog = f"EXPR = {expr!r}\nVARS = {list(wrt)!r}\n" + SYMPY_PROGRAM
    return [sys.executable, "-c", prog]


def run_once(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"command failed (exit {r.returncode}): {cmd[0]} ...\n"
                 + r.stderr.decode(errors="replace"))
    return dt


def time_runs(cmd, runs, warmup):
    for _ in range(warmup):
        run_once(cmd)
    return [run_once(cmd) for _ in range(runs)]


def main():
    ap = argparse.ArgumentParser(description="fresh-process derive time, SymPy vs ours")
    ap.add_argument("-n", "--runs", type=int, default=10, help="timed runs per side (default 10)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    ap.add_argument("--expr", default=EXPR, help=f"expression (default {EXPR!r})")
    ap.add_argument("--wrt", default="w,x,b", help="variables for SymPy (default w,x,b)")
    ap.add_argument("--ours", metavar="PATH_TO_BINARY",
                    help="also time `PATH derive EXPR` the same way")
    ap.add_argument("--baseline", action="store_true",
                    help="also time bare `python3 -c 'import sympy'` (startup share)")
    ap.add_argument("--show", action="store_true", help="print each side's output once")
    args = ap.parse_args()

    sides = [("SymPy " + _sympy_version(), sympy_command(args.expr, args.wrt.split(",")))]
    if args.baseline:
        sides.append(("(python3 -c 'import sympy' only)", [sys.executable, "-c", "import sympy"]))
    if args.ours:
        if not (os.path.isfile(args.ours) and os.access(args.ours, os.X_OK)):
            ap.error(f"--ours: {args.ours} is not an executable file")
        sides.append(("backprop", [args.ours, "derive", args.expr]))

    if args.show:
        for name, cmd in sides:
            print(f"--- {name} output ---")
            r = subprocess.run(cmd, capture_output=True, text=True)
            print(r.stdout + r.stderr, end="")
        print()

    print(f"expr: {args.expr}   runs: {args.runs} (+{args.warmup} warm-up)   "
          f"CPUs: {os.cpu_count()}   python: {sys.version.split()[0]}\n")
    print("| tool | min s | median s | max s |")
    print("|------|------:|---------:|------:|")
    results = {}
    for name, cmd in sides:
        t = time_runs(cmd, args.runs, args.warmup)
        results[name] = t
        print(f"| {name} | {min(t):.4f} | {statistics.median(t):.4f} | {max(t):.4f} |",
              flush=True)
    if args.ours:
        a, b = sides[0][0], sides[-1][0]
        ratio = statistics.median(results[a]) / statistics.median(results[b])
        print(f"\nmedian ratio {a} / {b}: {ratio:.1f}x")


def _sympy_version():
    try:
        import sympy
        return sympy.__version__
    except ImportError:
        return "(not importable here)"


if __name__ == "__main__":
    main()
