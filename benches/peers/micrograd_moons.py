#!/usr/bin/env python3
"""micrograd's demo (karpathy/micrograd demo.ipynb) on 100 two-moons points: wall time of 100 SGD steps.

What it measures
----------------
The training loop of micrograd's demo notebook, with micrograd's own
scalar autograd (pip package `micrograd`, Karpathy's):

- data: sklearn.datasets.make_moons(n_samples=100, noise=0.1, random_state=1),
  labels mapped from {0, 1} to {-1, +1};
- model: micrograd.nn.MLP(2, [16, 16, 1]) -- two ReLU hidden layers of 16,
  linear output; 337 parameters; initialised by micrograd (random.uniform(-1, 1)
  weights, zero biases) after random.seed(1337) and np.random.seed(1337),
  as in the notebook;
- loss: mean over the 100 points of relu(1 - y * score) (SVM max-margin /
  hinge loss) + 1e-4 * sum of the squared parameters;
- 100 steps of full-batch SGD, step k (0-based) with learning rate
  1.0 - 0.9 * k / 100; each step: forward (builds the graph), loss,
  model.zero_grad(), loss.backward(), update.

Timed (time.perf_counter, wall): the 100 steps together. Not timed: making
the data, building the model, writing files. Reported: the time, the loss and
accuracy at step 99 (computed before its update, as the notebook prints
them), and the loss and accuracy of the final parameters after step 99's
update.

Most of that time, as the notebook runs it, is CPython's cyclic garbage
collector: every Value's _backward closure refers back to the Value, so each
step's graph (about 66,000 Values, 450,000 objects) is cyclic garbage that
only the collector frees, and its automatic collections keep traversing the
large live graph while the next one is built. --gc collect disables the
automatic collector and calls gc.collect() once at the end of each step,
after dropping that step's graph (inside the timing); --gc off never
collects (memory grows by roughly 60 MB a step, about 6 GB for 100 steps).
The numbers (loss, accuracy) are the same in every mode.

As in the notebook, the inputs are fed as numpy.float64 scalars
(list(map(Value, xrow)) over a NumPy row) and the labels as NumPy integers,
so much of micrograd's arithmetic runs on NumPy scalars; --python-floats
converts them to Python float / int first (same numbers; 7-25% faster
once the collector is out of the way, no clear difference with it on).

It also writes the 100 points it used to moons_100.csv beside this script
(header `x,y,label`, then one point a line; x and y written with Python's
repr, which round-trips the float64 exactly; label -1 or 1), so the Rust side
can train on the same data. --save-params FILE also writes the 337 initial
parameters (micrograd's order: layer by layer, neuron by neuron, its weights
then its bias), one a line, for a same-start comparison.

Run:

    python3 benches/peers/micrograd_moons.py
    python3 benches/peers/micrograd_moons.py --python-floats

Requirements: pip install micrograd scikit-learn numpy
"""
import argparse
import gc
import os
import platform
import random
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1337, help="random / np.random seed (notebook: 1337)")
    ap.add_argument("--data-seed", type=int, default=1, help="make_moons random_state")
    ap.add_argument("--python-floats", action="store_true",
                    help="feed Python floats/ints instead of NumPy scalars")
    ap.add_argument("--csv-out", default=os.path.join(HERE, "moons_100.csv"),
                    help="where to write the points ('' to skip)")
    ap.add_argument("--save-params", default="", metavar="FILE",
                    help="also write the initial parameters, one a line")
    ap.add_argument("--gc", choices=["on", "collect", "off"], default="on",
                    help="Python's cyclic garbage collector: 'on' = as normal (the notebook); "
                         "'collect' = disabled during each step, gc.collect() after it (timed); "
                         "'off' = disabled for the whole run (memory grows, ~60 MB a step)")
    ap.add_argument("--verbose", action="store_true", help="print every step like the notebook")
    args = ap.parse_args()

    import micrograd
    import sklearn
    from importlib.metadata import version
    from micrograd.engine import Value
    from micrograd.nn import MLP
    from sklearn.datasets import make_moons

    np.random.seed(args.seed)
    random.seed(args.seed)

    X, y = make_moons(n_samples=100, noise=0.1, random_state=args.data_seed)
    y = y * 2 - 1  # {0,1} -> {-1,1}

    if args.csv_out:
        with open(args.csv_out, "w") as f:
            f.write("x,y,label\n")
            for (a, b), lab in zip(X.tolist(), y.tolist()):
                f.write("%r,%r,%d\n" % (a, b, lab))

    model = MLP(2, [16, 16, 1])
    params = model.parameters()
    if args.save_params:
        with open(args.save_params, "w") as f:
            for p in params:
                f.write("%r\n" % float(p.data))

    if args.python_floats:
        Xf, yf = X.tolist(), y.tolist()
    else:
        Xf, yf = X, y

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in Xf]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yf, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yf, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    gc.collect()
    if args.gc != "on":
        gc.disable()
    t0 = time.perf_counter()
    for k in range(args.steps):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        last_loss, last_acc = float(total_loss.data), float(acc)
        if args.verbose:
            print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%")
        if args.gc == "collect":
            # drop this step's graph first: collecting while a graph is still
            # referenced costs about 6x more (the collector traverses it too)
            total_loss = None
            gc.collect()
    elapsed = time.perf_counter() - t0
    gc.enable()
    final_loss, final_acc = loss()

    print("Python %s, micrograd %s, scikit-learn %s, NumPy %s; inputs as %s; gc %s" % (
        platform.python_version(), version("micrograd"), sklearn.__version__, np.__version__,
        "Python floats" if args.python_floats else "NumPy scalars (as the notebook)", args.gc))
    print("make_moons(100, noise=0.1, random_state=%d), MLP(2,[16,16,1]) %d params, seed %d, "
          "hinge + 1e-4 L2, %d full-batch SGD steps, lr 1.0-0.9k/100\n"
          % (args.data_seed, len(params), args.seed, args.steps))
    print("| steps | wall time (s) | per step (ms) | loss at step %d | acc at step %d | "
          "loss after last update | acc after last update |" % (args.steps - 1, args.steps - 1))
    print("|---|---|---|---|---|---|---|")
    print("| %d | %.3f | %.2f | %.6f | %.2f | %.6f | %.2f |" % (
        args.steps, elapsed, elapsed / args.steps * 1e3, last_loss, last_acc,
        float(final_loss.data), float(final_acc)))


if __name__ == "__main__":
    main()
