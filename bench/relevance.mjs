// Known-item relevance benchmark: newslens against MiniSearch, Lunr, Orama and FlexSearch on
// real news (CoNLL-2003 article texts, fetched by bench/conll.py, never committed).
//
//   node bench/relevance.mjs [split]      (./build.sh bench-relevance does the whole run)
//   MISSES=newslens node bench/relevance.mjs   also lists the queries an engine missed
//
// Queries are generated from the articles, five kinds, the same for every engine; no engine
// is told the kind. Each engine runs with its best documented settings for search-as-you-type
// with typo tolerance. Writes bench/results/relevance.md and .json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import lunr from 'lunr';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const split = process.argv[2] || 'train';
const DATA = path.join(ROOT, 'bench/.cache', `conll-${split}`);
const PER_KIND = 500;
const K = 10;

const articles = JSON.parse(fs.readFileSync(path.join(DATA, 'articles.json'), 'utf8'));
const versions = Object.fromEntries(['minisearch', 'lunr', '@orama/orama', 'flexsearch'].map((p) => [
  p, JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version]));

// ---- deterministic query generation --------------------------------------------------------
let seed = 20261122;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const STOP = new Set(('a about above after again against all also am an and any are as at be because been before being '
  + 'below between both but by can could did do does doing down during each few for from further had has have having he '
  + 'her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or '
  + 'other our out over own said same she should so some such than that the their them then there these they this those '
  + 'through to too under until up very was we were what when where which while who whom why will with would you your '
  + 'says say told year years new one two three first last week monday tuesday wednesday thursday friday saturday sunday').split(' '));
const words = (text) => text.toLowerCase().match(/[a-z]+/g) || [];
const df = new Map();
for (const a of articles) for (const w of new Set(words(`${a.title} ${a.body}`))) df.set(w, (df.get(w) || 0) + 1);
const N = articles.length;

/** The article's most distinctive words (tf-idf), long enough to be typed as words. */
function distinctive(a) {
  const tf = new Map();
  for (const w of words(`${a.title} ${a.body}`)) if (w.length >= 4 && !STOP.has(w)) tf.set(w, (tf.get(w) || 0) + 1);
  return [...tf].filter(([w]) => df.get(w) >= 2)
    .map(([w, n]) => [w, n * Math.log(N / df.get(w))]).sort((x, y) => y[1] - x[1]).slice(0, 12).map(([w]) => w);
}

function typo(w) {
  const i = 1 + Math.floor(rand() * (w.length - 2));
  const op = Math.floor(rand() * 3);
  if (op === 0) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // transpose
  if (op === 1) return w.slice(0, i) + w.slice(i + 1); // delete
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return w.slice(0, i) + letters[Math.floor(rand() * 26)] + w.slice(i + 1); // substitute
}

function queries() {
  const out = { clean: [], typo: [], prefix: [], phrase: [], name: [] };
  const pool = articles.filter((a) => distinctive(a).length >= 4);
  for (let n = 0; n < PER_KIND; n++) {
    const a = pick(pool);
    const d = distinctive(a);
    const [w1, w2] = [d[Math.floor(rand() * 4)], d[4 + Math.floor(rand() * (d.length - 4))]];
    out.clean.push({ q: `${w1} ${w2}`, target: a.id });
    const long = [w1, w2].sort((x, y) => y.length - x.length);
    out.typo.push({ q: long[0].length >= 5 ? `${typo(long[0])} ${long[1]}` : `${w1} ${typo(w2)}`, target: a.id });
    out.prefix.push({ q: `${w1} ${w2.slice(0, Math.max(3, Math.ceil(w2.length * 0.6)))}`, target: a.id });
    // Two adjacent words of one paragraph, as written: plain words, no punctuation between
    // them (a phrase never spans paragraphs or sentences).
    let pair = null;
    for (let tries = 0; tries < 20 && !pair; tries++) {
      const para = pick(a.body.split('\n\n')).split(/\s+/);
      const i = Math.floor(rand() * (para.length - 1));
      const ok = (w) => /^[A-Za-z]+$/.test(w);
      const [x, y] = ok(para[i]) && ok(para[i + 1]) ? [para[i], para[i + 1]] : [null, null];
      if (x && y && x.length > 2 && y.length > 2 && !(STOP.has(x.toLowerCase()) && STOP.has(y.toLowerCase()))) pair = `${x} ${y}`;
    }
    if (pair) out.phrase.push({ q: `"${pair}" ${w1}`, target: a.id });
  }
  const named = articles.filter((a) => a.names.length && distinctive(a).length >= 2);
  for (let n = 0; n < PER_KIND; n++) {
    const a = pick(named);
    out.name.push({ q: `${pick(a.names)} ${pick(distinctive(a).slice(0, 4))}`, target: a.id });
  }
  return out;
}

// ---- engines ---------------------------------------------------------------------------------
const docs = articles.map((a) => ({ id: a.id, title: a.title, body: a.body }));
const plain = (q) => q.replace(/["()]/g, ' ').trim(); // engines without query syntax get the words

async function newslens() {
  const glue = await import(path.join(ROOT, 'www/pkg/newslens.js'));
  await glue.default({ module_or_path: fs.readFileSync(path.join(ROOT, 'www/pkg/newslens_bg.wasm')) });
  const engine = new glue.Engine(fs.readFileSync(path.join(DATA, 'index/index.newslens')));
  return (q) => engine.search(q, [], K, 0, 0, 'relevance', true, '', '').hits.map((h) => h.id);
}

function minisearch() {
  const ms = new MiniSearch({ fields: ['title', 'body'], searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 2 } } });
  ms.addAll(docs);
  return (q) => ms.search(plain(q)).slice(0, K).map((r) => r.id);
}

function lunrEngine() {
  const idx = lunr(function build() {
    this.ref('id');
    this.field('title', { boost: 2 });
    this.field('body');
    for (const d of docs) this.add(d);
  });
  // Lunr's own syntax for typos and prefixes, on every word: "word~1 word*".
  const syntax = (q) => plain(q).toLowerCase().split(/\s+/).map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean).map((w) => `${w}~1 ${w}*`).join(' ');
  return (q) => {
    try { return idx.search(syntax(q)).slice(0, K).map((r) => r.ref); } catch { return []; }
  };
}

async function orama() {
  const db = create({ schema: { id: 'string', title: 'string', body: 'string' } });
  await insertMultiple(db, docs);
  return async (q) => (await oramaSearch(db, { term: plain(q), tolerance: 1, limit: K, boost: { title: 2 } })).hits.map((h) => h.document.id);
}

function flexsearch() {
  const index = new FlexSearch.Document({ tokenize: 'forward', document: { id: 'id', index: ['title', 'body'] } });
  for (const d of docs) index.add(d);
  return (q) => {
    const seen = [];
    for (const field of index.search(plain(q), { limit: K })) for (const id of field.result) if (!seen.includes(id)) seen.push(id);
    return seen.slice(0, K);
  };
}

// ---- run ---------------------------------------------------------------------------------------
const qs = queries();
const engines = [
  ['newslens', await newslens()],
  [`MiniSearch ${versions.minisearch}`, minisearch()],
  [`Lunr ${versions.lunr}`, lunrEngine()],
  [`Orama ${versions['@orama/orama']}`, await orama()],
  [`FlexSearch ${versions.flexsearch}`, flexsearch()],
];
const results = {};
for (const [name, run] of engines) {
  results[name] = {};
  for (const [kind, list] of Object.entries(qs)) {
    let rr = 0; let found = 0;
    for (const { q, target } of list) {
      const ids = await run(q);
      const at = ids.indexOf(target);
      if (at >= 0) { rr += 1 / (at + 1); found += 1; } else if (process.env.MISSES === name.split(' ')[0]) console.error(`${kind}: ${q} -> ${target}`);
    }
    results[name][kind] = { mrr: rr / list.length, recall: found / list.length, queries: list.length };
  }
}

const kinds = Object.keys(qs);
const fmt = (x) => x.toFixed(3);
let md = `# Known-item relevance (MRR@10 / recall@10)\n\n`;
md += `Corpus: CoNLL-2003 English ${split} split as ${N} articles (fetched by bench/conll.py, not committed). `;
md += `${PER_KIND} generated queries per kind, the same for every engine; no engine is told the kind.\n`;
md += `Settings: newslens as in the page (last word a prefix, typo tolerance); MiniSearch prefix + fuzzy 0.2; `;
md += `Lunr \`word~1 word*\` per word; Orama tolerance 1; FlexSearch forward tokenisation. Title boost 2 where offered.\n`;
md += `Reproduce: \`./build.sh bench-relevance\`. Examples: ${kinds.map((k) => `${k} \`${qs[k][0].q}\``).join(', ')}.\n\n`;
md += `| engine | ${kinds.join(' | ')} |\n|---|${kinds.map(() => '---').join('|')}|\n`;
for (const [name] of engines) md += `| ${name} | ${kinds.map((k) => `${fmt(results[name][k].mrr)} / ${fmt(results[name][k].recall)}`).join(' | ')} |\n`;
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/relevance.md'), md);
fs.writeFileSync(path.join(ROOT, 'bench/results/relevance.json'), JSON.stringify({ split, articles: N, perKind: PER_KIND, versions, results, examples: Object.fromEntries(kinds.map((k) => [k, qs[k].slice(0, 5)])) }, null, 2));
console.log(md);
