#!/usr/bin/env python3
"""CI: every code listing of the built book, run with python3 (and Debian's python3-numpy), prints
exactly what the page says it prints, the tool's numbers (src/book/listing.rs writes them).

Run from the repository's root after `backprop book build`. A listing marked
data-requires="keras" needs a library Debian does not package: it is counted as shown, not run.
"""
import html
import pathlib
import re
import subprocess
import sys

build = pathlib.Path("book/build")
pattern = re.compile(r'<pre[^>]*class="backprop-listing-output"[^>]*data-listing="([^"]+)"([^>]*)><code>(.*?)</code></pre>', re.S)
seen = {}
for page in sorted(build.glob("*.html")):
    for path, rest, shown in pattern.findall(page.read_text(encoding="utf-8")):
        lines = html.unescape(shown).split("\n", 1)
        seen.setdefault((path, "keras" in rest), []).append((page.name, lines[1] if len(lines) > 1 else ""))

passed = failed = shown_only = 0
for (path, keras), places in sorted(seen.items()):
    if keras:
        shown_only += 1
        print(f"shown, not run (needs keras): {path}")
        continue
    run = subprocess.run([sys.executable, path], capture_output=True, text=True, encoding="utf-8")
    for page, expected in places:
        if run.returncode == 0 and run.stdout == expected:
            passed += 1
            print(f"ok: {path} ({page})")
        else:
            failed += 1
            print(f"FAILED: {path} ({page}): status {run.returncode}\n--- the page shows\n{expected}--- python prints\n{run.stdout}{run.stderr}")

if passed + failed == 0:
    print("no listing found in book/build: build the book first")
    sys.exit(1)
print(f"listings ({shown_only} shown only): {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
