// A revisit works offline: the service worker (www/sw.js) keeps the page, the engine and
// the last index, and the page says so.
import { test, expect } from '@playwright/test';

test('after one visit, the viewer opens and searches with the network off', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto('/?q=su7');
  await page.waitForSelector('html[data-offline="ready"]');
  await expect(page.locator('#offline-note')).toContainText('Saved for offline use');
  await page.reload(); // now controlled by the worker, which caches what the visit fetches
  await page.waitForSelector('html[data-ready="true"]');
  await expect(page.locator('#count')).toHaveText('3 articles for “su7”');

  await context.setOffline(true);
  await page.goto('/?q=iphone&a=003_d46702537c126cfa');
  await page.waitForSelector('html[data-ready="true"]');
  await expect(page.locator('#status')).toContainText('You are offline');
  await expect(page.locator('#count')).toHaveText('1 article for “iphone”');
  await expect(page.locator('#reader-title')).toContainText('iPhone');
  await page.locator('#q').fill('huawei');
  await expect(page.locator('#count')).toHaveText('2 articles for “huawei”');
  await context.setOffline(false);
  await context.close();
});
