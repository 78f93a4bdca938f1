#!/usr/bin/env bash
# Every page of the built book in headless Chromium at 390 and 1280 px, served by
# `backprop book serve` with every other host blocked (tests/browser/pages.mjs says what is
# checked). Run after `backprop book build`; needs Debian's chromium, node and the npm packages
# of tests/browser/package-lock.json (`npm ci --prefix tests/browser`).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f book/build/intro.html ] || { echo "build the book first: backprop book build"; exit 1; }
cargo build --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/backprop"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
log=$(mktemp)
trap 'rm -f "$log"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
"$bin" book serve book --port 0 >"$log" 2>&1 &
server=$!
url=$(for _ in $(seq 50); do grep -o 'http://127.0.0.1:[0-9]*/' "$log" && break; sleep 0.1; done | head -1)
[ -n "$url" ] || { echo "the server did not start: $(cat "$log")"; exit 1; }
node tests/browser/pages.mjs "$url" "${SCREENSHOTS:-${TMPDIR:-/tmp}/backprop-screenshots}"
# A student's link opens their variant (the terminal's, byte for byte) and is judged in the page.
node tests/browser/class.mjs "$url" "$bin" "${SCREENSHOTS:-${TMPDIR:-/tmp}/backprop-screenshots}"
# The Chinese edition: lang, Chinese prose, the language switch both ways, Chinese search.
node tests/browser/chinese.mjs "$url" "${SCREENSHOTS:-${TMPDIR:-/tmp}/backprop-screenshots}"
