// A student's link in headless Chromium: class.html opened with the fragment `backprop exercise
// variants` wrote for a variant shows that variant's exercise — the very lines `backprop
// exercise show` prints for the same seed — and judges answers in the page: the key's answers
// are right (✓), and one mistaken answer gets its diagnosis. At a phone's width; a screenshot.
//
//   node tests/browser/class.mjs http://127.0.0.1:PORT/ BINARY SCREENSHOT_DIR
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch } from './chromium.mjs';

const [base, binary, shots = path.join(os.tmpdir(), 'backprop-shots')] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };
const cli = (...args) => execFileSync(binary, args, { encoding: 'utf8' });

// The class set the terminal makes: links, sheets and keys.
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'backprop-class-'));
const cases = [
  { sheet: 'examples/class/network.txt', seed: '7', number: 7, wrong: 'δ1[0]' },
  { sheet: 'examples/class/function.txt', seed: '42', number: 3, wrong: 'dL/dz' },
];
const browser = await launch();
for (const c of cases) {
  const dir = path.join(out, path.basename(c.sheet, '.txt'));
  cli('exercise', 'variants', c.sheet, '--count', '30', '--seed', c.seed, '--out', dir);
  const name = `variant-${String(c.number).padStart(2, '0')}`;
  const link = fs.readFileSync(path.join(dir, 'links.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${name}.txt`)).split(/\s+/)[1];
  const sheet = fs.readFileSync(path.join(dir, `${name}.txt`), 'utf8');
  const shown = cli('exercise', 'show', c.sheet, '--number', String(c.number), '--count', '30', '--seed', c.seed);
  if (shown !== sheet) fail(`${c.sheet}: \`exercise show\` differs from \`exercise variants\`'s ${name}.txt`);
  const key = fs.readFileSync(path.join(dir, `${name}-key.txt`), 'utf8');
  const answers = [...key.matchAll(/^check (.+?) = (\S+)$/gm)].map((m) => [m[1], m[2]]);
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
  await page.goto(`${base}${link}`, { waitUntil: 'load' });
  await page.waitForSelector('.backprop-class form input', { timeout: 60000 });
  const stated = await page.$eval('.backprop-class-sheet', (e) => e.textContent);
  const expected = sheet.split('\n').filter((l) => l.trim() && !/^\s*(#|check\s|variant\s|marks\s|carried\s)/.test(l)).join('\n');
  if (stated !== expected) fail(`${c.sheet} variant ${c.number}: the page shows\n${stated}\nwhere the terminal's variant is\n${expected}`);
  const inputs = await page.$$('.backprop-class form input');
  if (inputs.length !== answers.length) fail(`${c.sheet}: ${inputs.length} fields for ${answers.length} questions`);
  for (const [i, [target, value]] of answers.entries()) {
    // One answer with its sign flipped: the diagnosis must say so.
    const typed = target === c.wrong ? String(-Number(value)) : value;
    await inputs[i].type(typed);
  }
  await page.click('.backprop-class form button[type=submit]');
  await page.waitForFunction(() => /[✓✗]/.test(document.querySelector('.backprop-class .backprop-live-verdict')?.textContent || ''), { timeout: 60000 });
  const verdict = await page.$eval('.backprop-class .backprop-live-verdict', (e) => e.textContent);
  const rights = (verdict.match(/✓/g) || []).length;
  if (rights !== answers.length - 1) fail(`${c.sheet}: ${rights} answers right of the key's ${answers.length - 1}:\n${verdict}`);
  if (!verdict.includes(`✗ ${c.wrong} =`) || !verdict.includes('likely mistake: the sign is flipped')) {
    fail(`${c.sheet}: the flipped ${c.wrong} is not diagnosed:\n${verdict}`);
  }
  await page.screenshot({ path: path.join(shots, `class-${path.basename(c.sheet, '.txt')}-390.png`), fullPage: true });
  await page.close();
  console.log(`ok ${c.sheet} variant ${c.number}: the page's variant is the terminal's, ${rights} right, the mistake named`);
}
await browser.close();
if (failures.length) {
  console.log(`${failures.length} failures`);
  process.exit(1);
}
