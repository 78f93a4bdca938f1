"""Size of SymPy's simplified derivatives over the textbook corpus.

For every expression in tests/data/textbook.txt (backprop syntax, one per line) and every
variable in it, SymPy computes diff, then simplify, and the size of the result
is measured with sympy.count_ops (visual=False). One JSON line per
(expression, variable) is printed:

    {"expr": "<corpus line>", "wrt": "x", "sympy_simplified": "<str>", "ops": N}

followed by a markdown summary table (ops summed over the variables of each
expression, plus the unsimplified diff's ops and the seconds spent).

Translation to SymPy: ^ -> **, sigmoid(u) -> 1/(1+exp(-u)), relu(u) ->
Max(0,u), softplus(u) -> log(1+exp(u)), max/min -> Max/Min; every other
identifier that is not a function is a Symbol. Statement lists
`z = ...; a = ...; L = ...` are substituted into one expression (the last
statement's right-hand side). Variables are the free symbols that remain, in
order of first appearance in the text.

Run:  python3 sympy_corpus_size.py
      python3 sympy_corpus_size.py --corpus ../../tests/data/textbook.txt --json-out sympy_corpus.jsonl
"""

import argparse
import json
import os
import re
import sys
import time

import sympy

HERE = os.path.dirname(os.path.abspath(__file__))
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_u = sympy.Symbol("u")
FUNCTIONS = {
    "sigmoid": sympy.Lambda(_u, 1 / (1 + sympy.exp(-_u))),
    "relu": sympy.Lambda(_u, sympy.Max(0, _u)),
    "softplus": sympy.Lambda(_u, sympy.log(1 + sympy.exp(_u))),
    "max": sympy.Max,
    "min": sympy.Min,
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
}


def parse_one(text, bound):
    """Parse one right-hand side; `bound` maps already-defined names."""
    local = dict(FUNCTIONS)
    for name in IDENT.findall(text):
        if name not in FUNCTIONS:
            local[name] = bound.get(name, sympy.Symbol(name))
    return sympy.sympify(text.replace("^", "**"), locals=local)


def to_sympy(line):
    """Corpus line -> (SymPy expression, variable names in appearance order)."""
    bound = {}
    order = []
    expr = None
    for stmt in [s.strip() for s in line.split(";") if s.strip()]:
        name, rhs = None, stmt
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.+)", stmt)
        if m:
            name, rhs = m.group(1), m.group(2)
        for ident in IDENT.findall(rhs):
            if ident not in FUNCTIONS and ident not in bound and ident not in order:
                order.append(ident)
        expr = parse_one(rhs, bound)
        if name:
            bound[name] = expr
    free = {s.name for s in expr.free_symbols}
    return expr, [v for v in order if v in free]


def read_corpus(path):
    with open(path) as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]


def main():
    ap = argparse.ArgumentParser(description="SymPy simplified-derivative size per corpus line")
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "tests", "data", "textbook.txt"),
                    help="corpus file, one expression per line (default: tests/data/textbook.txt)")
    ap.add_argument("--json-out", metavar="FILE", help="also write the JSON lines to FILE")
    ap.add_argument("--no-table", action="store_true", help="only print the JSON lines")
    args = ap.parse_args()

    records, summary = [], []
    for line in read_corpus(args.corpus):
        expr, wrt = to_sympy(line)
        t0 = time.perf_counter()
        total = raw_total = 0
        for v in wrt:
            raw = sympy.diff(expr, sympy.Symbol(v))
            simp = sympy.simplify(raw)
            ops = int(sympy.count_ops(simp, visual=False))
            total += ops
            raw_total += int(sympy.count_ops(raw, visual=False))
            rec = {"expr": line, "wrt": v, "sympy_simplified": str(simp), "ops": ops}
            records.append(rec)
            print(json.dumps(rec), flush=True)
        summary.append((line, wrt, total, raw_total, time.perf_counter() - t0))

    if args.json_out:
        with open(args.json_out, "w") as f:
            for rec in records:
                f.write(json.dumps(rec) + "\n")

    if not args.no_table:
        print(f"\nSymPy {sympy.__version__}, Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs\n")
        print("| # | expression | vars | ops simplified (sum) | ops unsimplified (sum) | seconds |")
        print("|--:|------------|------|---------------------:|-----------------------:|--------:|")
        for i, (line, wrt, total, raw_total, secs) in enumerate(summary, 1):
            cell = line.replace("|", "\\|")
            print(f"| {i} | `{cell}` | {', '.join(wrt)} | {total} | {raw_total} | {secs:.2f} |")
        print(f"| | **total** | {sum(len(s[1]) for s in summary)} partials "
              f"| {sum(s[2] for s in summary)} | {sum(s[3] for s in summary)} "
              f"| {sum(s[4] for s in summary):.2f} |")


if __name__ == "__main__":
    main()
