// The page under a strict Content-Security-Policy, and with no request leaving its origin.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const PORT = 8083;
let server;

test.beforeAll(async () => {
  server = spawn('node', ['scripts/serve.mjs', String(PORT), 'dist', '--header', `Content-Security-Policy: ${CSP}`], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
});
test.afterAll(() => server?.kill());

test('works under a strict CSP with no violation', async ({ page }) => {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const consoleCsp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text()); });
  await page.goto(`http://127.0.0.1:${PORT}/?q=su7&a=000_4fbfb928e7286689`);
  await page.waitForSelector('html[data-ready="true"]');
  await expect(page.locator('#count')).toHaveText(/^3 articles/);
  await page.locator('.facet-value').first().click();
  await page.locator('.help-button').click();
  await page.evaluate(() => window.newslens.forceTrap()); // recovery re-imports the glue: still allowed
  await expect(page.locator('#status')).toContainText('restarted');
  // An import: its worker, the importer's wasm, IndexedDB and the new engine, all under the policy.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['<rss version="2.0"><channel><item><title>Trams in Glasgow</title><guid>t1</guid>'
      + '<description>Trams ran again in Glasgow, the council said.</description></item></channel></rss>'], 'trams.xml'));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.locator('#import-result')).toContainText('Imported 1 article from 1 file.', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await expect(page.locator('#collection')).toHaveValue('imports');
  expect(await page.evaluate(() => window.__csp)).toEqual([]);
  expect(consoleCsp).toEqual([]);
});

test('no request goes anywhere but the page\'s own origin', async ({ page, baseURL }) => {
  const elsewhere = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseURL) && !url.startsWith('data:')) elsewhere.push(url);
  });
  await page.goto('/?q=xiaomi');
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('#hits a.hit-title').first().click();
  await page.locator('#q').fill('iphone');
  await expect(page.locator('#count')).toHaveText('1 article for “iphone”');
  expect(elsewhere).toEqual([]);
});

test('the keyboard reaches everything: / focuses search, arrows move through results, Enter opens, Esc closes', async ({ page }) => {
  await page.goto('/?q=su7');
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  await expect(page.locator('#q')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#hits a.hit-title').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#hits a.hit-title').nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#reader')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#reader')).toBeHidden();
  await page.locator('#hits a.hit-title').first().focus();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#q')).toBeFocused();
});
