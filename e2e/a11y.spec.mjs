// axe-core (npm, pinned) on every view of the viewer, light and dark, wide and phone-sized:
// no serious or critical violation (WCAG 2.1 A and AA rules, colour contrast included).
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ready = (page) => page.waitForSelector('html[data-ready="true"]');

/** The serious and critical violations on the page as it is now, one line each. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

// [name, url, what to do before checking]
const VIEWS = [
  ['start page', '/', null],
  ['results with a filter', '/?q=su7&e=org%3Axiaomi', null],
  ['an article open', '/?q=su7&a=000_4fbfb928e7286689', null],
  ['an article with a quote and roles', '/?q=anxious&a=001_0fef88d9e394b442', async (page) => { await expect(page.locator('#reader-quotes')).toBeVisible(); }],
  ['an entity page', '/?entity=person%3Alei-jun', async (page) => { await expect(page.locator('#entity-page figure').first()).toBeVisible(); }],
  ['syntax help', '/', async (page) => { await page.locator('.help-button').click(); await expect(page.locator('#help')).toBeVisible(); }],
  ['a long facet list filtered', '/?index=index/e2e/', async (page) => {
    const box = page.locator('.facet-filter').first();
    if (await box.count()) await box.fill('a');
  }],
  ['no results and did-you-mean', '/?q=xiaomj%20zzzqqq', null],
  ['timeline and who appears with whom, a range chosen', '/?index=index/e2e-dated/&q=xiaomi&from=2024-03-01&to=2024-04-30', null],
  ['a dated article with its original link', '/?index=index/e2e-dated/&a=wire-05', null],
  ['the import dialog', '/', async (page) => { await page.locator('#import-open').click(); await expect(page.locator('#import-dialog')).toBeVisible(); }],
  ['about', '/', async (page) => { await page.locator('.about summary').click(); }],
  ['the index-address dialog', '/', async (page) => { await page.locator('#collection').selectOption('url'); await expect(page.locator('#url-dialog')).toBeVisible(); }],
  ['the <news-lens> element in a blog post', '/embed.html', null],
  ['an article in the <news-lens> element', '/embed.html', async (page) => {
    await page.locator('news-lens .hit-title').first().click();
    await expect(page.locator('news-lens .reader')).toBeVisible();
  }],
];

for (const scheme of ['light', 'dark']) {
  for (const [width, height] of [[1280, 860], [360, 740]]) {
    test(`no serious or critical axe violation: ${scheme}, ${width} px`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      const page = await context.newPage();
      const found = [];
      for (const [name, url, act] of VIEWS) {
        await page.goto(url);
        await (url.startsWith('/embed') ? page.waitForSelector('news-lens[data-ready="true"]') : ready(page));
        if (width < 800 && name.includes('filter')) await page.locator('#filters-toggle').click();
        if (act) await act(page);
        for (const v of await violations(page)) found.push(`${name}: ${v}`);
      }
      await context.close();
      expect(found).toEqual([]);
    });
  }
}
