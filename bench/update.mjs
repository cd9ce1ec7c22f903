// What an update of a static index costs: newslens (`newslens index --update`) against
// Pagefind (which has no update: it indexes the whole site again), on the synthetic corpus of
// bench/speed.mjs, for the changes a news archive sees.
//
//   node bench/update.mjs [sizes...]    sizes: 10k (default), 100k
//   ./build.sh bench-update [sizes...]  builds the CLI first
//
// The changes are applied one after another, each to the index the previous one left:
// one newer article, a day of 100 newer articles, a correction of the newest article, a
// correction of an old one, and the removal of the oldest and of one from the middle. New articles are the next ones
// the corpus generator makes (never seen by the index), dated after every article in it.
// Per change: wall time, files written and their bytes (on disk, both write gzip files),
// against the whole index. A file counts as written when no file of the same path and
// bytes was there before. At the end, newslens's folder is checked against a fresh build
// of the same articles: the same answers to sample searches (the files differ only where
// removals left their numbers empty).
//
// Writes bench/results/update.md and update.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { synthesize } from './synth.mjs';
import { pageHtml, pagePath, writeSite } from './site.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'bench/.cache/update');
const NEWSLENS = path.join(ROOT, 'target/release/newslens');
const PAGEFIND = path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended');
const sizes = process.argv.slice(2).length ? process.argv.slice(2) : ['10k'];
const count = (size) => Number(size.replace(/k$/, '000'));

function run(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed:\n${(r.stderr || '').slice(-2000)}`);
  return { seconds, stderr: r.stderr, stdout: r.stdout };
}

/** path (inside `dir`) -> { bytes, hash } for every file under `dir`. */
function snapshot(dir) {
  const out = new Map();
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath ?? e.path, e.name);
    const data = fs.readFileSync(p);
    out.set(path.relative(dir, p), { bytes: data.length, hash: crypto.createHash('sha1').update(data).digest('hex') });
  }
  return out;
}

/** Files in `after` that `before` did not hold with the same bytes, and the totals. */
function written(before, after) {
  let files = 0;
  let bytes = 0;
  let totalBytes = 0;
  for (const [p, f] of after) {
    totalBytes += f.bytes;
    if (before.get(p)?.hash !== f.hash) {
      files += 1;
      bytes += f.bytes;
    }
  }
  return { files, bytes, totalFiles: after.size, totalBytes };
}

function corpus(size) {
  const file = path.join(ROOT, 'bench/.cache/speed', size, 'corpus.jsonl');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`node bench/speed.mjs ${size}\` (or ./build.sh bench ${size}) once to make it`);
  }
  return file;
}

function measureSize(size) {
  const n = count(size);
  const dir = path.join(CACHE, size);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = corpus(size);
  const articles = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  // The generator makes the same first n articles for any count, so the next 101 are new.
  const real = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/.cache/conll-train/articles.json'), 'utf8'));
  const fresh = [];
  synthesize(real, n + 102, (a) => { if (fresh.length < n + 102) fresh.push(a); });
  const newer = fresh.slice(n, n + 101).map((a, k) => ({ ...a, id: `new-${k}`, date: `2025-01-${String(1 + (k ? 1 : 0)).padStart(2, '0')}` }));
  const byDate = [...articles].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const oldest = byDate[0];
  const old = byDate[Math.floor(byDate.length / 2)];
  const correct = (a) => ({ ...a, title: `${a.title} (corrected)`, body: `${a.body}\n\nThis article was corrected on 3 January 2025.` });
  const changes = [
    { name: 'add 1 newer article', add: [newer[0]] },
    { name: 'add 100 newer articles (a day)', add: newer.slice(1) },
    { name: 'correct the newest article', add: [correct(newer[100])] },
    { name: 'correct an article from the middle of the archive', add: [correct(old)] },
    { name: 'remove the oldest article', remove: [oldest.id] },
    { name: 'remove an article from the middle of the archive', remove: [byDate[Math.floor(byDate.length / 3)].id] },
    // Numbers follow dates, so this one renumbers every article (the known weak case).
    { name: 'add 1 article older than any (back-dated)', add: [{ ...fresh[n + 101], id: 'back-0', date: '1990-01-01' }] },
  ];

  // Starting points: newslens sharded, Pagefind over the site's pages.
  const nl = path.join(dir, 'newslens');
  const site = path.join(dir, 'site');
  const pf = path.join(dir, 'pagefind');
  const build = run(NEWSLENS, ['index', file, '-o', nl, '--layout', 'sharded']);
  writeSite(file, site);
  const pfBuild = run(PAGEFIND, ['--site', site, '--output-path', pf, '--force-language', 'en', '--quiet']);
  const start = { newslens: { seconds: build.seconds, ...written(new Map(), snapshot(nl)) }, pagefind: { seconds: pfBuild.seconds, ...written(new Map(), snapshot(pf)) } };

  const current = new Map(articles.map((a) => [a.id, a]));
  const rows = [];
  for (const [k, change] of changes.entries()) {
    const delta = path.join(dir, `change-${k}.jsonl`);
    fs.writeFileSync(delta, (change.add || []).map((a) => JSON.stringify(a)).join('\n'));
    const args = ['index', ...(change.add ? [delta] : []), '-o', nl, '--layout', 'sharded', '--update'];
    for (const id of change.remove || []) args.push('--remove', id);
    const before = snapshot(nl);
    const r = run(NEWSLENS, args);
    const ours = { seconds: r.seconds, ...written(before, snapshot(nl)) };

    for (const a of change.add || []) { current.set(a.id, a); fs.writeFileSync(pagePath(site, a.id), pageHtml(a)); }
    for (const id of change.remove || []) { current.delete(id); fs.rmSync(pagePath(site, id)); }
    const pfBefore = snapshot(pf);
    const p = run(PAGEFIND, ['--site', site, '--output-path', pf, '--force-language', 'en', '--quiet']);
    const theirs = { seconds: p.seconds, ...written(pfBefore, snapshot(pf)) };
    rows.push({ change: change.name, newslens: ours, pagefind: theirs });
    console.error(`${size} ${change.name}: newslens ${ours.files} files ${ours.bytes} B in ${ours.seconds.toFixed(1)} s; pagefind ${theirs.files} files ${theirs.bytes} B in ${theirs.seconds.toFixed(1)} s`);
  }

  // The updated folder must be what a fresh build of the same articles writes.
  const all = path.join(dir, 'all.jsonl');
  fs.writeFileSync(all, [...current.values()].map((a) => JSON.stringify(a)).join('\n'));
  const check = path.join(dir, 'check');
  run(NEWSLENS, ['index', all, '-o', check, '--layout', 'sharded']);
  const [x, y] = [snapshot(nl), snapshot(check)];
  const identical = x.size === y.size && [...x].every(([p, f]) => y.get(p)?.hash === f.hash);
  // Removals leave holes (numbers kept empty), so the folder need not be a fresh build's
  // byte for byte; what it answers must be: every hit, score, snippet, facet and count.
  const words = [...current.values()].filter((_, k) => k % Math.floor(current.size / 10) === 0)
    .map((a) => a.title.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w))).filter(Boolean);
  const queries = ['', `-${words[0]}`, ...words];
  const answer = (folder, q) => run(NEWSLENS, ['search', '--json', '--limit', '20', '--', folder, q]).stdout;
  const same = queries.filter((q) => answer(nl, q) === answer(check, q)).length;
  fs.rmSync(check, { recursive: true, force: true });
  return { articles: n, start, rows, identical, answers: { same, of: queries.length } };
}

const kib = (b) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const pct = (part, whole) => `${((100 * part) / whole).toFixed(part * 1000 < whole ? 2 : 1)}%`;

function table(size, r) {
  const lines = [
    `### ${size}: ${r.articles} articles`,
    '',
    `Full build: newslens ${r.start.newslens.seconds.toFixed(1)} s, ${r.start.newslens.totalFiles} files, ${kib(r.start.newslens.totalBytes)}; `
      + `Pagefind ${r.start.pagefind.seconds.toFixed(1)} s, ${r.start.pagefind.totalFiles} files, ${kib(r.start.pagefind.totalBytes)}.`,
    '',
    '| change | newslens files written | newslens bytes written | newslens time | Pagefind files written | Pagefind bytes written | Pagefind time |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    const [a, b] = [row.newslens, row.pagefind];
    lines.push(`| ${row.change} | ${a.files} of ${a.totalFiles} (${pct(a.files, a.totalFiles)}) | ${kib(a.bytes)} (${pct(a.bytes, a.totalBytes)}) | ${a.seconds.toFixed(1)} s `
      + `| ${b.files} of ${b.totalFiles} (${pct(b.files, b.totalFiles)}) | ${kib(b.bytes)} (${pct(b.bytes, b.totalBytes)}) | ${b.seconds.toFixed(1)} s |`);
  }
  lines.push('', `After the ${r.rows.length} changes, newslens's folder ${r.identical ? 'is identical to' : 'differs from'} a fresh build of the same articles `
    + `(removals leave their numbers empty rather than renumber) and answers ${r.answers.same} of ${r.answers.of} sample searches exactly as it does `
    + '(every hit, score, snippet, facet and count).', '');
  return lines.join('\n');
}

const results = {};
for (const size of sizes) results[size] = measureSize(size);
const pfVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pagefind/package.json'), 'utf8')).version;
const md = [
  '# Updating a static index',
  '',
  `Run ${new Date().toISOString().slice(0, 10)} on a ${(await import('node:os')).cpus().length}-core machine. Reproduce: \`./build.sh bench-update ${sizes.join(' ')}\`.`,
  '',
  `newslens: \`newslens index <changed articles> -o <folder> --layout sharded --update [--remove ID]\` (the other articles are read back from the index). Pagefind ${pfVersion} has no update: its CLI indexes the whole site again (the changed pages written first, untimed). `
    + 'The changes are applied in order, each to the index the one before left. Files written: files whose path and bytes were not there before (both write gzip files; bytes are as on disk). Times are wall time, entity extraction included for newslens (it extracts again over every article: extraction is corpus-wide).',
  '',
  ...sizes.map((s) => table(s, results[s])),
].join('\n');
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/update.md'), md);
fs.writeFileSync(path.join(ROOT, 'bench/results/update.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(md);
