#!/usr/bin/env python3
"""JAX (jax.jit) backprop on the 8x8 digits: time of one training epoch.

What it measures
----------------
The same job as numpy_digits_epoch.py, in JAX: a 64-128-10 network (dense
ReLU hidden layer, softmax output, softmax cross-entropy loss averaged over
the batch), plain SGD (learning rate 0.1, batch 32) on the 1,437 training
rows of data/digits.csv.gz (backprop's split: every fifth row is a test
row), inputs divided by 16, float64 (jax_enable_x64).
The gradient comes from jax.grad; the whole update step (gather the batch's
rows, forward, backward, SGD update) is one jax.jit-compiled function.
The initial weights (He-normal, seeded NumPy generator) and the per-epoch
shuffles (seeded NumPy generator) are the same as numpy_digits_epoch.py's,
so the two should reach the same accuracy.

An epoch is 45 calls of the jitted step (44 batches of 32 and one of 29;
the two shapes compile separately). Timed: one epoch -- the permutation
and the 45 step calls, ending with block_until_ready. Not timed: loading,
compilation (a warm-up epoch compiles both shapes first), evaluation.
1 warm-up + 7 timed epochs; median (min, max) reported. Separately a fresh
model trained 20 epochs reports its accuracy on the 360 test rows (backprop's split: every fifth row).

For reference it also times "scan": the whole epoch as ONE jitted call
(lax.scan over the 44 full batches, then the batch of 29), which removes the
per-step Python dispatch cost.

Run:

    python3 benches/peers/jax_digits_epoch.py
    python3 benches/peers/jax_digits_epoch.py --dtype float32

Requirements: pip install "jax[cpu]" numpy. JAX's CPU backend uses its own
kernels (XLA/Eigen), not NumPy's OpenBLAS.
"""
import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

# The data, the split and the initial weights are numpy_digits_epoch.py's, so that the two
# peers train the same model from the same start.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_digits_epoch import (  # noqa: E402
    DEFAULT_DATA, N_OUT, N_TRAIN, backprop_split_order, load_digits_csv, init_params as numpy_init,
)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="path to digits.csv.gz")
    ap.add_argument("--seed", type=int, default=0, help="init seed; shuffle seed is seed+1")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up epochs, at least 1 (compiles)")
    ap.add_argument("--repeats", type=int, default=7, help="timed epochs (median reported)")
    ap.add_argument("--epochs", type=int, default=20, help="epochs before the accuracy check")
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = ap.parse_args()
    if args.warmup < 1:
        ap.error("--warmup must be at least 1 (the first epoch compiles)")

    import jax
    if args.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax

    dtype = np.dtype(args.dtype).type
    pixels, labels = load_digits_csv(args.data)
    order = backprop_split_order(len(labels))
    x_np = pixels[order].astype(dtype) / dtype(16)
    y_np = labels[order]
    xtr = jnp.asarray(x_np[:N_TRAIN])
    onehot = jnp.asarray(np.eye(N_OUT, dtype=dtype)[y_np[:N_TRAIN]])
    xte, yte = jnp.asarray(x_np[N_TRAIN:]), jnp.asarray(y_np[N_TRAIN:])
    ytr = jnp.asarray(y_np[:N_TRAIN])
    lr = args.lr

    def init_params(seed):
        return tuple(jnp.asarray(p) for p in numpy_init(seed, dtype))

    def loss_fn(params, xb, yb):
        w1, b1, w2, b2 = params
        h = jax.nn.relu(xb @ w1 + b1)
        logits = h @ w2 + b2
        return -jnp.mean(jnp.sum(yb * jax.nn.log_softmax(logits), axis=1))

    def update(params, x_all, y_all, idx):
        xb, yb = x_all[idx], y_all[idx]
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        return tuple(p - lr * g for p, g in zip(params, grads)), loss

    step = jax.jit(update)

    full = N_TRAIN // args.batch
    rest = N_TRAIN - full * args.batch
    steps = full + (1 if rest else 0)

    def epoch_steps(params, rng):
        perm = rng.permutation(N_TRAIN)
        losses = []
        for start in range(0, N_TRAIN, args.batch):
            params, loss = step(params, xtr, onehot, perm[start:start + args.batch])
            losses.append(loss)
        jax.block_until_ready(params)
        return params, losses

    @jax.jit
    def epoch_scan_jit(params, x_all, y_all, perm):
        body_idx = perm[:full * args.batch].reshape(full, args.batch)

        def body(p, idx):
            return update(p, x_all, y_all, idx)

        params, losses = lax.scan(body, params, body_idx)
        if rest:
            params, _ = update(params, x_all, y_all, perm[full * args.batch:])
        return params, losses

    def epoch_scan(params, rng):
        perm = rng.permutation(N_TRAIN)
        params, losses = epoch_scan_jit(params, xtr, onehot, perm)
        jax.block_until_ready(params)
        return params, losses

    @jax.jit
    def acc(params, x, y):
        w1, b1, w2, b2 = params
        h = jax.nn.relu(x @ w1 + b1)
        return jnp.mean(jnp.argmax(h @ w2 + b2, axis=1) == y)

    print("Python %s, JAX %s, jaxlib %s, backend %s (%d device(s)), dtype %s" % (
        platform.python_version(), jax.__version__, __import__("jaxlib").__version__, jax.default_backend(), jax.device_count(), args.dtype))
    print("64-128-10 relu/softmax-CE, SGD lr %g, batch %d, %d train rows (%d steps/epoch), "
          "seed %d; %d warm-up + %d timed epochs; accuracy after %d epochs from a fresh init\n"
          % (lr, args.batch, N_TRAIN, steps, args.seed, args.warmup, args.repeats, args.epochs))
    print("| variant | dtype | epoch median (ms) | min (ms) | max (ms) | per step (µs) | "
          "first epoch incl. compile (ms) | test acc (360) after %d |" % args.epochs)
    print("|---|---|---|---|---|---|---|---|")
    for name, run_epoch in (("jit(step), 45 calls", epoch_steps), ("jit(epoch), lax.scan", epoch_scan)):
        params = init_params(args.seed)
        rng = np.random.default_rng(args.seed + 1)
        t0 = time.perf_counter()
        params, _ = run_epoch(params, rng)
        first = time.perf_counter() - t0
        for _ in range(args.warmup - 1):
            params, _ = run_epoch(params, rng)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            params, _ = run_epoch(params, rng)
            times.append(time.perf_counter() - t0)
        params = init_params(args.seed)
        rng = np.random.default_rng(args.seed + 1)
        for _ in range(args.epochs):
            params, _ = run_epoch(params, rng)
        test_acc = float(acc(params, xte, yte))
        med = statistics.median(times)
        print("| %s | %s | %.3f | %.3f | %.3f | %.1f | %.1f | %.4f |" % (
            name, args.dtype, med * 1e3, min(times) * 1e3, max(times) * 1e3,
            med / steps * 1e6, first * 1e3, test_acc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
