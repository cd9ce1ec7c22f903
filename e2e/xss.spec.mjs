// 300 script-injection payloads (e2e/xss-payloads.mjs) in every field of articles imported
// in every format, then every view rendered, and the payloads typed as queries and put in
// the URL state. Nothing may run: a window flag (each payload calls __xss(n)), Content-
// Security-Policy violation reports (the policy is report-only here, so an injection would
// both run and be reported), no active element or on* attribute in rendered content, and
// links only ever http(s).
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { payloads, BAD_URLS } from './xss-payloads.mjs';

const PORT = 8084;
const BASE = `http://127.0.0.1:${PORT}`;
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-src 'none'";
let server;

test.beforeAll(async () => {
  server = spawn('node', ['scripts/serve.mjs', String(PORT), 'dist', '--header', `Content-Security-Policy-Report-Only: ${CSP}`], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`${BASE}/`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
});
test.afterAll(() => server?.kill());

const P = payloads();
const xml = (t) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const url = (k) => BAD_URLS[k % BAD_URLS.length];

/** The payloads spread over articles in four formats: four payloads an article (title, two
 *  in the body around the search word, source), and a bad URL each. */
function files() {
  const groups = [];
  for (let i = 0; i < P.length; i += 4) groups.push(P.slice(i, i + 4).map((p) => p.text));
  const json = [];
  const md = [];
  const items = [];
  const pages = [];
  groups.forEach(([title, a, b, source], k) => {
    const body = `${a || ''} zebra ${b || ''}`;
    switch (k % 4) {
      case 0: json.push({ id: `x-${k}`, title, body, source, url: url(k), date: '2024-05-01' }); break;
      case 1: md.push({ name: `md-${k}.md`, text: `---\ntitle: ${JSON.stringify(title)}\nsource: ${JSON.stringify(source || '')}\nurl: ${JSON.stringify(url(k))}\ndate: 2024-05-02\n---\n\n${body}\n\n${source || ''}\n` }); break;
      case 2: items.push(`<item><title>${xml(title)}</title><guid>rss-${k}</guid><link>${xml(url(k))}</link><author>${xml(source || '')}</author>`
        + `<description>${xml(body)}</description></item>`); break;
      default: pages.push({ name: `page-${k}.html`, text: `<!doctype html><html><head><title>${xml(title)}</title>`
        + `<meta property="og:site_name" content="${xml(source || '').replaceAll('"', '&quot;')}"><link rel="canonical" href="${xml(url(k))}"></head>`
        + `<body><article><p>${xml(body)}</p><p>${xml(title)} zebra again, and more words to make a paragraph.</p></article></body></html>` });
    }
  });
  return [
    { name: 'hostile.json', text: JSON.stringify(json) },
    ...md,
    { name: 'hostile.xml', text: `<rss version="2.0"><channel><title>${xml(P[0].text)}</title>${items.join('')}</channel></rss>` },
    ...pages,
  ];
}

async function watch(page) {
  await page.addInitScript(() => {
    window.__xssHits = [];
    window.__xss = (n) => window.__xssHits.push(n);
    window.alert = window.confirm = window.prompt = (m) => window.__xssHits.push(`dialog ${m}`);
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
}

/** Everything that would show an injection, gathered from the page as it is now. */
function inspect(page) {
  return page.evaluate(() => {
    const rendered = '#hits, #reader, #entity-page, #facet-groups, #chips, #suggestions, #understood, #notice, #status, #count, #import-result, #import-list';
    const active = 'script, iframe, object, embed, svg, math, img, form, meta, base, style, link, template, video, audio, marquee, frame, frameset';
    const problems = [];
    for (const root of document.querySelectorAll(rendered)) {
      for (const node of root.querySelectorAll(active)) problems.push(`<${node.tagName.toLowerCase()}> in #${root.id}`);
      for (const node of root.querySelectorAll('*')) {
        for (const attr of node.attributes) if (/^on/i.test(attr.name)) problems.push(`${attr.name} on <${node.tagName.toLowerCase()}> in #${root.id}`);
      }
    }
    for (const a of document.querySelectorAll('a[href]')) {
      const u = new URL(a.href, location.href);
      if (!['http:', 'https:'].includes(u.protocol)) problems.push(`link to ${a.getAttribute('href')}`);
    }
    return { ran: window.__xssHits, csp: window.__csp, problems };
  });
}

async function expectClean(page, where) {
  const r = await inspect(page);
  expect(r.ran, `payloads ran (${where})`).toEqual([]);
  expect(r.csp, `CSP violations (${where})`).toEqual([]);
  expect(r.problems, `unsafe DOM (${where})`).toEqual([]);
}

test('300 payloads in every field and format, rendered in every view, never run', async ({ page }) => {
  test.setTimeout(120_000);
  expect(P.length).toBeGreaterThanOrEqual(200);
  await watch(page);
  await page.goto(`${BASE}/`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files());
  await expect(page.locator('#import-result')).toContainText('Imported', { timeout: 30_000 });
  // Items whose whole title is markup hold no title once it is removed: warnings, as for any item.
  await expectClean(page, 'import panel');
  await page.keyboard.press('Escape');

  // Results (every page of them), facets, suggestions.
  await page.locator('#q').fill('zebra');
  await expect(page.locator('#count')).toContainText('zebra');
  await expectClean(page, 'results');
  // Every imported article (an empty query lists them all), copies included.
  const ids = await page.evaluate(() => window.newslens.host.search('', [], 1000, 0, 200, 'relevance', false)
    .then((r) => r.hits.flatMap((h) => [h.id, ...h.copies.map((c) => c.id)])));
  const imported = Number(/Imported (\d+)/.exec(await page.locator('#import-result').textContent())[1]);
  expect(ids.length).toBe(imported);
  expect(imported).toBeGreaterThanOrEqual(60);
  for (const btn of await page.locator('#facet-groups .facet-more').all()) await btn.click();
  await expectClean(page, 'facets expanded');

  // Every article in the reader (navigation the way links do it, without reloads).
  for (const id of ids) {
    await page.evaluate((a) => {
      history.pushState(null, '', `?c=imports&q=zebra&a=${encodeURIComponent(a)}`);
      dispatchEvent(new PopStateEvent('popstate'));
    }, id);
    await expect(page.locator('#reader-title')).not.toBeEmpty();
  }
  await expectClean(page, 'reader');

  // Every entity's page (names, aliases, roles and quotes come from the articles).
  const entityIds = await page.evaluate(() => window.newslens.host.search('', [], 1, 0, 1000, 'relevance', false)
    .then((r) => r.facets.flatMap((g) => g.values.map((v) => v.id))));
  expect(entityIds.length).toBeGreaterThan(0);
  for (const id of entityIds) {
    await page.evaluate((n) => {
      history.pushState(null, '', `?c=imports&entity=${encodeURIComponent(n)}`);
      dispatchEvent(new PopStateEvent('popstate'));
    }, id);
    await expect(page.locator('#entity-name')).not.toBeEmpty();
  }
  await expectClean(page, 'entity pages');

  // Payloads as typed queries (every tenth) and as filters.
  for (const p of P.filter((_, i) => i % 10 === 0)) {
    await page.locator('#q').fill(p.text);
    await expect(page.locator('#count')).toBeVisible();
  }
  await expectClean(page, 'typed queries');
});

test('payloads in the URL state (query, filters, article, index) never run', async ({ page }) => {
  await watch(page);
  for (const p of P.filter((_, i) => i % 25 === 0)) {
    const qs = new URLSearchParams({ q: p.text, a: p.text, entity: p.text, index: 'javascript:__xss(8001)//' });
    qs.append('e', p.text);
    qs.append('e', `person:${p.text}`);
    await page.goto(`${BASE}/?${qs}`);
    await page.waitForSelector('html[data-ready="true"]');
    await expectClean(page, `URL with payload ${p.n}`);
  }
});
