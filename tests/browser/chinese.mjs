// The Chinese edition in headless Chromium: every page of build/zh-Hans is lang="zh-Hans",
// at least 80% of its prose's letters are Chinese (code, math, tables and the tool's output left
// out; the references, a list of English-language works, exempt), each page links to the same page in the other edition and back, and
// the search box finds pages for Chinese words, and the live parts speak Chinese (a wrong answer's
// verdict, the buttons, the playground's controls). Screenshots at 1280 and 390 px.
//
//   node tests/browser/chinese.mjs http://127.0.0.1:PORT/ SCREENSHOT_DIR
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { launch } from './chromium.mjs';

const [base, shots = path.join(os.tmpdir(), 'backprop-shots')] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };
const browser = await launch();
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const pages = fs.readdirSync('book/build/zh-Hans').filter((f) => f.endsWith('.html') && !['404.html', 'toc.html', 'print.html'].includes(f));
let least = { share: 1, page: '' };
for (const name of pages) {
  await page.goto(`${base}zh-Hans/${name}`, { waitUntil: 'load' });
  const facts = await page.evaluate(() => {
    const main = document.querySelector('main').cloneNode(true);
    // Left out: code, math, the tool's output (blocks, tables of numbers), figures' labels.
    main.querySelectorAll('pre, code, math, svg, .backprop-block, .backprop-live, .backprop-output, .backprop-figure, table, .backprop-playground, .backprop-class').forEach((n) => n.remove());
    const text = main.textContent;
    const cjk = (text.match(/[\u4e00-\u9fff]/g) || []).length;
    const latin = (text.match(/[A-Za-z]/g) || []).length;
    const link = document.querySelector('a.backprop-language');
    return { lang: document.documentElement.lang, cjk, latin, switchTo: link && link.getAttribute('href') };
  });
  if (facts.lang !== 'zh-Hans') fail(`zh-Hans/${name}: lang is ${facts.lang}`);
  const share = facts.cjk / (facts.cjk + facts.latin);
  if (share < least.share) least = { share, page: name };
  // The references list English-language works by their authors and titles, which are not translated.
  if (share < 0.8 && name !== 'references.html') fail(`zh-Hans/${name}: only ${(100 * share).toFixed(0)}% of the prose is Chinese`);
  if (facts.switchTo !== `../${name}`) fail(`zh-Hans/${name}: the switch leads to ${facts.switchTo}`);
  await page.goto(`${base}${name}`, { waitUntil: 'load' });
  const back = await page.evaluate(() => document.querySelector('a.backprop-language')?.getAttribute('href'));
  if (back !== `zh-Hans/${name}`) fail(`${name}: the switch leads to ${back}`);
}
console.log(`${pages.length} Chinese pages; the least Chinese is ${least.page} at ${(100 * least.share).toFixed(0)}%`);

for (const word of ['反向传播', '梯度消失', '勘误', '学习率', '链式法则']) {
  await page.goto(`${base}zh-Hans/intro.html?search=${encodeURIComponent(word)}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelectorAll('#mdbook-searchresults li').length > 0, { timeout: 5000 })
    .catch(() => fail(`the search finds nothing for ${word}`));
  const found = await page.evaluate(() => [...document.querySelectorAll('#mdbook-searchresults li a')].slice(0, 3).map((a) => a.textContent));
  console.log(`${word}: ${found.join(' | ')}`);
}
await page.screenshot({ path: path.join(shots, 'zh-search-1280.png') });
for (const [width, height] of [[1280, 900], [390, 844]]) {
  await page.setViewport({ width, height, isMobile: width < 500 });
  await page.goto(`${base}zh-Hans/background.html`, { waitUntil: 'load' });
  await page.screenshot({ path: path.join(shots, `zh-background-${width}.png`) });
}
// The live parts speak the page's language: a wrong answer on a Chinese page is judged in
// Chinese (verdict, diagnosis), with Chinese buttons; the playground's controls are Chinese.
{
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await page.goto(`${base}zh-Hans/background.html`, { waitUntil: 'load' });
  const exercise = await page.waitForFunction(() => [...document.querySelectorAll('.backprop-live')].find((b) => b.querySelector('.backprop-live-answer')));
  const button = await exercise.evaluate((block) => block.querySelector('.backprop-live-answer').textContent);
  if (button !== '自己作答') fail(`the answer button on a Chinese page reads ${button}`);
  await exercise.evaluate(async (block) => {
    block.querySelector('.backprop-live-answer').click();
    const field = block.querySelector('.backprop-live-form input');
    field.value = 'a - y';
    block.querySelector('.backprop-live-form button[type=submit]').click();
  });
  const said = await page.waitForFunction((block) => {
    const verdict = block.querySelector('.backprop-live-verdict');
    return verdict && /可能的错误|正确/.test(verdict.textContent) ? verdict.textContent : null;
  }, { timeout: 30000 }, exercise).then((h) => h.jsonValue()).catch((e) => `(no Chinese verdict: ${e})`);
  if (!/可能的错误：/.test(said) || /likely mistake|line \d/.test(said)) fail(`a wrong answer on a Chinese page: ${said}`);
  else console.log(`a wrong answer on a Chinese page: ${said.trim().split('\n').slice(0, 2).join(' / ')}`);
  await page.screenshot({ path: path.join(shots, 'zh-exercise-wrong-390.png') });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}zh-Hans/playground.html`, { waitUntil: 'load' });
  const labels = await page.waitForFunction(() => {
    const buttons = [...document.querySelectorAll('.backprop-playground button')].map((b) => b.textContent.trim());
    return buttons.length ? buttons : null;
  }, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => []);
  for (const word of ['训练', '暂停', '单步', '还原']) {
    if (!labels.includes(word)) fail(`the playground has no ${word} button: ${labels.join(', ')}`);
  }
  await page.screenshot({ path: path.join(shots, 'zh-playground-1280.png') });
}
await browser.close();
if (failures.length) {
  console.log(`${failures.length} failures`);
  process.exit(1);
}
console.log('the Chinese edition: every check passed');
