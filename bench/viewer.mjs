// The viewer's boot, measured: what a reader downloads before the first results appear, and
// how long that takes, for the page itself (www/, the seed articles) beside Pagefind's boot on
// the same articles, in the same headless Chromium.
//
//   node bench/viewer.mjs [loads]      (default 30 cold loads of each)
//   ./build.sh bench-viewer            builds the optimized viewer first
//
// Writes bench/results/viewer.md and viewer.json. Bytes are response bodies as a static host
// with compression sends them (gzip -9 unless the file is compressed already), metered at our
// own server. "First results" is the moment the first result appears in the document
// (a MutationObserver installed before any script runs), counted from navigation start; every
// load is in a fresh browser context (empty HTTP cache, no service worker).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'target/bench-viewer');
const LOADS = Number(process.argv[2] || 30);
const pkgVersion = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version;

// ---- Pagefind over the same seed articles ------------------------------------------------------
function pagefindSite() {
  const site = path.join(WORK, 'site');
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, 'a'), { recursive: true });
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const dir = path.join(ROOT, 'www/articles');
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const [title, ...rest] = fs.readFileSync(path.join(dir, name), 'utf8').split('\n');
    const body = rest.join('\n').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => `<p>${esc(p.trim())}</p>`).join('\n');
    fs.writeFileSync(path.join(site, 'a', name.replace(/\.txt$/, '.html')),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>`
      + `<body><main><h1>${esc(title)}</h1>\n${body}</main></body></html>\n`);
  }
  // The smallest page that shows Pagefind's first results: its own JS API, no UI library.
  fs.writeFileSync(path.join(site, 'search.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>pagefind</title><script type="module" src="search.js"></script></head><body><ol id="hits"></ol></body></html>\n`);
  fs.writeFileSync(path.join(site, 'search.js'), `const pf = await import('/pagefind/pagefind.js');
await pf.options({ basePath: '/pagefind/' });
const found = await pf.search(new URL(location.href).searchParams.get('q') || '');
const list = document.getElementById('hits');
for (const hit of await Promise.all(found.results.slice(0, 10).map((r) => r.data()))) {
  const li = document.createElement('li');
  li.textContent = hit.meta.title;
  list.append(li);
}
`);
  const r = spawnSync(path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended'),
    ['--site', site, '--output-path', path.join(site, 'pagefind'), '--force-language', 'en', '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pagefind failed: ${r.stderr}`);
  return site;
}

// ---- a static host that meters what it sends --------------------------------------------------
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const compressedAlready = (file, body) => /\.(pf_meta|pf_index|pf_fragment|pf_filter|pagefind)$/.test(file) || (body[0] === 0x1f && body[1] === 0x8b);

function serve(root) {
  const meter = { requests: [] };
  const gz = new Map();
  const server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end(); return; }
    let body = fs.readFileSync(file);
    const headers = { 'content-type': MIME[path.extname(file)] || 'application/octet-stream', 'cache-control': 'max-age=3600' }; // each load has a fresh context: cached within a load only
    if (/gzip/.test(req.headers['accept-encoding'] || '') && !compressedAlready(file, body)) {
      if (!gz.has(file)) gz.set(file, zlib.gzipSync(body, { level: 9 }));
      body = gz.get(file);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
    meter.requests.push({ path: rel, bytes: body.length, raw: fs.statSync(file).size, at: Date.now() });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, meter, port: server.address().port })));
}

// Records when the first result is in the document (before any of the page's scripts run).
const OBSERVE = () => {
  const seen = () => document.querySelector('#hits li');
  const mark = () => { if (!window.__firstResultAt && seen()) window.__firstResultAt = performance.now(); };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
};

async function loads(browser, host, url) {
  const times = [];
  let files = [];
  let laterFiles = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.addInitScript(OBSERVE);
    host.meter.requests = [];
    await page.goto(`http://127.0.0.1:${host.port}${url}`);
    await page.waitForFunction(() => window.__firstResultAt, null, { timeout: 30000 });
    const [at, wall] = await page.evaluate(() => [window.__firstResultAt, performance.timeOrigin + window.__firstResultAt]);
    times.push(at);
    // Bytes before the first result: the requests the server had answered by then (the same
    // clock: page and server run on this machine). What loads later is listed apart.
    const later = host.meter.requests.filter((r) => r.at > wall);
    files = host.meter.requests.filter((r) => r.at <= wall);
    laterFiles = later;
    await context.close();
  }
  return { times, files, laterFiles };
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const kind = (p) => (/\.wasm$|\.pagefind$/.test(p) ? 'wasm' : /\.m?js$/.test(p) ? 'js' : /\.css$/.test(p) ? 'css' : /\.html$/.test(p) ? 'html' : 'index');
const sum = (files, k) => files.filter((f) => !k || k.includes(kind(f.path))).reduce((s, f) => s + f.bytes, 0);
const KiB = (b) => `${(b / 1024).toFixed(1)} KiB`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const site = pagefindSite();
const www = await serve(path.join(ROOT, 'dist'));
const pf = await serve(site);
try {
  const runs = {
    newslens: await loads(browser, www, '/'),
    pagefind: await loads(browser, pf, '/search.html?q=xiaomi'),
  };
  const row = (name, r) => ({
    name,
    firstResultMs: { p50: pct(r.times, 50), p95: pct(r.times, 95), min: Math.min(...r.times), max: Math.max(...r.times) },
    bytes: { js: sum(r.files, ['js']), css: sum(r.files, ['css']), wasm: sum(r.files, ['wasm']), html: sum(r.files, ['html']), index: sum(r.files, ['index']) },
    bundle: sum(r.files, ['js', 'css', 'wasm']),
    files: r.files,
    later: r.laterFiles,
  });
  const nl = row('newslens viewer', runs.newslens);
  const pfr = row(`Pagefind ${pkgVersion('pagefind')} (its JS API, no UI)`, runs.pagefind);
  // Pagefind's boot as the issue counts it: its JS, worker and wasm (not our tiny page script).
  pfr.bundle = pfr.files.filter((f) => f.path.startsWith('/pagefind/') && ['js', 'wasm'].includes(kind(f.path))).reduce((s, f) => s + f.bytes, 0);
  const chromiumVersion = browser.version();
  const lines = [
    '# The viewer\'s boot',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on a ${(await import('node:os')).cpus().length}-core machine, headless Chromium ${chromiumVersion}, `
      + `${LOADS} cold loads each (fresh context, no cache, no service worker). Reproduce: \`./build.sh bench-viewer\`.`,
    '',
    'newslens: the viewer as it ships (`dist/`: www/ minified, the seed index) opening with every article listed. Pagefind: its',
    'own JS API over the same four seed articles as HTML pages, a search for "xiaomi", titles of the top 10',
    'rendered. Bytes as sent by a compressing static host (gzip -9, or as stored when already compressed).',
    '',
    '| | newslens viewer | Pagefind | ratio |',
    '|---|---|---|---|',
    `| JS + CSS + wasm before the first results | ${KiB(nl.bundle)} | ${KiB(pfr.bundle)} (JS, worker, wasm) | ${(nl.bundle / pfr.bundle).toFixed(2)}x |`,
    `| of which wasm | ${KiB(nl.bytes.wasm)} | ${KiB(pfr.bytes.wasm)} | |`,
    `| of which JS | ${KiB(nl.bytes.js)} | ${KiB(pfr.files.filter((f) => f.path.startsWith('/pagefind/') && kind(f.path) === 'js').reduce((s, f) => s + f.bytes, 0))} | |`,
    `| of which CSS | ${KiB(nl.bytes.css)} | – | |`,
    `| index bytes before the first results | ${KiB(nl.bytes.index)} | ${KiB(pfr.bytes.index)} | |`,
    `| everything before the first results (with HTML) | ${KiB(sum(nl.files))} | ${KiB(sum(pfr.files))} | ${(sum(nl.files) / sum(pfr.files)).toFixed(2)}x |`,
    `| first results visible, p50 | ${nl.firstResultMs.p50.toFixed(0)} ms | ${pfr.firstResultMs.p50.toFixed(0)} ms | ${(nl.firstResultMs.p50 / pfr.firstResultMs.p50).toFixed(2)}x |`,
    `| first results visible, p95 | ${nl.firstResultMs.p95.toFixed(0)} ms | ${pfr.firstResultMs.p95.toFixed(0)} ms | ${(nl.firstResultMs.p95 / pfr.firstResultMs.p95).toFixed(2)}x |`,
    '',
    'Files the viewer fetched before its first results (bytes as sent / on disk):',
    '',
    ...nl.files.map((f) => `- \`${f.path}\` ${KiB(f.bytes)} / ${KiB(f.raw)}`),
    '',
    'Fetched after its first results (the import panel, the background entity table):',
    '',
    ...nl.later.map((f) => `- \`${f.path}\` ${KiB(f.bytes)} / ${KiB(f.raw)}`),
    '',
    'Files Pagefind fetched:',
    '',
    ...pfr.files.map((f) => `- \`${f.path}\` ${KiB(f.bytes)} / ${KiB(f.raw)}`),
    '',
  ];
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/viewer.md'), lines.join('\n'));
  fs.writeFileSync(path.join(ROOT, 'bench/results/viewer.json'), `${JSON.stringify({ chromium: chromiumVersion, loads: LOADS, newslens: nl, pagefind: pfr }, null, 2)}\n`);
  console.log(lines.join('\n'));
} finally {
  await browser.close();
  www.server.close();
  pf.server.close();
}
