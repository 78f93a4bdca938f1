#!/usr/bin/env bash
# CI: the same bits on every machine. The terminal's answers to a few commands that print
# full-precision numbers (the digits network's gradients as JSON among them) are compared byte
# for byte between this machine's build, the same x86-64 binary on a CPU without AVX (qemu's
# Nehalem: the matrix product's portable path instead of its AVX one), and an aarch64 build run
# under qemu (NEON, where a compiler could use fused multiply-adds). The browser's .wasm is
# compared with this machine on the same commands by tests/browser/check_live.sh. The matrix
# product's own tests (every tiled variant = the one-at-a-time reference, bit for bit) also run
# on both emulated CPUs.
#
# Needs qemu-user and gcc-aarch64-linux-gnu (Debian's packages; .ci/run installs them) and the
# aarch64-unknown-linux-gnu Rust target (added here). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-$PWD/target}
aarch64=aarch64-unknown-linux-gnu
rustup target add "$aarch64" >/dev/null
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc

echo "-- building: native x86-64, and aarch64 (cross)"
cargo build --locked --quiet --release --bin backprop
cargo build --locked --quiet --release --bin backprop --target "$aarch64"

commands=(
  'net examples/networks/digits.net grad --format json'
  'net examples/networks/digits.net step --format json'
  'net examples/networks/moons.net train --format json'
  'net examples/networks/two-layer.net grad --table --format json'
  'derive "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1 - y)*log(1 - a))" --at w=0.3,x=1.7,b=-0.2,y=1 --format json'
  'grad "exp(sin(x)*y)/(1 + x^2)" --at x=0.7,y=-1.3 --format json'
)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A training table's clock readings are the only bytes allowed to differ.
run() { eval "$1 $2" | sed -E 's/"seconds": [-+0-9.eE]+/"seconds": _/'; }
for machine in native nehalem aarch64; do
  case $machine in
    native) runner="$target/release/backprop" ;;
    nehalem) runner="qemu-x86_64 -cpu Nehalem $target/release/backprop" ;;
    aarch64) runner="qemu-aarch64 -L /usr/aarch64-linux-gnu $target/$aarch64/release/backprop" ;;
  esac
  for i in "${!commands[@]}"; do
    run "$runner" "${commands[$i]}" >"$out/$machine.$i"
  done
done
status=0
for i in "${!commands[@]}"; do
  for machine in nehalem aarch64; do
    if ! cmp -s "$out/native.$i" "$out/$machine.$i"; then
      echo "DIFFERENT on $machine: backprop ${commands[$i]}"
      diff <(tr ',' '\n' <"$out/native.$i") <(tr ',' '\n' <"$out/$machine.$i") | head -6
      status=1
    fi
  done
  echo "same bytes natively, on Nehalem and on aarch64 ($(wc -c <"$out/native.$i") bytes): backprop ${commands[$i]}"
done

echo "-- the matrix product's tests here and on both emulated CPUs (each names the path it took)"
product_tests() { cargo test --locked --quiet --release -p backprop-matmul "$@" -- --nocapture 2>&1 | grep -E "^kernel|test result"; }
product_tests
CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="qemu-x86_64 -cpu Nehalem" product_tests --target x86_64-unknown-linux-gnu
CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" product_tests --target "$aarch64"
exit $status
