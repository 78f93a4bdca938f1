"""How big SymPy's symbolic gradient of a small sigmoid network gets.

For each H (hidden units) the squared-error loss from network_expr.py is
built with sympy.sympify, then sympy.diff is taken with respect to every one
of the n = 4H+1 parameters (no simplify). Reported per H:

  n          number of parameters
  f ops      sympy.count_ops(loss)            (visual=False, the default)
  grad ops   sum of sympy.count_ops over the n partial derivatives
  diff s     seconds for the n diff calls (SymPy cache cleared first)
  count s    seconds for counting the ops of the partials

Constructions: --output linear (the task's network: linear output unit) and
--output sigmoid (output unit squashed too). --sigmoid recip uses
1/(1+exp(-u)), ratio uses exp(u)/(1+exp(u)); --halved divides the loss by 2.
The issue's figures (266 ops for 5 parameters, 115,214 for 129) are
reproduced exactly by: --output sigmoid --sigmoid recip, not halved.

--variants runs a small matrix of constructions at H=1 and H=32 and marks the
ones that hit 266 / 115,214.

Run:  python3 sympy_network_growth.py                      # both outputs, H=1..32
      python3 sympy_network_growth.py --hidden 1,2,4 --output linear
      python3 sympy_network_growth.py --variants
"""

import argparse
import os
import sys
import time

import sympy
from sympy.core.cache import clear_cache

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from network_expr import OUTPUTS, sympy_network_loss  # noqa: E402

ISSUE = {5: 266, 129: 115214}


def measure(hidden, variant="recip", halved=False, output="linear"):
    clear_cache()
    expr, params = sympy_network_loss(hidden, variant=variant, halved=halved, output=output)
    t0 = time.perf_counter()
    partials = [sympy.diff(expr, p) for p in params]
    t1 = time.perf_counter()
    per = [sympy.count_ops(d, visual=False) for d in partials]
    t2 = time.perf_counter()
    return {
        "H": hidden,
        "n": len(params),
        "f_ops": sympy.count_ops(expr, visual=False),
        "grad_ops": sum(per),
        "grad_ops_list": sympy.count_ops(partials, visual=False),
        "diff_s": t1 - t0,
        "count_s": t2 - t1,
    }


def growth_table(hiddens, variant, halved, output):
    print(f"\n### output={output}, sigmoid={variant}, halved={'yes' if halved else 'no'}\n")
    print("| H | n | f ops | grad ops | grad ops / n | diff s | count s |")
    print("|--:|--:|------:|---------:|-------------:|-------:|--------:|")
    for h in hiddens:
        r = measure(h, variant, halved, output)
        mark = ""
        if ISSUE.get(r["n"]) == r["grad_ops"]:
            mark = " (= issue)"
        print(f"| {r['H']} | {r['n']} | {r['f_ops']:,} | {r['grad_ops']:,}{mark} | "
              f"{r['grad_ops'] / r['n']:.1f} | {r['diff_s']:.3f} | {r['count_s']:.3f} |",
              flush=True)


def variants_table():
    print("\n### Construction variants vs the issue's 266 (n=5) / 115,214 (n=129)\n")
    print("| output | sigmoid | halved | f ops H=1 | grad ops n=5 (sum) | (list) "
          "| f ops H=32 | grad ops n=129 (sum) | (list) | matches issue |")
    print("|---|---|---|--:|--:|--:|--:|--:|--:|---|")
    for output in OUTPUTS:
        for variant in ("recip", "ratio"):
            for halved in (False, True):
                a = measure(1, variant, halved, output)
                b = measure(32, variant, halved, output)
                hit = a["grad_ops"] == ISSUE[5] and b["grad_ops"] == ISSUE[129]
                print(f"| {output} | {variant} | {'yes' if halved else 'no'} "
                      f"| {a['f_ops']} | {a['grad_ops']:,} | {a['grad_ops_list']:,} "
                      f"| {b['f_ops']} | {b['grad_ops']:,} | {b['grad_ops_list']:,} "
                      f"| {'**yes**' if hit else 'no'} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description="SymPy gradient size vs network width")
    ap.add_argument("--hidden", default="1,2,4,8,16,32",
                    help="comma-separated hidden-unit counts (default 1,2,4,8,16,32)")
    ap.add_argument("--output", default="linear,sigmoid",
                    help="comma-separated output kinds: linear, sigmoid (default both)")
    ap.add_argument("--sigmoid", choices=("recip", "ratio"), default="recip",
                    help="recip = 1/(1+exp(-u)) (default), ratio = exp(u)/(1+exp(u))")
    ap.add_argument("--halved", action="store_true", help="divide the loss by 2")
    ap.add_argument("--variants", action="store_true",
                    help="only run the construction-variant matrix at H=1 and H=32")
    args = ap.parse_args()

    print(f"SymPy {sympy.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")
    if args.variants:
        variants_table()
        return
    hiddens = [int(x) for x in args.hidden.split(",") if x]
    for output in [o.strip() for o in args.output.split(",") if o.strip()]:
        if output not in OUTPUTS:
            ap.error(f"unknown output {output!r}")
        growth_table(hiddens, args.sigmoid, args.halved, output)


if __name__ == "__main__":
    main()
