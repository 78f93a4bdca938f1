#!/usr/bin/env bash
# Opens the built book in headless Chromium with the network blocked and checks what a reader
# sees: formulas laid out (MathML elements with a non-zero size), pictures drawn, and search
# returning results. Run after `backprop book build`; needs Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=book/build
[ -f "$build/model.html" ] || { echo "build the book first: backprop book build"; exit 1; }
harness="$build/__browser_check.html"
trap 'rm -f "$harness"' EXIT
cat > "$harness" <<'HTML'
<!doctype html><html><body><pre id="out">pending</pre>
<iframe id="math" src="model.html" width="1000" height="800"></iframe>
<iframe id="pictures" src="challenges.html" width="1000" height="800"></iframe>
<iframe id="search" src="index.html?search=gradient" width="1000" height="800"></iframe>
<script>
function sized(list) {
  return list.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length;
}
function check() {
  try {
    const math = [...document.getElementById('math').contentDocument.querySelectorAll('math')];
    const pictures = [...document.getElementById('pictures').contentDocument.querySelectorAll('.backprop-figure svg')];
    const results = document.getElementById('search').contentDocument.querySelectorAll('#mdbook-searchresults li').length;
    document.getElementById('out').textContent =
      `math=${math.length} math_sized=${sized(math)} pictures=${pictures.length} pictures_sized=${sized(pictures)} search=${results}`;
  } catch (e) { document.getElementById('out').textContent = 'error ' + e; }
}
setTimeout(check, 4000);
</script></body></html>
HTML
chromium=$(command -v chromium || command -v chromium-browser)
dom=$("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
  --allow-file-access-from-files --user-data-dir="$(mktemp -d)" \
  --virtual-time-budget=15000 --dump-dom "file://$PWD/$harness" 2>/dev/null)
line=$(printf '%s' "$dom" | grep -o 'math=[0-9][^<]*' | head -1 || true)
echo "browser: $line"
read -r math math_sized pictures pictures_sized search <<<"$(printf '%s' "$line" | sed 's/[a-z_]*=//g')"
fail=0
[ "${math:-0}" -gt 10 ] && [ "${math_sized:-0}" -eq "$math" ] || { echo "formulas are not laid out"; fail=1; }
[ "${pictures:-0}" -ge 2 ] && [ "${pictures_sized:-0}" -eq "$pictures" ] || { echo "pictures are not drawn"; fail=1; }
[ "${search:-0}" -gt 0 ] || { echo "search returns nothing"; fail=1; }
[ "$fail" -eq 0 ] && echo "browser: 1 passed, 0 failed" || { echo "browser: 0 passed, 1 failed"; exit 1; }
