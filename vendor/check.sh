#!/usr/bin/env bash
# vendor/plotters is plotters 0.3.7 as released on crates.io, cut down to the files that build
# here, with vendor/plotters.patch applied: this checks it file by file (CI runs it). The
# release comes through cargo itself (a throwaway project fetches it into cargo's cache) and is
# checked against crates.io's checksum. Needs network access the first time, like any build.
set -euo pipefail
cd "$(dirname "$0")"
checksum=5aeb6f403d7a4911efb1e33402027fc44f29b5bf6def3effcc22d7bb75f2b747
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fetch/src"
printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nplotters = { version = "=0.3.7", default-features = false }\n' \
  >"$work/fetch/Cargo.toml"
: >"$work/fetch/src/lib.rs"
cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml"
crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/plotters-0.3.7.crate | head -1)
echo "$checksum  $crate" | sha256sum --check --quiet
tar -xzf "$crate" -C "$work"
release="$work/plotters-0.3.7"
# The release's copy of each file we keep (a file the patch creates has none), then the patch.
mkdir "$work/expected"
(cd plotters && find . -type f) | while read -r file; do
  if [ -f "$release/$file" ]; then
    mkdir -p "$work/expected/$(dirname "$file")"
    cp "$release/$file" "$work/expected/$file"
  fi
done
patch --quiet --directory="$work/expected" -p1 <plotters.patch
if ! diff -r "$work/expected" plotters; then
  echo "vendor/plotters is not plotters 0.3.7 (its kept files) with vendor/plotters.patch applied" >&2
  exit 1
fi
echo "vendor/plotters = plotters 0.3.7 ($(cd plotters && find . -type f | wc -l) files) + vendor/plotters.patch"
