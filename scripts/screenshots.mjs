// Takes the README's screenshots of the viewer in Debian's Chromium.
// Usage: node scripts/screenshots.mjs <out dir>   (starts its own server on port 8082)
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import path from 'node:path';

const out = process.argv[2] || 'docs/screenshots';
const server = spawn('node', ['scripts/serve.mjs', '8082', 'www'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
const shots = [
  ['desktop.png', 1280, 860, '/?q=su7&e=person%3Alei-jun&a=000_4fbfb928e7286689'],
  ['desktop-search.png', 1280, 860, '/?q=iphone'],
  ['phone.png', 390, 844, '/?q=su7&e=org%3Axiaomi'],
  ['phone-reader.png', 390, 844, '/?q=su7&a=002_df41c56c829562b5'],
  ['desktop-dark.png', 1280, 860, '/?q=%22lei%20jun%22%20OR%20iphone&a=003_d46702537c126cfa', 'dark'],
  ['phone-dark.png', 390, 844, '/?q=xiaomi', 'dark'],
];
try {
  for (const [name, width, height, url, colorScheme = 'light'] of shots) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    await page.goto(`http://127.0.0.1:8082${url}`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.screenshot({ path: path.join(out, name) });
    console.log(`wrote ${path.join(out, name)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
