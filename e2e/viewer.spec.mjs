// The viewer as a reader uses it, in Debian's Chromium, against the optimized wasm build.
import { test, expect } from '@playwright/test';

const ready = (page) => page.waitForSelector('html[data-ready="true"]');
const hitIds = (page) => page.locator('#hits a.hit-title').evaluateAll((as) => as.map((a) => a.dataset.id.slice(0, 3)));
const facet = (page, id) => page.locator(`#facet-groups button.facet-value[data-entity="${id}"]`);

/** Fails the test on any console error or uncaught exception. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('typing a query shows ranked, highlighted results', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  await expect(page.locator('#count')).toHaveText('4 articles');
  await page.locator('#q').pressSequentially('iphone', { delay: 20 });
  await expect(page.locator('#count')).toHaveText('1 article for “iphone”');
  await expect.poll(() => hitIds(page)).toEqual(['003']);
  await expect(page.locator('#hits .hit').first().locator('mark').first()).toHaveText('iPhone');

  await page.locator('#q').fill('SU7');
  await expect(page.locator('#count')).toHaveText('3 articles for “SU7”');
  await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['000', '001', '002']);
  await expect(page.locator('#hits .hit-snippet mark').first()).toHaveText('SU7');
  expect(page.url()).toContain('q=SU7');
  expect(errors).toEqual([]);
});

test('clicking entities filters: OR within a type, AND across types, counts change', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const xiaomi = facet(page, 'org:xiaomi');
  await expect(xiaomi.locator('.facet-count')).toHaveText('4');

  await facet(page, 'org:huawei').click();
  await expect(page.locator('#count')).toHaveText('2 articles with Huawei');
  await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['000', '003']);
  await expect(xiaomi.locator('.facet-count')).toHaveText('4'); // same type: disjunctive count
  await expect(facet(page, 'person:lei-jun').locator('.facet-count')).toHaveText('2');
  await expect(facet(page, 'person:lei-jun').locator('.facet-total')).toHaveText('/4');
  await expect(page.locator('#chips .chip')).toHaveCount(1);

  await facet(page, 'org:weibo').click(); // OR within organisations
  await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['000', '001', '003']);

  await facet(page, 'person:pan-jiutang').click(); // AND across types
  await expect.poll(() => hitIds(page)).toEqual(['003']);

  await page.locator('#chips .chip', { hasText: 'Pan Jiutang' }).click(); // remove a chip
  await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['000', '001', '003']);
  await page.locator('#chips .chip-clear').click();
  await expect(page.locator('#count')).toHaveText('4 articles');
});

test('opening an article shows cleaned text, clickable entities and the query highlighted', async ({ page }) => {
  await page.goto('/?q=intercepted');
  await ready(page);
  await page.locator('#hits a.hit-title').first().click();
  const reader = page.locator('#reader');
  await expect(reader).toBeVisible();
  await expect(page.locator('#reader-title')).toContainText('Lei Jun Responds');
  await expect(reader.locator('#reader-body mark').first()).toHaveText('intercepted');
  await expect(reader.locator('#reader-body')).not.toContainText('SEE ALSO');
  const lei = reader.locator('#reader-body button.ent-person[data-entity="person:lei-jun"]').first();
  await expect(lei).toHaveText('Lei Jun');
  await lei.click(); // an entity in the text becomes a filter
  await expect(page.locator('#chips .chip')).toHaveText(/Lei Jun/);
  expect(page.url()).toContain('e=person%3Alei-jun');
});

test('a shared URL restores query, filters and article; back and forward work', async ({ page }) => {
  const url = '/?q=su7&e=person%3Alei-jun&e=product%3Aluxeed-s7&a=001_0fef88d9e394b442';
  await page.goto(url);
  await ready(page);
  const check = async () => {
    await expect(page.locator('#q')).toHaveValue('su7');
    await expect(page.locator('#chips .chip')).toHaveCount(2);
    await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['000', '001']);
    await expect(page.locator('#reader-title')).toContainText('70k preorders');
  };
  await check();
  await page.reload();
  await ready(page);
  await check();

  await page.locator('#reader-close').click();
  await expect(page.locator('#reader')).toBeHidden();
  await page.locator('#chips .chip', { hasText: 'LUXEED S7' }).click();
  await expect(page.locator('#chips .chip')).toHaveCount(1);
  await page.goBack();
  await expect(page.locator('#chips .chip')).toHaveCount(2);
  await expect(page.locator('#reader')).toBeHidden();
  await page.goBack();
  await expect(page.locator('#reader')).toBeVisible();
  await check();
  await page.goForward();
  await expect(page.locator('#reader')).toBeHidden();
});

test('hostile markup in an article is shown as text and never runs', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto('/?index=index/e2e/index.newslens&q=iframe');
  await ready(page);
  const title = page.locator('#hits a.hit-title').first();
  await expect(title).toContainText('<img src=x onerror=');
  await title.click();
  await expect(page.locator('#reader-body')).toContainText('<script>window.__pwned=\'body\'</script>');
  await page.locator('#reader-body').hover();
  await page.mouse.move(10, 10);
  expect(await page.locator('#hits img, #reader img, #reader script, #reader iframe, #reader b').count()).toBe(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test('a trap in the engine is survived: it is re-created and keeps answering', async ({ page }) => {
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/?q=xiaomi');
  await ready(page);
  const before = await page.evaluate(() => window.newslens.host.generation);
  await page.evaluate(() => window.newslens.forceTrap());
  await expect(page.locator('#status')).toContainText('restarted');
  expect(await page.evaluate(() => window.newslens.host.generation)).toBe(before + 1);
  await page.locator('#q').fill('iphone');
  await expect(page.locator('#count')).toHaveText('1 article for “iphone”');
  expect(pageErrors).toEqual([]);
});

test('a file that is not an index gives a clear message', async ({ page }) => {
  await page.goto('/?index=articles/000_4fbfb928e7286689.txt');
  await expect(page.locator('#status')).toContainText('not a newslens index');
  await expect(page.locator('#count')).toHaveText('The articles could not be loaded.');
});

test('an unknown filter in a link is reported and ignored', async ({ page }) => {
  await page.goto('/?e=person%3Anobody-at-all');
  await ready(page);
  await expect(page.locator('#status')).toContainText('person:nobody-at-all');
  await expect(page.locator('#count')).toHaveText(/^4 articles/);
});

test('the query language: operators, repairs, partial matches and did-you-mean are shown', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.locator('.help-button').click();
  await expect(page.locator('#help')).toBeVisible();
  await expect(page.locator('#help')).toContainText('"lei jun"');
  await page.keyboard.press('Escape');
  await expect(page.locator('#help')).toBeHidden();

  await page.locator('#q').fill('(su7 OR iphone) -huawei "lei jun');
  await expect(page.locator('#understood')).toContainText('(su7 OR iphone) -huawei "lei jun"');
  await expect(page.locator('#understood')).toContainText('unbalanced quote');
  await expect.poll(async () => (await hitIds(page)).sort()).toEqual(['001', '002']);

  await page.locator('#q').fill('xiaomi zeppelin');
  await expect(page.locator('#notice')).toContainText('best partial matches');
  await expect(page.locator('#count')).toHaveText(/^4 articles/);

  await page.locator('#q').fill('xiaomi interceptoin');
  await expect(page.locator('#notice button.did-you-mean')).toHaveText('xiaomi interception');
  await page.locator('#notice button.did-you-mean').click();
  await expect(page.locator('#q')).toHaveValue('xiaomi interception');
  await expect.poll(() => hitIds(page)).toEqual(['000']);

  const why = page.locator('#hits .hit').first().locator('details.why');
  await why.locator('summary').click();
  await expect(why).toContainText(/matched “intercept\w*” \(exact\)/);
});

test('typing a name prefix suggests the entity; sort by date is in the URL', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.locator('#q').pressSequentially('xiaomi lei j', { delay: 20 });
  const suggestion = page.locator('#suggestions .chip', { hasText: 'Lei Jun' });
  await expect(suggestion).toBeVisible();
  await suggestion.click();
  await expect(page.locator('#q')).toHaveValue('xiaomi');
  await expect(page.locator('#chips .chip')).toHaveText(/Lei Jun/);

  await page.locator('#sort').selectOption('date');
  expect(page.url()).toContain('s=date');
  await expect(page.locator('#count')).toHaveText(/^4 articles/);
});

test('a long facet list can be filtered', async ({ page }) => {
  await page.goto('/?index=index/e2e/index.newslens');
  await ready(page);
  const places = page.locator('.facet[data-type="place"]');
  const box = places.locator('input.facet-filter');
  await expect(box).toBeVisible();
  await box.fill('to');
  await expect(places.locator('.facet-name')).toHaveText(['Tokyo', 'Toronto']);
  await box.fill('');
  await expect(places.locator('.facet-more')).toBeVisible();
});

test('Markdown articles keep their date and source; date filters and sorting use them', async ({ page }) => {
  await page.goto('/?index=index/e2e/index.newslens&q=ferry');
  await ready(page);
  const hit = page.locator('#hits .hit').first();
  await expect(hit.locator('.hit-meta')).toHaveText('Harbour Notes · 2024-06-01');
  await page.locator('#q').fill('after:2024-01-01');
  await expect(page.locator('#count')).toHaveText(/^1 article/);
  await page.locator('#q').fill('');
  await page.locator('#sort').selectOption('date');
  await expect(page.locator('#hits a.hit-title').first()).toHaveText('Ferry timetable changes for the summer');
});

test('the dark theme follows the system and the toggle, and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await ready(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const dark = await bg();
  await expect(page.locator('#theme-toggle')).toHaveText('Light');
  await page.locator('#theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await bg()).not.toBe(dark);
  await page.reload();
  await ready(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('#theme-toggle')).toHaveText('Dark');
});

test('a sharded index loads only what each search needs and behaves like one file', async ({ page }) => {
  const errors = watchErrors(page);
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/index/e2e-sharded/')) fetched.push(new URL(r.url()).pathname.replace('/index/e2e-sharded/', '')); });
  await page.goto('/?index=index/e2e-sharded/&q=SU7');
  await ready(page);
  // The engine, and every download it makes, lives in a Web Worker.
  expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual(['/engine-worker.js']);
  // Three stories: seed 002 has a syndicated copy among the fixtures.
  await expect(page.locator('#count')).toHaveText('3 stories (4 articles) for “SU7”');
  // The manifest, the article table, the term shard of "su7", one fragment per hit, then the
  // entity table in the background, which brings the facets.
  await expect(facet(page, 'org:xiaomi')).toBeVisible();
  expect(fetched[0]).toBe('index.newslens');
  expect(fetched.filter((f) => f.startsWith('f/'))).toHaveLength(4);
  expect(fetched.filter((f) => f.startsWith('t/')).length).toBeLessThan(3);
  expect(fetched.some((f) => f.startsWith('ids.'))).toBe(false);

  // A filter and an article opened from a link (through the id list) work as with one file.
  await page.goto('/?index=index/e2e-sharded/&q=xiaomi&e=person%3Alei-jun&a=002_df41c56c829562b5');
  await ready(page);
  await expect(page.locator('#reader-title')).toContainText('Free Road Assistance');
  await expect(page.locator('#reader-body mark').first()).toHaveText(/xiaomi/i);
  await expect(page.locator('#chips .chip')).toHaveText(/Lei Jun/);
  expect(errors).toEqual([]);
});

test('a damaged shard gives a clear message and other searches keep working', async ({ page }) => {
  let damaged = false;
  await page.route('**/index/e2e-sharded/t/**', async (route) => {
    // The first term shard fetched is damaged; fetched again later, it arrives intact.
    try {
      const res = await route.fetch();
      const body = await res.body();
      if (!damaged) { damaged = true; body[body.length - 20] ^= 0xff; }
      await route.fulfill({ response: res, body });
    } catch { /* the page moved on; nothing to answer */ }
  });
  await page.goto('/?index=index/e2e-sharded/&q=ferry');
  await expect(page.locator('#status')).toContainText('index damaged');
  await page.locator('#q').fill('zebra crossing OR iphone');
  await expect(page.locator('#count')).toHaveText(/article/);
});

test('a syndicated copy is folded under its story, and related coverage is linked', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?index=index/e2e/index.newslens&q=road%20assistance');
  await ready(page);
  await expect(page.locator('#count')).toHaveText('1 story (2 articles) for “road assistance”');
  const also = page.locator('#hits .hit').first().locator('details.also-in');
  await expect(also.locator('summary')).toHaveText('Also in 1 other source');
  await also.locator('summary').click();
  await also.locator('a').click();
  await expect(page.locator('#reader-title')).toContainText('free roadside help');
  await expect(page.locator('#reader-copies')).toBeVisible();
  await expect(page.locator('#reader-copies a')).toHaveText(/Free Road Assistance/);
  // Seeds 000 and 001 share sentences but are different stories: linked, not folded.
  await page.goto('/?index=index/e2e/index.newslens&a=000_4fbfb928e7286689');
  await expect(page.locator('#reader-related a').first()).toContainText('70k preorders');
  await expect(page.locator('#reader-copies')).toBeHidden();
  expect(errors).toEqual([]);
});

test('an entity page: roles, quotes with their articles, newest articles, and a filter', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?q=anxious');
  await ready(page);
  await page.locator('#hits a.hit-title').first().click();
  // The reader lists the article's quotes with their speakers, and who is who.
  await expect(page.locator('#reader-quotes figure')).toHaveCount(1);
  await expect(page.locator('#reader-quotes blockquote')).toContainText('If you are anxious to buy a car');
  await expect(page.locator('#reader-quotes .quote-by')).toContainText('Lei Jun');
  await expect(page.locator('#reader-roles li')).toHaveText(['Lu Weibing from Xiaomi']);

  // The speaker opens his page, in the reader's place, with the state in the URL.
  await page.locator('#reader-quotes .quote-by button', { hasText: 'Lei Jun' }).click();
  await expect(page.locator('#entity-page')).toBeVisible();
  await expect(page.locator('#reader')).toBeHidden();
  await expect(page.locator('#entity-name')).toHaveText('Lei Jun');
  await expect(page.locator('#entity-meta')).toHaveText('Person · in 4 articles');
  expect(new URL(page.url()).searchParams.get('entity')).toBe('person:lei-jun');
  await expect(page.locator('#entity-body .roles li').first()).toContainText('Xiaomi: CEO (2 articles)');
  await expect(page.locator('#entity-body figure.quote')).toHaveCount(2);
  await expect(page.locator('#entity-body .article-links').last().locator('li')).toHaveCount(4);

  // A role's organisation is a page too; Back returns; the filter button filters.
  await page.locator('#entity-body .roles button', { hasText: 'Xiaomi' }).first().click();
  await expect(page.locator('#entity-name')).toHaveText('Xiaomi');
  await expect(page.locator('#entity-body .roles')).toContainText('Lei Jun');
  await page.goBack();
  await expect(page.locator('#entity-name')).toHaveText('Lei Jun');
  await page.reload();
  await ready(page);
  await expect(page.locator('#entity-name')).toHaveText('Lei Jun');
  await page.locator('#entity-body .entity-filter').click();
  await expect(page.locator('#entity-page')).toBeHidden();
  await expect(page.locator('#chips .chip')).toHaveText(/Lei Jun/);
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});
