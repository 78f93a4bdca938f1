// Debian's Chromium as every browser test starts it: headless, a fresh profile, and every host
// but 127.0.0.1 unreachable (a proxy that does not exist), so a page can fetch nothing else.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import puppeteer from 'puppeteer-core';

export const launch = () => puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'backprop-chromium-')),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=127.0.0.1'],
});
