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
// The = signs of each aligned block share one x position (within a pixel).
function aligned(doc) {
  let blocks = 0, good = 0;
  for (const table of doc.querySelectorAll('.math-display mtable')) {
    const xs = [];
    for (const row of table.querySelectorAll(':scope > mtr')) {
      const cells = row.querySelectorAll(':scope > mtd');
      if (cells.length < 2) continue;
      const eq = [...cells[1].querySelectorAll('mo')].find(m => m.textContent.trim() === '=');
      if (eq) xs.push(eq.getBoundingClientRect().left);
    }
    if (xs.length < 2) continue;
    blocks++;
    if (Math.max(...xs) - Math.min(...xs) <= 1) good++;
  }
  return [blocks, good];
}
// Chinese text is marked and set in a CJK font.
function chinese(doc) {
  const spans = [...doc.querySelectorAll('[lang="zh-Hans"]')].filter(s => s.getBoundingClientRect().width > 0);
  const cjk = spans.filter(s => /Noto Sans CJK|Source Han|PingFang|YaHei/.test(getComputedStyle(s).fontFamily));
  return [spans.length, cjk.length];
}
// Every figure names its axes or its nodes: at least three texts that are not bare numbers.
function labelled(doc) {
  const figures = [...doc.querySelectorAll('.backprop-figure svg')];
  const good = figures.filter(svg => [...svg.querySelectorAll('text')]
    .filter(t => !/^[-−+0-9.e ]*$/.test(t.textContent.trim())).length >= 3);
  return [figures.length, good.length];
}
function check() {
  try {
    const m = document.getElementById('math').contentDocument;
    const p = document.getElementById('pictures').contentDocument;
    for (const d of [...m.querySelectorAll('details'), ...p.querySelectorAll('details')]) d.open = true;
    const math = [...m.querySelectorAll('math')];
    const pictures = [...p.querySelectorAll('.backprop-figure svg')];
    const results = document.getElementById('search').contentDocument.querySelectorAll('#mdbook-searchresults li').length;
    const [blocks, alignedBlocks] = aligned(m);
    const [zh, zhFont] = chinese(m);
    const [figures, figuresLabelled] = labelled(p);
    document.getElementById('out').textContent =
      `math=${math.length} math_sized=${sized(math)} pictures=${pictures.length} pictures_sized=${sized(pictures)} search=${results} aligned=${blocks} aligned_ok=${alignedBlocks} zh=${zh} zh_font=${zhFont} figures=${figures} figures_labelled=${figuresLabelled}`;
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
read -r math math_sized pictures pictures_sized search aligned aligned_ok zh zh_font figures figures_labelled \
  <<<"$(printf '%s' "$line" | sed 's/[a-z_]*=//g')"
fail=0
[ "${math:-0}" -gt 10 ] && [ "${math_sized:-0}" -eq "$math" ] || { echo "formulas are not laid out"; fail=1; }
[ "${pictures:-0}" -ge 2 ] && [ "${pictures_sized:-0}" -eq "$pictures" ] || { echo "pictures are not drawn"; fail=1; }
[ "${search:-0}" -gt 0 ] || { echo "search returns nothing"; fail=1; }
[ "${aligned:-0}" -ge 2 ] && [ "${aligned_ok:-0}" -eq "$aligned" ] || { echo "aligned equations do not align"; fail=1; }
[ "${zh:-0}" -ge 5 ] && [ "${zh_font:-0}" -eq "$zh" ] || { echo "Chinese is not set in a CJK font"; fail=1; }
[ "${figures:-0}" -ge 5 ] && [ "${figures_labelled:-0}" -eq "$figures" ] || { echo "a figure has no labels"; fail=1; }
# No page over 600 KB, and nothing fetched from elsewhere: the book works offline.
big=$(find "$build" -name '*.html' -size +600k)
[ -z "$big" ] || { echo "pages over 600 KB: $big"; fail=1; }
external=$(grep -lE '(src="(https?:)?//|<link[^>]*href="(https?:)?//|url[(](https?:)?//)' "$build"/*.html | grep -v __browser_check || true)
[ -z "$external" ] || { echo "pages that load from elsewhere: $external"; fail=1; }
[ "$fail" -eq 0 ] && echo "browser: 1 passed, 0 failed" || { echo "browser: 0 passed, 1 failed"; exit 1; }
