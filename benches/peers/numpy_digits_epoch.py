#!/usr/bin/env python3
"""Hand-written NumPy backprop on the 8x8 digits: time of one training epoch.

What it measures
----------------
A 64-128-10 network (dense ReLU hidden layer, softmax output, softmax
cross-entropy loss averaged over the batch), trained with plain SGD
(learning rate 0.1, batch 32) on the 1,437 training rows of
data/digits.csv.gz (backprop's split: every fifth row, 0-based row i with
i % 5 == 0, is the 360-row test set; the other rows train).
Inputs are the pixel values divided by 16. Weights are He-normal
(N(0, 2/fan_in)), biases zero, from a seeded generator. Each epoch shuffles
the training rows with a seeded generator and runs 45 steps (44 batches of 32
and a last batch of 29, whose loss is averaged over its 29 rows).

Timed: one epoch of training steps -- the epoch's permutation, gathering each
batch's rows, forward, backward and the SGD update. Not timed: loading and
scaling the data, initialisation, evaluation. Protocol: 1 warm-up epoch, then
7 timed epochs (time.perf_counter) of the same model; the median is reported
(with min and max). Separately, a fresh model from the same seed is trained
for 20 epochs and its accuracy on the 360 test rows is reported, to show
that it learns (about 0.96 on backprop's split; --random-split SEED
evaluates on a random 360 instead, for comparison).

Run for float64 (what backprop uses) and float32 (for reference). The BLAS
that NumPy calls and its thread count are printed (threadpoolctl, if
installed); --threads N limits the BLAS threads.

Run (from the repository root or from this folder):

    python3 benches/peers/numpy_digits_epoch.py
    python3 benches/peers/numpy_digits_epoch.py --threads 1

Benchmark note: if OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on this
machine, they slow a current NumPy; to measure without them, unset both for
that one command:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 benches/peers/numpy_digits_epoch.py

Requirements: numpy (threadpoolctl optional).
"""
import argparse
import gzip
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "data", "digits.csv.gz")
N_TRAIN = 1437
N_IN, N_HIDDEN, N_OUT = 64, 128, 10


def backprop_split_order(n):
    """backprop's split: row i (0-based) is a test row when i % 5 == 0. Training rows first."""
    return [i for i in range(n) if i % 5 != 0] + [i for i in range(n) if i % 5 == 0]


def load_digits_csv(path):
    """Return (X, y): X int array (1797, 64), y int array (1797,)."""
    with gzip.open(path, "rt") as f:
        a = np.loadtxt(f, delimiter=",", dtype=np.int64)
    assert a.shape == (1797, 65), a.shape
    return a[:, :64], a[:, 64]


def init_params(seed, dtype):
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0.0, np.sqrt(2.0 / N_IN), size=(N_IN, N_HIDDEN)).astype(dtype)
    b1 = np.zeros(N_HIDDEN, dtype=dtype)
    w2 = rng.normal(0.0, np.sqrt(2.0 / N_HIDDEN), size=(N_HIDDEN, N_OUT)).astype(dtype)
    b2 = np.zeros(N_OUT, dtype=dtype)
    return [w1, b1, w2, b2]


def sgd_step(params, x, onehot, lr):
    """One forward/backward/update on a batch; returns the batch's mean loss."""
    w1, b1, w2, b2 = params
    n = x.shape[0]
    z1 = x @ w1 + b1
    h = np.maximum(z1, 0)
    logits = h @ w2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    s = e.sum(axis=1, keepdims=True)
    p = e / s
    # mean cross-entropy: -sum(onehot * log softmax) / n
    loss = -(onehot * (logits - np.log(s))).sum() / n
    dlogits = (p - onehot) / n
    dw2 = h.T @ dlogits
    db2 = dlogits.sum(axis=0)
    dh = dlogits @ w2.T
    dz1 = dh * (z1 > 0)
    dw1 = x.T @ dz1
    db1 = dz1.sum(axis=0)
    w1 -= lr * dw1
    b1 -= lr * db1
    w2 -= lr * dw2
    b2 -= lr * db2
    return loss


def run_epoch(params, x, onehot, rng, batch, lr):
    n = x.shape[0]
    perm = rng.permutation(n)
    loss_sum = 0.0
    for start in range(0, n, batch):
        idx = perm[start:start + batch]
        loss_sum += float(sgd_step(params, x[idx], onehot[idx], lr)) * len(idx)
    return loss_sum / n


def accuracy(params, x, y):
    w1, b1, w2, b2 = params
    h = np.maximum(x @ w1 + b1, 0)
    return float(((h @ w2 + b2).argmax(axis=1) == y).mean())


def blas_info():
    try:
        import threadpoolctl
    except ImportError:
        return "threadpoolctl not installed"
    parts = []
    for d in threadpoolctl.threadpool_info():
        if d.get("user_api") == "blas":
            parts.append("%s %s, kernel %s, %s threads (%s)" % (
                d.get("internal_api"), d.get("version"), d.get("architecture"),
                d.get("num_threads"), os.path.basename(d.get("filepath", ""))))
    return "; ".join(parts) or "no BLAS found by threadpoolctl"


def bench(dtype, xs_all, y_all, args):
    x = (xs_all.astype(dtype) / dtype(16))
    xtr, xte = x[:N_TRAIN], x[N_TRAIN:]
    ytr, yte = y_all[:N_TRAIN], y_all[N_TRAIN:]
    onehot = np.eye(N_OUT, dtype=dtype)[ytr]
    lr = dtype(args.lr)

    # timing: warm-up, then timed epochs of the same model
    params = init_params(args.seed, dtype)
    rng = np.random.default_rng(args.seed + 1)
    for _ in range(args.warmup):
        run_epoch(params, xtr, onehot, rng, args.batch, lr)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        run_epoch(params, xtr, onehot, rng, args.batch, lr)
        times.append(time.perf_counter() - t0)

    # learning check: fresh model, same seeds, N epochs, test accuracy
    params = init_params(args.seed, dtype)
    rng = np.random.default_rng(args.seed + 1)
    for _ in range(args.epochs):
        train_loss = run_epoch(params, xtr, onehot, rng, args.batch, lr)
    return dict(times=times, train_loss=train_loss,
                train_acc=accuracy(params, xtr, ytr),
                test_acc=accuracy(params, xte, yte))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="path to digits.csv.gz")
    ap.add_argument("--seed", type=int, default=0, help="init seed; shuffle seed is seed+1")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up epochs")
    ap.add_argument("--repeats", type=int, default=7, help="timed epochs (median reported)")
    ap.add_argument("--epochs", type=int, default=20, help="epochs before the accuracy check")
    ap.add_argument("--threads", type=int, default=None, help="limit BLAS threads (threadpoolctl)")
    ap.add_argument("--dtypes", default="float64,float32")
    ap.add_argument("--random-split", type=int, default=None, metavar="SEED",
                    help="for comparison only: permute all 1,797 rows with this seed before "
                         "taking 1,437 train / 360 test (default: backprop's fixed split)")
    args = ap.parse_args()

    xs_all, y_all = load_digits_csv(args.data)
    order = backprop_split_order(len(y_all))
    xs_all, y_all = xs_all[order], y_all[order]
    if args.random_split is not None:
        perm = np.random.default_rng(args.random_split).permutation(len(y_all))
        xs_all, y_all = xs_all[perm], y_all[perm]
    limiter = None
    if args.threads is not None:
        import threadpoolctl
        limiter = threadpoolctl.threadpool_limits(limits=args.threads, user_api="blas")

    steps = -(-N_TRAIN // args.batch)
    print("Python %s, NumPy %s; BLAS: %s" % (platform.python_version(), np.__version__, blas_info()))
    print("OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (
        os.environ.get("OPENBLAS_CORETYPE", "(unset)"), os.environ.get("OPENBLAS_L2_SIZE", "(unset)")))
    print("64-128-10 relu/softmax-CE, SGD lr %g, batch %d, %d train rows (%d steps/epoch), "
          "seed %d; %d warm-up + %d timed epochs; accuracy after %d epochs from a fresh init; split: %s\n"
          % (args.lr, args.batch, N_TRAIN, steps, args.seed, args.warmup, args.repeats, args.epochs,
             "backprop's: every fifth row held out" if args.random_split is None
             else "random permutation (seed %d), NOT backprop's split" % args.random_split))
    print("| dtype | epoch median (ms) | min (ms) | max (ms) | per step (µs) | "
          "mean batch loss, epoch %d | train acc | test acc (360) |" % args.epochs)
    print("|---|---|---|---|---|---|---|---|")
    for name in args.dtypes.split(","):
        dtype = np.dtype(name).type
        r = bench(dtype, xs_all, y_all, args)
        med = statistics.median(r["times"])
        print("| %s | %.3f | %.3f | %.3f | %.1f | %.4f | %.4f | %.4f |" % (
            name, med * 1e3, min(r["times"]) * 1e3, max(r["times"]) * 1e3,
            med / steps * 1e6, r["train_loss"], r["train_acc"], r["test_acc"]))
        sys.stdout.flush()
    if limiter is not None:
        limiter.restore_original_limits()


if __name__ == "__main__":
    main()
