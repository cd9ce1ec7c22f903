// Takes the README's screenshots of the viewer in Debian's Chromium.
// Usage: node scripts/screenshots.mjs <out dir>   (starts its own server on port 8082)
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import path from 'node:path';

const out = process.argv[2] || 'docs/screenshots';
const server = spawn('node', ['scripts/serve.mjs', '8082', 'dist'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
// Every width the viewer is designed for (360 px phones, 768 px tablets, 1280 px desktops), each
// in light and dark, plus the timeline view of a dated collection, entity pages and the
// embedding example.
const DATED = '/?index=index/e2e-dated/';
const shots = [
  ['desktop.png', 1280, 860, '/?q=su7&e=person%3Alei-jun&a=000_4fbfb928e7286689'],
  ['desktop-dark.png', 1280, 860, '/?q=%22lei%20jun%22%20OR%20iphone&a=003_d46702537c126cfa', 'dark'],
  ['desktop-timeline.png', 1280, 860, `${DATED}&q=xiaomi OR byd OR huawei&from=2024-02-01&to=2024-04-30`],
  ['desktop-timeline-dark.png', 1280, 860, `${DATED}&q=`, 'dark'],
  ['tablet.png', 768, 1024, '/?q=iphone'],
  ['tablet-dark.png', 768, 1024, `${DATED}&q=xiaomi`, 'dark'],
  ['phone.png', 360, 780, '/?q=su7&e=org%3Axiaomi'],
  ['phone-reader.png', 360, 780, '/?q=su7&a=002_df41c56c829562b5'],
  ['phone-dark.png', 360, 780, '/?q=xiaomi', 'dark'],
  ['phone-reader-dark.png', 360, 780, `${DATED}&a=wire-05`, 'dark'],
  ['desktop-entity.png', 1280, 860, '/?q=xiaomi&entity=person%3Alei-jun'],
  ['phone-entity-dark.png', 360, 780, '/?entity=org%3Axiaomi', 'dark'],
  ['embed.png', 1280, 1000, '/embed.html', 'light', 'news-lens'],
];
try {
  for (const [name, width, height, url, colorScheme = 'light', ready] of shots) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    await page.goto(`http://127.0.0.1:8082${url}`);
    if (ready) {
      await page.waitForFunction((tag) => {
        const el = document.querySelector(tag);
        return el && el.shadowRoot && el.shadowRoot.querySelector('[part~="results"] li');
      }, ready);
    } else {
      await page.waitForSelector('html[data-ready="true"]');
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, name) });
    console.log(`wrote ${path.join(out, name)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
