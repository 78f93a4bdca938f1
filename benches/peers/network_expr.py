"""Shared expression builder for the network-growth peer comparison.

Produces the squared-error loss of a one-hidden-layer sigmoid network with
inputs x1, x2, H hidden sigmoid units and one linear output, as ONE scalar
expression in backprop's syntax (also readable by sympy.sympify once `^` is
replaced by `**` and `sigmoid` is supplied in the locals):

    (v1*sigmoid(w1_1*x1 + w1_2*x2 + b1) + ... + vH*sigmoid(...) + c - y)^2

Parameters are w{j}_1, w{j}_2, b{j}, v{j} for j = 1..H, plus c: 4H+1 in all.

`--output sigmoid` instead squashes the output unit too:

    (sigmoid(v1*sigmoid(w1_1*x1 + w1_2*x2 + b1) + ... + c) - y)^2

That variant (with sigmoid = 1/(1+exp(-u)), loss not halved) is the one that
reproduces the issue's SymPy figures (266 ops for 5 parameters, 115,214 for
129); the linear-output default gives 120 and 40,451.

Run:  python3 network_expr.py 3                    # linear output, H=3
      python3 network_expr.py 3 --output sigmoid   # sigmoid output, H=3
      python3 network_expr.py 3 --params           # parameter names
"""

import argparse


def unit(j: int) -> str:
    return f"v{j}*sigmoid(w{j}_1*x1 + w{j}_2*x2 + b{j})"


OUTPUTS = ("linear", "sigmoid")


def network_loss(hidden: int, halved: bool = False, output: str = "linear") -> str:
    """Loss in backprop syntax (`^` for powers).

    `halved` divides the loss by 2; `output` is "linear" (default) or
    "sigmoid" (output unit squashed by a sigmoid as well).
    """
    if hidden < 1:
        raise ValueError("hidden must be >= 1")
    body = " + ".join(unit(j) for j in range(1, hidden + 1))
    if output == "linear":
        expr = f"({body} + c - y)^2"
    elif output == "sigmoid":
        expr = f"(sigmoid({body} + c) - y)^2"
    else:
        raise ValueError(f"unknown output {output!r}")
    return f"{expr}/2" if halved else expr


def parameters(hidden: int) -> list:
    """The 4H+1 trainable parameter names, in a fixed order."""
    names = []
    for j in range(1, hidden + 1):
        names += [f"w{j}_1", f"w{j}_2", f"b{j}", f"v{j}"]
    names.append("c")
    return names


def to_sympy_text(text: str) -> str:
    """backprop syntax -> sympify syntax (only `^` differs here)."""
    return text.replace("^", "**")


def sympy_sigmoid(variant: str = "recip"):
    """sigmoid as a SymPy Lambda.

    recip: 1/(1+exp(-u))      ratio: exp(u)/(1+exp(u))
    """
    import sympy

    u = sympy.Symbol("u")
    if variant == "recip":
        return sympy.Lambda(u, 1 / (1 + sympy.exp(-u)))
    if variant == "ratio":
        return sympy.Lambda(u, sympy.exp(u) / (1 + sympy.exp(u)))
    raise ValueError(f"unknown sigmoid variant {variant!r}")


def sympy_network_loss(hidden: int, variant: str = "recip", halved: bool = False,
                       output: str = "linear"):
    """Return (loss expression, [parameter symbols]) built by sympify."""
    import sympy

    text = to_sympy_text(network_loss(hidden, halved=halved, output=output))
    expr = sympy.sympify(text, locals={"sigmoid": sympy_sigmoid(variant)})
    params = [sympy.Symbol(p) for p in parameters(hidden)]
    return expr, params


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hidden", type=int, help="number of hidden units H")
    ap.add_argument("--halved", action="store_true", help="divide the loss by 2")
    ap.add_argument("--output", choices=OUTPUTS, default="linear",
                    help="output unit: linear (default) or sigmoid")
    ap.add_argument("--params", action="store_true", help="print parameter names instead")
    args = ap.parse_args()
    if args.params:
        print(" ".join(parameters(args.hidden)))
    else:
        print(network_loss(args.hidden, halved=args.halved, output=args.output))


if __name__ == "__main__":
    main()
