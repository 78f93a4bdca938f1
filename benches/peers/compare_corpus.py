"""Our printed derivatives vs SymPy's simplified ones, both sized with sympy.count_ops.

For every line of tests/data/textbook.txt, `backprop derive LINE --format json`
is run and each partial's `text` is translated to SymPy syntax and parsed with
parse_expr(..., evaluate=False), so SymPy does not restructure it before
counting. The SymPy side is exactly sympy_corpus_size.py's: diff, simplify,
count_ops (with sigmoid spelled 1/(1+exp(-u)) there, as always).

Our side is counted four ways:
  printed  - names in our text (the user's intermediates z, a, ...; shared t1,
             t2, ...) are atoms, as the text is printed;
  inlined  - those names replaced by their (unevaluated) definitions, so the
             tree is the same thing SymPy's side counts;
  sigma=1  - sigma(u) is an opaque SymPy Function: 1 op per application;
  sigma=4  - sigma(u) is spelled 1/(1+exp(-u)) as on SymPy's side (DIV, ADD,
             EXP, NEG = 4 ops per application).
Translation: · -> *, − -> -, superscript digits -> **N (Python's ** binds to
the preceding primary: name, call or parenthesised group, as in our printer),
t₁ -> t_1, σ( -> sigmoid(, [u > 0] -> Heaviside(u), [a > b] and [a ≥ b] ->
Heaviside(a - b) ([a < b], [a ≤ b] -> Heaviside(b - a)).

Run:  python3 compare_corpus.py [--ours PATH] [--corpus FILE] [--evaluate]
(--evaluate parses our text with SymPy's normal evaluation instead, to show how
much the count depends on that choice.)
"""

import argparse
import json
import os
import re
import subprocess

import sympy as S
from sympy.parsing.sympy_parser import parse_expr

import sympy_corpus_size as scs

HERE = os.path.dirname(os.path.abspath(__file__))
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
IVERSON = re.compile(r"\[([^\[\]]*?)\s*(>|≥|<|≤)\s*([^\[\]]*?)\]")


def to_sympy_syntax(text):
    t = text.replace("·", "*").replace("−", "-").replace("σ(", "sigmoid(")
    t = re.sub(r"[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "**(" + m.group(0).translate(SUP) + ")"
               if "⁻" in m.group(0) else "**" + m.group(0).translate(SUP), t)
    t = re.sub(r"[₀₁₂₃₄₅₆₇₈₉]+", lambda m: "_" + m.group(0).translate(SUB), t)

    def iverson(m):
        lhs, op, rhs = m.group(1).strip(), m.group(2), m.group(3).strip()
        if op in "<≤":
            lhs, rhs = rhs, lhs
        return f"Heaviside({lhs})" if rhs == "0" else f"Heaviside(({lhs}) - ({rhs}))"
    return IVERSON.sub(iverson, t)


def functions(sigma_expanded, evaluate):
    if sigma_expanded:
        def sigmoid(u):
            return S.Pow(S.Add(1, S.exp(S.Mul(-1, u, evaluate=evaluate)), evaluate=evaluate),
                         -1, evaluate=evaluate)
    else:
        sigmoid = S.Function("sigmoid")
    return {"sigmoid": sigmoid, "Heaviside": S.Heaviside, "exp": S.exp, "log": S.log,
            "ln": S.log, "sqrt": S.sqrt, "abs": S.Abs, "sin": S.sin, "cos": S.cos,
            "tan": S.tan, "tanh": S.tanh, "max": S.Max, "min": S.Min,
            "relu": lambda u: S.Max(0, u), "softplus": lambda u: S.log(1 + S.exp(u))}


def parse(text, bound, fns, evaluate):
    """Parse one of our texts; `bound` maps names to substitute (inlining)."""
    t = to_sympy_syntax(text)
    local = dict(fns)
    for name in IDENT.findall(t):
        if name not in fns:
            local[name] = bound.get(name, S.Symbol(name))
    return parse_expr(t, local_dict=local, evaluate=evaluate)


def our_counts(doc, evaluate):
    """{wrt: {(inlined, sigma_expanded): (ops, expr)}} for one backprop JSON document."""
    out = {p["wrt"]: {} for p in doc["partials"]}
    variables = set(doc["variables"])
    for sig in (False, True):
        fns = functions(sig, evaluate)
        bound = {}
        for d in doc["definitions"] + doc["shared"]:      # definitions first, then t₁, t₂, ...
            name = to_sympy_syntax(d["name"])
            if name not in variables:
                bound[name] = parse(d["text"], bound, fns, evaluate)
        for p in doc["partials"]:
            for inl in (False, True):
                e = parse(p["text"], bound if inl else {}, fns, evaluate)
                out[p["wrt"]][(inl, sig)] = (int(S.count_ops(e, visual=False)), e)
    return out


FORMS = [(False, False), (True, False), (False, True), (True, True)]
FORM_NAMES = {(False, False): "printed σ=1", (True, False): "inlined σ=1",
              (False, True): "printed σ=4", (True, True): "inlined σ=4"}


def main():
    ap = argparse.ArgumentParser(description="our printed derivative sizes vs SymPy simplify, by count_ops")
    ap.add_argument("--ours", default=os.path.join(HERE, "..", "..", "target", "release", "backprop"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "tests", "data", "textbook.txt"))
    ap.add_argument("--evaluate", action="store_true", help="parse our text with evaluate=True")
    args = ap.parse_args()

    rows, worse = [], []
    for line in scs.read_corpus(args.corpus):
        doc = json.loads(subprocess.run([args.ours, "derive", line, "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)
        ours = our_counts(doc, args.evaluate)
        expr, sym_vars = scs.to_sympy(line)
        if set(sym_vars) != set(ours):
            raise SystemExit(f"variable mismatch on {line!r}: ours {sorted(ours)}, SymPy {sym_vars}")
        sums, sym_sum = {f: 0 for f in FORMS}, 0
        for p in doc["partials"]:
            v = p["wrt"]
            simp = S.simplify(S.diff(expr, S.Symbol(v)))
            sym_ops = int(S.count_ops(simp, visual=False))
            sym_sum += sym_ops
            for f in FORMS:
                sums[f] += ours[v][f][0]
            bad = [f for f in FORMS if ours[v][f][0] > sym_ops]
            if bad:
                worse.append((line, v, p["text"], ours[v], bad, str(simp), sym_ops))
        rows.append((line, doc["variables"], sums, sym_sum))

    print(f"SymPy {S.__version__}; count_ops(visual=False); our text parsed with "
          f"evaluate={args.evaluate}; sums over each expression's variables.\n")
    print("| # | expression | vars | ours printed σ=1 | ours inlined σ=1 | ours printed σ=4 "
          "| ours inlined σ=4 | SymPy simplify | ours ≤ SymPy? |")
    print("|--:|---|---|--:|--:|--:|--:|--:|---|")

    def verdict(sums, sym):
        bad = [FORM_NAMES[f] for f in FORMS if sums[f] > sym]
        return "yes (all 4)" if not bad else "**no**: " + ", ".join(bad)
    for i, (line, vs, sums, sym) in enumerate(rows, 1):
        print(f"| {i} | `{line}` | {', '.join(vs)} | " + " | ".join(str(sums[f]) for f in FORMS)
              + f" | {sym} | {verdict(sums, sym)} |")
    tot = {f: sum(r[2][f] for r in rows) for f in FORMS}
    tsym = sum(r[3] for r in rows)
    print(f"| | **total** | {sum(len(r[1]) for r in rows)} partials | "
          + " | ".join(f"**{tot[f]}**" for f in FORMS) + f" | **{tsym}** | {verdict(tot, tsym)} |")

    print(f"\n(expr, wrt) where ours > SymPy in some form: {len(worse)}\n")
    for line, v, text, c, bad, simp, sym_ops in worse:
        print(f"- `{line}` d/d{v}: larger in {', '.join(FORM_NAMES[f] for f in bad)}")
        print(f"  - ours printed: `{text}`  (σ=1: {c[(False, False)][0]}, σ=4: {c[(False, True)][0]})")
        print(f"  - ours inlined: `{c[(True, False)][1]}`  (σ=1: {c[(True, False)][0]}, "
              f"σ=4: {c[(True, True)][0]}; σ=4 form `{c[(True, True)][1]}`)")
        print(f"  - SymPy simplify: `{simp}`  ({sym_ops})")


if __name__ == "__main__":
    main()
