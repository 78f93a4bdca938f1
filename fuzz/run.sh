#!/usr/bin/env bash
# A short fuzz run of every target (default 60 s each): `fuzz/run.sh [SECONDS]`.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); libFuzzer's instrumentation uses nightly-only
# flags, which RUSTC_BOOTSTRAP=1 enables on the stable toolchain. New findings land in
# fuzz/artifacts/TARGET; after the fix, copy them into fuzz/corpus/TARGET, where
# tests/fuzz_corpus.rs replays them on every test run.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
for target in expression network sheet book_block; do
  echo "== $target ($seconds s)"
  # A crash stops this target only; the others still run.
  { cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 2>&1 || true; } \
    | grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|ERROR|panicked|SUMMARY" | tail -3
done
