// Exploring a dated collection: the timeline (drag, keyboard), who appears with whom,
// more results, and the reader's link to the original and "more like this".
// The corpus is e2e/dated/wire-2024.jsonl (our own short articles), built by build.sh.
import { test, expect } from '@playwright/test';

const DATED = '/?index=index/e2e-dated/';
const ready = (page) => page.waitForSelector('html[data-ready="true"]');
const param = (page, name) => new URL(page.url()).searchParams.get(name);
const hitDates = (page) => page.locator('#hits .hit-meta').evaluateAll((ps) => ps.map((p) => p.textContent.split(' · ').pop()));

function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the timeline shows the matches by month; dragging across it keeps that date range', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(DATED);
  await ready(page);
  const bars = page.locator('#timeline .tl-bar');
  await expect(bars).toHaveCount(12); // Jan..Dec 2024
  await expect(bars.nth(2)).toHaveAttribute('aria-label', 'Mar 2024: 2 articles');
  await expect(bars.nth(7)).toHaveAttribute('aria-label', 'Aug 2024: 0 articles');

  // Drag from March to April.
  const from = await bars.nth(2).boundingBox();
  const to = await bars.nth(3).boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height - 4);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 4, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => param(page, 'from')).toBe('2024-03-01');
  expect(param(page, 'to')).toBe('2024-04-30');
  await expect(page.locator('#count')).toHaveText('4 articles dated 1 Mar 2024 – 30 Apr 2024');
  for (const d of await hitDates(page)) expect(d >= '2024-03-01' && d <= '2024-04-30', d).toBe(true);
  // The bars outside the range still show what widening it would add.
  await expect(bars.nth(0)).toHaveAttribute('aria-label', 'Jan 2024: 1 article');
  await expect(page.locator('#timeline .tl-bar.chosen')).toHaveCount(2);

  // The range combines with a query and survives a reload; its chip removes it.
  await page.locator('#q').fill('xiaomi');
  await expect(page.locator('#count')).toHaveText('4 articles for “xiaomi” dated 1 Mar 2024 – 30 Apr 2024');
  await page.reload();
  await ready(page);
  await expect(page.locator('#count')).toHaveText('4 articles for “xiaomi” dated 1 Mar 2024 – 30 Apr 2024');
  await page.locator('#chips .chip-date').click();
  await expect(page.locator('#count')).toHaveText('8 articles for “xiaomi”');
  expect(param(page, 'from')).toBeNull();
  expect(errors).toEqual([]);
});

test('the timeline works from the keyboard: arrows move, Enter picks, Shift+Enter extends', async ({ page }) => {
  await page.goto(DATED);
  await ready(page);
  const bars = page.locator('#timeline .tl-bar');
  await bars.last().focus(); // the one tab stop starts at the newest month
  await expect(bars.last()).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight'); // February
  await page.keyboard.press('Enter');
  await expect.poll(() => param(page, 'from')).toBe('2024-02-01');
  expect(param(page, 'to')).toBe('2024-02-29');
  await expect(page.locator('#count')).toHaveText('2 articles dated 1 Feb 2024 – 29 Feb 2024');
  await page.locator('#timeline .tl-bar.chosen').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight'); // April
  await page.keyboard.press('Shift+Enter');
  await expect.poll(() => param(page, 'to')).toBe('2024-04-30');
  expect(param(page, 'from')).toBe('2024-02-01');
  await expect(page.locator('#timeline .tl-bar.chosen')).toHaveCount(3);
});

test('who appears with whom: names and lines filter, counts agree with the facets', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(DATED);
  await ready(page);
  const nodes = page.locator('#together .co-node');
  expect(await nodes.count()).toBeGreaterThan(4);
  // Each node says how many matching articles name it: the same as its facet's count.
  for (const id of ['org:xiaomi', 'org:huawei', 'person:lei-jun']) {
    const label = await page.locator(`#together .co-node[data-entity="${id}"]`).getAttribute('aria-label');
    const facetCount = await page.locator(`#facet-groups button.facet-value[data-entity="${id}"] .facet-count`).textContent();
    expect(label).toContain(`in ${facetCount} articles`);
  }
  // Keyboard: focus a name, Enter filters by it.
  await page.locator('#together .co-node[data-entity="person:lei-jun"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.getAll('e')).toEqual(['person:lei-jun']);
  await expect(page.locator('#count')).toHaveText('5 articles with Lei Jun');
  // A line between two names of different types keeps the articles naming both.
  await page.locator('#chips .chip-clear').click();
  const line = page.locator('#together .co-link[data-a="org:xiaomi"][data-b="org:huawei"], #together .co-link[data-a="org:huawei"][data-b="org:xiaomi"]');
  await expect(line).toHaveCount(1);
  const pair = page.locator('#together .co-link').filter({ has: page.locator('title', { hasText: /^Lei Jun and Huawei|^Huawei and Lei Jun/ }) });
  await expect(pair).toHaveCount(1);
  const title = await pair.locator('title').textContent();
  await pair.dispatchEvent('click');
  await expect.poll(() => new URL(page.url()).searchParams.getAll('e').sort()).toEqual(['org:huawei', 'person:lei-jun']);
  // The address changes before the results are drawn: wait for the count that names both.
  await expect(page.locator('#count')).toHaveText(/ with (Huawei, Lei Jun|Lei Jun, Huawei)$/);
  const n = Number((await page.locator('#count').textContent()).split(' ')[0]);
  expect(n).toBeGreaterThan(0);
  expect(title).toContain(`: ${n} article`);
  expect(errors).toEqual([]);
});

test('beyond the first page, more results load on demand and keep the order', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase('newslens');
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  }));
  // 45 dated notes, imported through the page like any user's file.
  const jsonl = Array.from({ length: 45 }, (_, i) => JSON.stringify({
    id: `note-${i}`, title: `Harbour note ${i + 1}`, date: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
    body: `Harbour note number ${i + 1} about the ferries of Bergen.`,
  })).join('\n');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'notes.jsonl'));
    document.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, jsonl);
  await expect(page.locator('#import-result')).toContainText('Imported 45 articles', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await page.locator('#sort').selectOption('date');
  const titles = page.locator('#hits a.hit-title');
  await expect(titles).toHaveCount(20);
  const more = page.locator('#more');
  await expect(more).toHaveText('Show more results (20 of 45 shown)');
  const first20 = await titles.allTextContents();
  await more.click();
  await expect(titles).toHaveCount(40);
  expect((await titles.allTextContents()).slice(0, 20)).toEqual(first20); // same order, extended
  await expect(titles.nth(20)).toBeFocused(); // keyboard users land on the first new result
  await more.click();
  await expect(titles).toHaveCount(45);
  await expect(more).toBeHidden();
  const all = await page.evaluate(() => window.newslens.host.search('', [], 100, 0, 0, 'date', false).then((r) => r.hits.map((h) => h.title)));
  expect(await titles.allTextContents()).toEqual(all);
  // A new search starts again at one page.
  await page.locator('#q').fill('ferries');
  await expect(titles).toHaveCount(20);
});

test('the reader links to the original and lists more stories like this one', async ({ page }) => {
  await page.goto(`${DATED}&a=wire-05`);
  await ready(page);
  await expect(page.locator('#reader-title')).toHaveText('Lei Jun answers critics on delivery times');
  const more = page.locator('#reader-more-list a');
  expect(await more.count()).toBeGreaterThan(0);
  expect(await more.count()).toBeLessThanOrEqual(5);
  await more.first().click();
  await expect.poll(() => param(page, 'a')).not.toBe('wire-05');
  await expect(page.locator('#reader')).toBeVisible();
  // Articles without a URL show no link rather than a dead one.
  await expect(page.locator('#reader-original')).toBeHidden();
  await page.goBack();
  const original = page.locator('#reader-original a');
  await expect(original).toHaveText('Read the original at news.example.com');
  await expect(original).toHaveAttribute('href', 'https://news.example.com/2024/04/lei-jun-delivery-times');
  await expect(original).toHaveAttribute('rel', 'noopener noreferrer nofollow');
});
