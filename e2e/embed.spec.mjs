// <news-lens> embedded in a blog-style page (www/embed.html), served with a strict CSP:
// attributes, search, filters, the reader, style isolation both ways, theming through
// custom properties and ::part(), and no request off the page's origin.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const PORT = 8084;
const ORIGIN = `http://127.0.0.1:${PORT}`;
let server;

test.beforeAll(async () => {
  server = spawn('node', ['scripts/serve.mjs', String(PORT), 'dist', '--header', `Content-Security-Policy: ${CSP}`], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`${ORIGIN}/embed.html`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
});
test.afterAll(() => server?.kill());

async function openEmbed(page) {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('request', (r) => { if (!r.url().startsWith(`${ORIGIN}/`) && !r.url().startsWith('data:')) problems.push(`request to ${r.url()}`); });
  await page.goto(`${ORIGIN}/embed.html`);
  await page.waitForSelector('news-lens[data-ready="true"]');
  return problems;
}

test('one tag: the initial query, the chosen facets, search, filters and the reader', async ({ page }) => {
  const problems = await openEmbed(page);
  const lens = page.locator('news-lens');
  await expect(lens.locator('.count')).toHaveText('3 articles for “SU7”');
  // facets="person,org,product": those groups, in that order, and no others.
  await expect(lens.locator('.facet h2')).toHaveText(['People', 'Organisations', 'Products']);

  await lens.locator('.q').fill('iphone');
  await expect(lens.locator('.count')).toHaveText('1 article for “iphone”');
  await lens.locator('.q').fill('');
  await expect(lens.locator('.count')).toHaveText('4 articles');
  await lens.locator('.facet-value[data-entity="org:huawei"]').click();
  await expect(lens.locator('.count')).toHaveText('2 articles with Huawei');
  await expect(lens.locator('.chip')).toHaveText(['Huawei×']);

  await lens.locator('.hit-title').first().click();
  await expect(lens.locator('.reader')).toBeVisible();
  await expect(lens.locator('.reader .close')).toBeFocused();
  expect(await lens.locator('.reader .ent').count()).toBeGreaterThan(3);
  // Its quote, with the speaker.
  await expect(lens.locator('.reader .quotes figure')).toHaveCount(1);
  await expect(lens.locator('.reader .quotes figcaption')).toHaveText('— Lei Jun');
  await page.keyboard.press('Escape');
  await expect(lens.locator('.reader')).toBeHidden();
  // An entity in the reader filters by it.
  await lens.locator('.hit-title').first().click();
  await lens.locator('.reader .ent[data-entity="person:lei-jun"]').first().click();
  await expect(lens.locator('.count')).toHaveText('2 articles with Huawei, Lei Jun');

  // Attributes are live: a new query, and a new height.
  await page.evaluate(() => document.querySelector('news-lens').setAttribute('query', 'weibo'));
  await expect(lens.locator('.count')).toHaveText(/for “weibo” with Huawei, Lei Jun$/);
  await page.evaluate(() => document.querySelector('news-lens').setAttribute('height', '400px'));
  await expect.poll(() => lens.locator('.frame').evaluate((f) => f.getBoundingClientRect().height)).toBe(400);

  expect(await page.evaluate(() => window.__csp)).toEqual([]);
  expect(problems).toEqual([]);
});

test('styles are isolated both ways; custom properties and parts theme it', async ({ page }) => {
  await openEmbed(page);
  const lens = page.locator('news-lens');
  // The blog uppercases its buttons; the element's buttons are not touched.
  const pageButton = await page.evaluate(() => {
    const b = document.body.appendChild(document.createElement('button'));
    return getComputedStyle(b).textTransform;
  });
  expect(pageButton).toBe('uppercase');
  expect(await lens.locator('.hit-title').first().evaluate((b) => getComputedStyle(b).textTransform)).toBe('none');
  // The element's rules do not reach the page: a page element with the same class is unstyled.
  const leaked = await page.evaluate(() => {
    const p = document.body.appendChild(document.createElement('p'));
    p.className = 'count';
    return getComputedStyle(p).fontStyle;
  });
  expect(leaked).toBe('normal');
  // ::part(count) { font-style: italic } and --news-lens-accent from embed.css.
  expect(await lens.locator('.count').evaluate((c) => getComputedStyle(c).fontStyle)).toBe('italic');
  await lens.locator('.q').focus();
  expect(await lens.locator('.q').evaluate((q) => getComputedStyle(q).borderTopColor)).toBe('rgb(11, 110, 79)');
  expect(await lens.locator('.q').evaluate((q) => getComputedStyle(q).borderTopWidth)).toBe('2px'); // ::part(search)
});

test('two elements on one page are independent, and a bad src is a clear message', async ({ page }) => {
  const problems = await openEmbed(page);
  await page.evaluate(() => {
    const second = document.createElement('news-lens');
    second.id = 'second';
    second.setAttribute('src', 'index/e2e-dated/');
    second.setAttribute('facets', 'none');
    document.querySelector('.post').append(second);
    const broken = document.createElement('news-lens');
    broken.id = 'broken';
    broken.setAttribute('src', 'no-such-index/');
    document.querySelector('.post').append(broken);
  });
  const second = page.locator('#second');
  await expect(second.locator('.count')).toHaveText('14 articles');
  await expect(second.locator('.facets')).toBeHidden();
  await expect(page.locator('news-lens').first().locator('.count')).toHaveText('3 articles for “SU7”');
  await expect(page.locator('#broken .count')).toHaveText('The articles could not be loaded.');
  await expect(page.locator('#broken .status')).toContainText('could not be loaded');
  // The 404 of the missing index is the only error the console saw.
  expect(problems.filter((p) => !/404|Not Found/.test(p))).toEqual([]);
});
