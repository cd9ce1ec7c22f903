// The single-file build (./build.sh single; the test run builds it from the seeds' index)
// opened from file:// as a double-click would, with every network request refused.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../target/single/newslens.html');

test('the single HTML file works from file:// with no network', async ({ page, context }) => {
  expect(existsSync(FILE), `build it first: ./build.sh single (missing ${FILE})`).toBe(true);
  const requests = [];
  await context.route(/^(https?|wss?):/, (route) => { requests.push(route.request().url()); return route.abort(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/trapped/.test(m.text())) errors.push(m.text()); });

  await page.goto(`${pathToFileURL(FILE).href}?q=su7`);
  await page.waitForSelector('html[data-ready="true"][data-single="true"]');
  await expect(page.locator('#count')).toHaveText('3 articles for “su7”');
  await expect(page.locator('#import-open')).toBeHidden(); // no importer in this build
  await page.locator('#facet-groups button.facet-value[data-entity="org:huawei"]').click();
  await expect(page.locator('#count')).toHaveText('1 article for “su7” with Huawei');
  await page.locator('#hits a.hit-title').first().click();
  await expect(page.locator('#reader')).toBeVisible();
  expect(await page.locator('#reader-body .ent').count()).toBeGreaterThan(5);
  await page.locator('#together .co-node').first().focus();
  // A trap is recovered here too: the inlined glue is evaluated again for a fresh instance.
  await page.evaluate(() => window.newslens.forceTrap());
  await expect(page.locator('#status')).toContainText('restarted');
  await page.locator('#q').fill('iphone');
  await expect(page.locator('#count')).toHaveText('1 article for “iphone” with Huawei');
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
});
