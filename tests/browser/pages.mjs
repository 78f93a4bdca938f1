// Every page of the built book in headless Chromium (Debian's), served by `backprop book serve`,
// at a phone's width (390 px) and a desktop's (1280 px): nothing wider than its box unless it
// scrolls in it, plot text at least 10 px as displayed, aligned equations aligned at "=", axe-core's
// WCAG 2 A/AA rules with no serious or critical violation; then, at 390 px, a wrong exercise
// answer's diagnosis visible; the engine fetched from the cache by a visit's second page (its
// transfer measured); and the intro on a slow phone (Fast 3G, CPU 4× slower): when the page is
// readable and when the engine has arrived. Screenshots go to the folder given.
//
//   node tests/browser/pages.mjs http://127.0.0.1:PORT/ SCREENSHOT_DIR
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import { launch } from './chromium.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, shots = path.join(os.tmpdir(), 'backprop-shots')] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const pages = fs.readdirSync('book/build').filter((f) => f.endsWith('.html') && !f.startsWith('__') && f !== '404.html' && f !== 'print.html' && f !== 'toc.html').sort();


const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };
let checks = 0;

// What a page shows that is wider than its box without scrolling in it, plot text under 10 px,
// and aligned blocks whose "=" signs do not line up.
function layout() {
  const problems = [];
  const main = document.querySelector('main');
  const box = main.getBoundingClientRect();
  const scrolls = (e) => { for (let p = e; p && p !== main; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return p; } return null; };
  const name = (e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''} "${(e.textContent || '').trim().slice(0, 40)}"`;
  if (document.documentElement.scrollWidth > innerWidth + 1) problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${innerWidth} px window`);
  for (const e of main.querySelectorAll('.math-display, table, pre, .backprop-figure, math, svg, img, .backprop-live-form, details')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || e.closest('[hidden]')) continue;
    const scroller = scrolls(e.parentElement || e);
    const own = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    if (own && e.scrollWidth > e.clientWidth + 1 && !e.hasAttribute('tabindex') && !e.querySelector('[tabindex]')) {
      // A box that scrolls must be reachable from the keyboard (axe checks it too).
    }
    if (!own && !scroller && r.right > box.right + 1) problems.push(`${name(e)} reaches ${Math.round(r.right - box.right)} px past its box`);
    if (getComputedStyle(e).overflowX === 'hidden' && e.scrollWidth > e.clientWidth + 1) problems.push(`${name(e)} is cut off`);
  }
  // Plot text as displayed: the font size times the picture's scale.
  let smallest = Infinity;
  for (const svg of main.querySelectorAll('.backprop-figure svg')) {
    const r = svg.getBoundingClientRect();
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (!r.width || !vb || !vb.width) continue;
    const scale = r.width / vb.width;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < smallest) smallest = size;
      if (size < 10 - 1e-6) { problems.push(`plot text "${t.textContent.trim().slice(0, 20)}" is ${size.toFixed(1)} px`); break; }
    }
  }
  for (const img of main.querySelectorAll('img.backprop-live-picture')) void img;
  let aligned = 0;
  for (const table of main.querySelectorAll('.math-display mtable')) {
    const xs = [];
    for (const row of table.querySelectorAll(':scope > mtr')) {
      const cells = row.querySelectorAll(':scope > mtd');
      if (cells.length < 2) continue;
      const eq = [...cells[1].querySelectorAll('mo')].find((m) => m.textContent.trim() === '=');
      if (eq) xs.push(eq.getBoundingClientRect().left);
    }
    if (xs.length < 2 || table.closest('details:not([open])')) continue;
    aligned++;
    if (Math.max(...xs) - Math.min(...xs) > 1) problems.push(`an aligned block's "=" signs are ${Math.round(Math.max(...xs) - Math.min(...xs))} px apart`);
  }
  return { problems, smallest: smallest === Infinity ? null : smallest, aligned };
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

const browser = await launch();
let axeCount = 0;
let smallestText = Infinity;
const shot = new Set(['intro.html', 'background.html', 'concepts.html', 'algorithm.html', 'model.html', 'practice.html', 'challenges.html', 'playground.html', 'errata.html']);
for (const width of [390, 1280]) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: width === 390 ? 844 : 900, deviceScaleFactor: 1, isMobile: width === 390 });
  for (const file of pages) {
    await page.goto(base + file, { waitUntil: 'load' });
    // Open every folded block, so that what it holds is measured too.
    await page.evaluate(() => { for (const d of document.querySelectorAll('main details')) d.open = true; });
    const { problems, smallest, aligned } = await page.evaluate(layout);
    checks++;
    if (smallest !== null) smallestText = Math.min(smallestText, smallest);
    for (const p of problems) fail(`${file} at ${width} px: ${p}`);
    const violations = await axe(page);
    axeCount += violations.length;
    for (const v of violations) fail(`${file} at ${width} px: axe ${v}`);
    if (shot.has(file)) await page.screenshot({ path: path.join(shots, `${file.replace('.html', '')}-${width}.png`), fullPage: width === 390 ? false : false });
    if (aligned && width === 1280) console.log(`${file}: ${aligned} aligned blocks`);
  }
  await page.close();
}
console.log(`pages: ${pages.length} at 390 and 1280 px; smallest plot text ${smallestText.toFixed(1)} px; serious or critical axe violations: ${axeCount}`);

// A wrong answer at a phone's width: the diagnosis is on screen, not off its right edge.
{
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await page.goto(base + 'background.html', { waitUntil: 'load' });
  const exercise = await page.waitForFunction(() => [...document.querySelectorAll('.backprop-live')].find((b) => b.querySelector('.backprop-live-answer')));
  await exercise.evaluate(async (block) => {
    block.querySelector('.backprop-live-answer').click();
    const field = block.querySelector('.backprop-live-form input');
    field.value = 'a - y';
    block.querySelector('.backprop-live-form button[type=submit]').click();
  });
  const seen = await page.waitForFunction((block) => {
    const verdict = block.querySelector('.backprop-live-verdict, .backprop-live-output pre');
    if (!verdict || !/likely mistake/.test(verdict.textContent)) return null;
    const line = [...verdict.querySelectorAll('*'), verdict].find((e) => /likely mistake/.test(e.textContent) && e.children.length === 0) || verdict;
    const range = document.createRange();
    range.selectNodeContents(line);
    const rects = [...range.getClientRects()];
    const right = Math.max(...rects.map((r) => r.right));
    return { right, width: innerWidth, scrolls: verdict.scrollWidth > verdict.clientWidth + 1 };
  }, { timeout: 30000 }, exercise).then((h) => h.jsonValue()).catch((e) => ({ error: String(e) }));
  checks++;
  if (seen.error || seen.right > seen.width || seen.scrolls) fail(`the diagnosis of a wrong answer is not visible at 390 px: ${JSON.stringify(seen)}`);
  else console.log(`diagnosis visible at 390 px (its text ends at ${Math.round(seen.right)} px)`);
  await page.screenshot({ path: path.join(shots, 'exercise-wrong-390.png') });
  await page.close();
}

// What the page's engine fetched, as its worker saw it (transferSize 0: from the cache), and
// when (on the page's clock).
async function engineFetch(page) {
  await page.waitForFunction(() => window.backpropEngine && window.backpropEngine.worker, { timeout: 120000 });
  const seen = await page.evaluate(async () => {
    const r = await window.backpropEngine.resources();
    // The page's own request for it (the <link rel="preload"> in its head).
    const preloaded = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'))
      .map((e) => ({ name: e.name, transferSize: e.transferSize, responseEnd: e.responseEnd }));
    return { ...r, preloaded, pageOrigin: performance.timeOrigin };
  });
  const inWorker = seen.entries.filter((e) => e.name.endsWith('.wasm'));
  const wasm = [...seen.preloaded, ...inWorker];
  return {
    wasm,
    bytes: wasm.reduce((s, e) => s + e.transferSize, 0),
    // When the bytes were on the device (the first request to finish), and when the worker had them.
    downloaded: wasm.length ? Math.min(...seen.preloaded.map((e) => e.responseEnd), ...inWorker.map((e) => seen.timeOrigin - seen.pageOrigin + e.responseEnd)) : null,
    arrived: inWorker.length ? seen.timeOrigin + Math.max(...inWorker.map((e) => e.responseEnd)) - seen.pageOrigin : null,
  };
}

// The engine across a visit, from an empty cache: the second page takes it from the cache.
{
  const visit = await browser.createBrowserContext();
  const page = await visit.newPage();
  await page.goto(base + 'intro.html', { waitUntil: 'load' });
  const first = await engineFetch(page);
  await page.goto(base + 'concepts.html', { waitUntil: 'load' });
  const second = await engineFetch(page);
  checks++;
  console.log(`engine transfer: first page ${first.bytes} bytes (${first.wasm.length} request), second page ${second.bytes} bytes (${second.wasm.length} request, ${second.wasm.every((e) => e.transferSize === 0) ? 'from the cache' : 'over the network'})`);
  if (!first.wasm.length || first.bytes === 0 || second.bytes > 1024) fail(`the second page of a visit transfers the engine again (${second.bytes} bytes)`);
  await visit.close();
}

// The intro on a slow phone, its first visit: Chromium's own network emulation at Fast 3G
// (1.6 Mbit/s down, 750 kbit/s up, 150 ms) and the CPU 4× slower, nothing cached. The page asks
// for the engine itself (<link rel="preload">), so the emulation applies to its download; the
// worker then finds it in the cache.
{
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  const client = await page.createCDPSession();
  await client.send('Network.enable');
  await client.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  await client.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(base + 'intro.html', { waitUntil: 'domcontentloaded', timeout: 120000 });
  const readable = await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd);
  const fetched = await engineFetch(page).catch(() => ({ arrived: null, downloaded: null, wasm: [], bytes: 0 }));
  const transfer = await page.evaluate(() => performance.getEntriesByType('resource').reduce((s, e) => s + e.transferSize, 0) + performance.getEntriesByType('navigation')[0].transferSize);
  checks++;
  const { arrived, downloaded } = fetched;
  const seconds = (t) => (t === null ? 'never' : (t / 1000).toFixed(1) + ' s');
  console.log(`slow phone (Fast 3G, CPU 4×): intro readable after ${seconds(readable)}; engine downloaded after ${seconds(downloaded)} and in its worker after ${seconds(arrived)} (${Math.round(fetched.bytes / 1024)} KB); everything the page fetched ${Math.round(transfer / 1024)} KB`);
  if (arrived === null || arrived > 5000) fail(`on a slow phone the intro's engine arrives after ${seconds(arrived)} (budget 5 s)`);
  await page.screenshot({ path: path.join(shots, 'intro-slow-phone-390.png') });
  await context.close();
}

await browser.close();
console.log(`screenshots in ${shots}`);
console.log(`pages: ${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
