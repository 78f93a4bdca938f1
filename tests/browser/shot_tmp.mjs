import { launch } from './chromium.mjs';
const [url, out, width, anchor] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage();
await page.setViewport({ width: Number(width), height: 1400 });
await page.goto(url, { waitUntil: 'networkidle0' });
await new Promise(r => setTimeout(r, 1500));
if (anchor) {
  await page.evaluate((a) => { const el = [...document.querySelectorAll('pre')].find(p => p.textContent.includes(a)); if (el) el.scrollIntoView(); }, anchor);
  await new Promise(r => setTimeout(r, 500));
}
await page.screenshot({ path: out });
await browser.close();
