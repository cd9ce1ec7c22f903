// The Collection menu's "index at a web address": an index on another origin (here another
// port of 127.0.0.1, which is another origin) opens when it allows the page with CORS, and an
// address that does not, or is not a web address, is a clear message with the collection kept.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';

const PORT = 8084; // the other site, with CORS
let server;

test.beforeAll(async () => {
  server = spawn('node', ['scripts/serve.mjs', String(PORT), 'dist', '--header', 'Access-Control-Allow-Origin: *'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
});
test.afterAll(() => server?.kill());

const ready = (page) => page.waitForSelector('html[data-ready="true"]');

test('an index at another address opens from the Collection menu, and a bad one is explained', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).host));
  await page.goto('/');
  await ready(page);
  await expect(page.locator('#count')).toHaveText('4 articles');

  // Not a web address: said in the dialog, nothing changes.
  await page.locator('#collection').selectOption('url');
  await expect(page.locator('#url-dialog')).toBeVisible();
  await page.locator('#url-input').fill('javascript:alert(1)');
  await page.locator('#url-open').click();
  await expect(page.locator('#url-error')).toContainText('not a web address');
  await expect(page.locator('#collection')).toHaveValue('');

  // Another origin without CORS (localhost is not 127.0.0.1): refused by the browser, said, kept.
  await page.locator('#url-input').fill('http://localhost:8081/index/e2e-sharded/');
  await page.locator('#url-open').click();
  await expect(page.locator('#url-error')).toContainText('could not be opened');
  await page.locator('#url-cancel').click();
  await expect(page.locator('#count')).toHaveText('4 articles');

  // Another origin that allows it: the sharded test index, fetched a query at a time from there.
  await page.locator('#collection').selectOption('url');
  await page.locator('#url-input').fill(`http://127.0.0.1:${PORT}/index/e2e-sharded/`);
  await page.locator('#url-open').click();
  await expect(page.locator('#url-dialog')).toBeHidden();
  await expect(page.locator('#collection')).toHaveValue('remote');
  await expect(page.locator('#collection option:checked')).toHaveText(`The index at 127.0.0.1:${PORT}`);
  await expect(page.locator('#count')).toHaveText('7 stories (8 articles)');
  await page.locator('#q').fill('SU7');
  await expect(page.locator('#count')).toHaveText('3 stories (4 articles) for “SU7”');
  expect(requests).toContain(`127.0.0.1:${PORT}`);
  // Its address is not in the page's link: a reload says so and searches the built-in articles.
  expect(page.url()).not.toContain(String(PORT));
  await page.reload();
  await ready(page);
  await expect(page.locator('#status')).toContainText('not kept in the link');
  await expect(page.locator('#count')).toHaveText('3 articles for “SU7”');
});
