#!/usr/bin/env bash
# A short fuzz run (default 60 s per target, every target): `fuzz/run.sh [SECONDS] [TARGET…]`.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); libFuzzer's instrumentation uses nightly-only
# flags, which RUSTC_BOOTSTRAP=1 enables on the stable toolchain. New findings land in
# fuzz/artifacts/TARGET; after the fix, copy them into fuzz/corpus/TARGET, where
# tests/fuzz_corpus.rs replays them on every test run.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(expression network sheet book_block session book)
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  echo "== $target ($seconds s)"
  # A crash stops this target only; the others still run.
  # libFuzzer adds what it finds to the first folder (ignored by git); the seeds and fixed
  # findings in corpus/ stay as committed.
  mkdir -p "work/$target"
  { cargo fuzz run "$target" "work/$target" "corpus/$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 2>&1 || true; } \
    | grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|ERROR|panicked|SUMMARY" | tail -3
done
