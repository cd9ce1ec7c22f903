// The entity tagger in the browser against the same tagger natively: the importer's wasm
// (www/pkg/newslens_import*) scores CoNLL-2003 in headless Chromium with the exact code of
// `newslens eval-ner` (src/ner/eval.rs), and the scores must be equal; beside them, the
// model's load time and tokens per second (features and both stages) on one core in each.
//
//   node bench/ner-wasm.mjs [split…]     (default: valid; test is reported, never tuned on)
//   ./build.sh bench-ner-wasm [split…]   builds and fetches CoNLL-2003 first
//
// Writes bench/results/ner-wasm.md and ner-wasm.json. The CoNLL text is read from
// bench/.cache/conll2003 (bench/conll.py --raw fetches it from PyPI; it is never committed).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPLITS = process.argv.slice(2).length ? process.argv.slice(2) : ['valid'];
const CACHE = path.join(ROOT, 'bench/.cache/conll2003');

function native(file) {
  const r = spawnSync(path.join(ROOT, 'target/release/newslens'), ['eval-ner', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`newslens eval-ner failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// www/ as a static host, for the importer's glue and wasm.
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const file = path.join(ROOT, 'www', decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(path.join(ROOT, 'www')) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ner</title>');
    return;
  }
  res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const version = browser.version();

const rows = [];
try {
  for (const split of SPLITS) {
    const file = path.join(CACHE, `${split}.txt`);
    const text = fs.readFileSync(file, 'utf8');
    const nat = native(file);
    // A fresh page per split, so the model load is timed cold.
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    const wasm = await page.evaluate(async (conll) => {
      const m = await import('/pkg/newslens_import.js');
      await m.default();
      let t = performance.now();
      m.loadTagger();
      const load_ms = performance.now() - t;
      t = performance.now();
      const tagger = m.evalNer(conll, 'tagger');
      const tagger_s = (performance.now() - t) / 1000;
      t = performance.now();
      const extractor = m.evalNer(conll, 'extractor');
      const extractor_s = (performance.now() - t) / 1000;
      return { load_ms, tagger, tagger_s, extractor, extractor_s };
    }, text);
    await page.close();
    const same = (a, b) => a.f1 === b.f1 && a.precision === b.precision && a.recall === b.recall
      && JSON.stringify(a.per_type) === JSON.stringify(b.per_type);
    rows.push({
      split,
      documents: nat.documents,
      tokens: nat.tokens,
      native: { load_ms: nat.load_ms, tagger_f1: nat.tagger.f1, extractor_f1: nat.extractor.f1, tokens_per_s: nat.tokens / nat.tagger_s, extractor_tokens_per_s: nat.tokens / nat.extractor_s, per_type: nat.tagger.per_type },
      wasm: { load_ms: wasm.load_ms, tagger_f1: wasm.tagger.f1, extractor_f1: wasm.extractor.f1, tokens_per_s: wasm.tagger.tokens / wasm.tagger_s, extractor_tokens_per_s: wasm.tagger.tokens / wasm.extractor_s, per_type: wasm.tagger.per_type },
      tagger_equal: same(nat.tagger, wasm.tagger),
      extractor_equal: same(nat.extractor, wasm.extractor),
    });
  }
} finally {
  await browser.close();
  server.close();
}

const f = (x, d = 2) => x.toFixed(d);
const k = (x) => `${Math.round(x / 1000)}k`;
let md = `# The entity tagger in the browser and natively

Run ${new Date().toISOString().slice(0, 10)} on a 2-core machine, headless Chromium ${version}, one thread each. Reproduce:
\`./build.sh bench-ner-wasm [valid] [test]\`. The same model (data/ner/model.bin), the same input (CoNLL-2003, fetched
from PyPI, never committed) and the same scoring code (src/ner/eval.rs): natively through \`newslens eval-ner --json\`,
in the browser through the importer's wasm (\`evalNer\`). Tokens per second count the features and both stages of the
tagger; the extractor adds the lists, grammars, rules and people across each article.

| split | tokens | | tagger F1 | extractor F1 | scores equal | model load | tagger tokens/s | extractor tokens/s |
|---|---|---|---|---|---|---|---|---|
`;
for (const r of rows) {
  for (const [name, x] of [['native', r.native], ['wasm (Chromium)', r.wasm]]) {
    md += `| ${r.split} | ${r.tokens} | ${name} | ${f(x.tagger_f1)} | ${f(x.extractor_f1)} | ${name === 'native' ? '' : (r.tagger_equal && r.extractor_equal ? 'yes, to the last bit' : `**no** (tagger ${r.tagger_equal}, extractor ${r.extractor_equal})`)} | ${f(x.load_ms, 1)} ms | ${k(x.tokens_per_s)} | ${k(x.extractor_tokens_per_s)} |\n`;
  }
}
md += '\nPer type (tagger, wasm): ' + rows.map((r) => `${r.split}: ${r.wasm.per_type.map((t) => `${t[0]} ${f(t[3])}`).join(', ')}`).join('; ') + '.\n';
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/ner-wasm.md'), md);
fs.writeFileSync(path.join(ROOT, 'bench/results/ner-wasm.json'), `${JSON.stringify({ chromium: version, rows }, null, 2)}\n`);
process.stdout.write(md);
if (rows.some((r) => !r.tagger_equal || !r.extractor_equal)) process.exitCode = 1;
