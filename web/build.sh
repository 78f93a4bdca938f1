#!/usr/bin/env bash
# Builds the engine for the browser into the book: book/src/playground/backprop.wasm (or the
# file given as $1). The result is committed, so a fresh clone's book is live without this
# step; CI rebuilds it and fails when it differs (paths are remapped so the bytes do not
# depend on where the repository or cargo's registry lives). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "error: the wasm32 target is missing; add it with: rustup target add wasm32-unknown-unknown" >&2
  exit 2
fi
out=${1:-book/src/playground/backprop.wasm}
registry=${CARGO_HOME:-$HOME/.cargo}
target=${CARGO_TARGET_DIR:-$PWD/target}
# The last matching remapping wins: the target folder (generated code) may lie inside $PWD.
RUSTFLAGS="--remap-path-prefix=$registry=/cargo --remap-path-prefix=$PWD=/backprop --remap-path-prefix=$target=/target" \
  cargo build --locked --quiet -p backprop-web --target wasm32-unknown-unknown --profile wasm
cp "$target/wasm32-unknown-unknown/wasm/backprop_web.wasm" "$out"
echo "wrote $out ($(wc -c <"$out") bytes, $(gzip -9 -c "$out" | wc -c) gzipped)"
