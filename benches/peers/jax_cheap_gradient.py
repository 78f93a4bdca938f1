#!/usr/bin/env python3
"""JAX's side of `cargo bench --bench cheap_gradient`: the gradient of the same loss.

The loss is network_expr.py's: the squared error of a one-hidden-layer sigmoid network over
inputs x1, x2 with H hidden units and a linear output (or --output sigmoid),

    (v1*sigmoid(w1_1*x1 + w1_2*x2 + b1) + ... + vH*sigmoid(...) + c - y)^2,

n = 4H + 1 parameters. JAX differentiates a program, not a formula: the answer is the gradient's
numbers at one point (here every parameter 0.1, x1 = 0.5, x2 = -0.3, y = 1), not partials in
textbook form, so this is the cost of what a numeric tool does with the same request, for scale.

Timed, each in a fresh process (median of --runs):
  whole   the Python process: import jax, build the function, jax.grad + jit, first call
          (the counterpart of one `backprop derive` process);
  first   inside the process: trace + compile + the first call;
  warm    a second call of the compiled gradient.

The function is written vectorised (the natural JAX form), and also, with --unrolled, as the
scalar expression itself (H Python-level terms), which JAX must trace term by term.

Run:  python3 benches/peers/jax_cheap_gradient.py [--hidden 25000] [--runs 3] [--unrolled]
Requirements: pip install "jax[cpu]".
"""
import argparse
import statistics
import subprocess
import sys
import time

CHILD = r"""
import time, sys
t0 = time.perf_counter()
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
hidden, output, unrolled = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
def loss(p):
    w1, w2, b, v, c = p[0:hidden], p[hidden:2*hidden], p[2*hidden:3*hidden], p[3*hidden:4*hidden], p[4*hidden]
    x1, x2, y = 0.5, -0.3, 1.0
    if unrolled:
        s = c
        for j in range(hidden):
            s = s + v[j] * jax.nn.sigmoid(w1[j]*x1 + w2[j]*x2 + b[j])
    else:
        s = jnp.dot(v, jax.nn.sigmoid(w1*x1 + w2*x2 + b)) + c
    if output == "sigmoid":
        s = jax.nn.sigmoid(s)
    return (s - y) ** 2
params = jnp.full(4*hidden + 1, 0.1)
gradient = jax.jit(jax.grad(loss))
t1 = time.perf_counter()
g = gradient(params).block_until_ready()
t2 = time.perf_counter()
g = gradient(params).block_until_ready()
t3 = time.perf_counter()
print(f"{t2 - t1} {t3 - t2} {g.shape[0]} {float(g[-1])!r}")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hidden", type=int, default=25000)
    parser.add_argument("--output", choices=("linear", "sigmoid"), default="linear")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--unrolled", action="store_true")
    args = parser.parse_args()
    whole, first, warm = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.hidden), args.output, "1" if args.unrolled else "0"],
            check=True, capture_output=True, text=True,
        ).stdout.split()
        whole.append(time.perf_counter() - start)
        first.append(float(out[0]))
        warm.append(float(out[1]))
        n, dc = out[2], out[3]
    form = "unrolled" if args.unrolled else "vectorised"
    print(f"JAX {form}, H = {args.hidden}, n = {n} parameters, output {args.output}; ∂L/∂c = {dc}")
    print("| whole process | trace + compile + first call | warm call |")
    print("|--:|--:|--:|")
    ms = lambda v: f"{statistics.median(v) * 1e3:.1f} ms ({min(v) * 1e3:.1f}–{max(v) * 1e3:.1f})"
    print(f"| {ms(whole)} | {ms(first)} | {ms(warm)} |")


if __name__ == "__main__":
    main()
