// Importing the reader's own news in the page: drop, paste, progress, warnings, cancel,
// persistence across reloads (IndexedDB), removal and export.
import { test, expect } from '@playwright/test';

const ready = (page) => page.waitForSelector('html[data-ready="true"]');

/** Fails the test on any uncaught exception. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

function feed(items) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Wire</title>
${items.map(([guid, title, body]) => `<item><title>${title}</title><guid>${guid}</guid><pubDate>Tue, 02 Apr 2024 09:00:00 GMT</pubDate><description>${body}</description></item>`).join('\n')}
</channel></rss>`;
}

const WIRE = feed([
  ['wire-1', 'Hamburg harbour reopens after the storm', 'The port of Hamburg reopened on Monday, harbour master Anna Verbeek said. Ships queued along the Elbe.'],
  ['wire-2', 'Ferry operators count the cost', 'Stena Line said the closure cost it two sailings a day. The operator expects normal service by Friday.'],
  ['wire-3', 'Dockworkers return to the quays', 'Union leader Pieter Smit said dockworkers went back to work at dawn in Hamburg.'],
]);

/** Drops files on the page the way a browser does (a drop event carrying Files). */
async function drop(page, files) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: f.type || '' }));
    document.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

async function clearStorage(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase('newslens');
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  }));
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await clearStorage(page);
  await page.reload();
  await ready(page);
});

test('a dropped feed is imported with progress, searched, and found again after a reload', async ({ page }) => {
  const errors = watchErrors(page);
  const stages = [];
  await page.exposeFunction('noteProgress', (text) => stages.push(text));
  await page.evaluate(() => {
    new MutationObserver(() => window.noteProgress(document.getElementById('import-progress-text').textContent))
      .observe(document.getElementById('import-progress-text'), { childList: true, characterData: true, subtree: true });
  });
  await drop(page, [{ name: 'wire.xml', text: WIRE }, { name: 'broken.json', text: '[{"title": "cut off' }]);
  await expect(page.locator('#import-dialog')).toBeVisible();
  const result = page.locator('#import-result');
  await expect(result).toContainText('Imported 3 articles from 1 file.', { timeout: 20_000 });
  // The bad file is a warning naming it; the rest loaded.
  await expect(result.locator('.import-warnings li')).toContainText(['broken.json']);
  expect(stages.some((s) => s.startsWith('Reading files'))).toBe(true);
  expect(stages.some((s) => s.startsWith('Building the index'))).toBe(true);
  await expect(page.locator('#import-list')).toContainText('wire.xml');

  await page.keyboard.press('Escape');
  await expect(page.locator('#collection')).toHaveValue('imports');
  await expect(page.locator('#count')).toHaveText('3 articles');
  await page.locator('#q').fill('harbour');
  await expect(page.locator('#count')).toHaveText('1 article for “harbour”');
  await expect(page.locator('#hits .hit-title')).toHaveText('Hamburg harbour reopens after the storm');
  // Entities were extracted in the browser: the place is a facet.
  await expect(page.locator('#facet-groups button.facet-value[data-entity="place:hamburg"]')).toBeVisible();
  await expect(page.locator('#facet-groups button.facet-value[data-entity="person:anna-verbeek"]')).toBeVisible();

  await page.reload();
  await ready(page);
  await expect(page.locator('#collection')).toHaveValue('imports');
  await expect(page.locator('#count')).toHaveText('1 article for “harbour”');
  // The built-in collection is still one choice away, untouched.
  await page.locator('#collection').selectOption('');
  await expect(page.locator('#count')).toHaveText('0 articles for “harbour”');
  await page.locator('#q').fill('');
  await expect(page.locator('#count')).toHaveText('4 articles');
  expect(errors).toEqual([]);
});

test('re-importing an updated feed updates its items instead of doubling them', async ({ page }) => {
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  const updated = WIRE.replace('Hamburg harbour reopens after the storm', 'Hamburg harbour fully reopens');
  await drop(page, [{ name: 'wire.xml', text: updated }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles from 1 file.', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await page.locator('#q').fill('reopens');
  await expect(page.locator('#hits .hit-title')).toHaveText(['Hamburg harbour fully reopens']);
});

test('pasted text is recognised and imported; files can be removed', async ({ page }) => {
  await page.locator('#import-open').click();
  await page.locator('.import-paste summary').click();
  await page.locator('#import-paste').fill('[{"id": "p1", "title": "Glasgow trams return", "body": "Trams ran again in Glasgow on Sunday, the council said.", "date": "2024-05-05"}]');
  await page.locator('#import-paste-go').click();
  await expect(page.locator('#import-result')).toContainText('Imported 1 article from 1 file.', { timeout: 20_000 });
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 4 articles from 2 files.', { timeout: 20_000 });
  await expect(page.locator('#collection option[value="imports"]')).toHaveText('My imports (4)');

  await page.locator('#import-list button[aria-label="Remove wire.xml"]').click();
  await expect(page.locator('#import-result')).toContainText('Imported 1 article from 1 file.', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await expect(page.locator('#count')).toHaveText('1 article');

  await page.locator('#import-open').click();
  await page.locator('#import-clear').click();
  await expect(page.locator('#import-result')).toContainText('Every imported file was removed');
  await expect(page.locator('#collection')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(page.locator('#count')).toHaveText('4 articles');
});

test('a cancelled import leaves the previous collection intact', async ({ page }) => {
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  // Enough articles that the import is still running when Cancel is pressed.
  const big = Array.from({ length: 150000 }, (_, i) => JSON.stringify({
    id: `big-${i}`, title: `Bulletin ${i} from Lisbon`,
    body: `Officials in Lisbon said on Tuesday that bulletin ${i} was the ${i}th of the series, according to Maria Costa.`,
  })).join('\n');
  await drop(page, [{ name: 'big.jsonl', text: big }]);
  await expect(page.locator('#import-progress')).toBeVisible();
  await expect(page.locator('#import-progress-text')).toContainText(/Finding (names|entities) · [\d,]+ of 150,003 articles/);
  await page.locator('#import-cancel').click();
  await expect(page.locator('#import-result')).toContainText('Import cancelled. Your collection is unchanged.');
  await page.keyboard.press('Escape');
  await expect(page.locator('#count')).toHaveText('3 articles');
  await page.reload();
  await ready(page);
  await expect(page.locator('#count')).toHaveText('3 articles');
  await page.locator('#import-open').click();
  await expect(page.locator('#import-list')).not.toContainText('big.jsonl');
});

test('the built index can be downloaded and opened as a collection', async ({ page }) => {
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#import-export').click()]);
  expect(download.suggestedFilename()).toBe('my-news.newslens');
  const bytes = Buffer.concat(await (await download.createReadStream()).toArray());
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('NEWSLENS');

  // Another browser (here: storage cleared) opens the file by dropping it.
  await clearStorage(page);
  await page.reload();
  await ready(page);
  await page.evaluate((b64) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'my-news.newslens'));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes.toString('base64'));
  await expect(page.locator('#collection')).toHaveValue('opened');
  await expect(page.locator('#collection option[value="opened"]')).toHaveText('my-news.newslens');
  await expect(page.locator('#count')).toHaveText('3 articles');
});

test('a tab closed in the middle of an import leaves the previous collection intact', async ({ page, context }) => {
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  const big = Array.from({ length: 150000 }, (_, i) => JSON.stringify({ id: `b-${i}`, title: `Note ${i}`, body: `Lisbon note ${i}.` })).join('\n');
  await drop(page, [{ name: 'big.jsonl', text: big }]);
  await expect(page.locator('#import-progress-text')).toContainText('Finding');
  await page.close({ runBeforeUnload: false });

  const again = await context.newPage();
  await again.goto('/?c=imports');
  await ready(again);
  await expect(again.locator('#count')).toHaveText('3 articles');
  await again.locator('#import-open').click();
  await expect(again.locator('#import-list')).toContainText('wire.xml');
  await expect(again.locator('#import-list')).not.toContainText('big.jsonl');
});

test('a full storage quota gives a clear message and keeps the previous collection', async ({ page }) => {
  // A real quota, set through the DevTools protocol before anything is stored: room for a
  // small import, not for the next one.
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 400 * 1024 });
  await page.reload();
  await ready(page);
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  const big = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ id: `q-${i}`, title: `Quota story ${i}`, body: `Madrid officials said story ${i} was long enough to fill the storage quickly. `.repeat(4) })).join('\n');
  await drop(page, [{ name: 'big.jsonl', text: big }]);
  const result = page.locator('#import-result');
  await expect(result).toContainText('storage is full', { timeout: 30_000 });
  await expect(result).toContainText('Your previous collection is unchanged');
  await expect(result).toContainText('shown until this page closes');
  await page.keyboard.press('Escape');
  await expect(page.locator('#count')).toHaveText(/^4003 articles|^\d+ stories \(4003 articles\)/);

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  await ready(page);
  await expect(page.locator('#count')).toHaveText('3 articles');
});

test('imports saved by an earlier index format are indexed again from their saved files', async ({ page }) => {
  const errors = watchErrors(page);
  await drop(page, [{ name: 'wire.xml', text: WIRE }]);
  await expect(page.locator('#import-result')).toContainText('Imported 3 articles', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  // Relabel the saved index as format version 1, as an older newslens would have left it.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('newslens');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction('collections', 'readwrite');
      const store = tx.objectStore('collections');
      store.get('imports').onsuccess = (ev) => {
        const rec = ev.target.result;
        new DataView(rec.index).setUint32(8, 1, true);
        store.put(rec);
      };
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.reload();
  await ready(page);
  await expect(page.locator('#collection')).toHaveValue('imports', { timeout: 20_000 });
  await expect(page.locator('#count')).toHaveText('3 articles');
  await page.reload();
  await ready(page);
  await expect(page.locator('#collection')).toHaveValue('imports');
  await expect(page.locator('#count')).toHaveText('3 articles');
  expect(errors).toEqual([]);
});
