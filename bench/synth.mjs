// A deterministic synthetic news corpus drawn from a real one's statistics, so that every
// engine can be measured at sizes no licensed corpus we may fetch reaches.
//
//   node bench/synth.mjs <count> <out.jsonl> [source articles.json]
//
// Words come from a word-trigram model of the real articles (CoNLL-2003 train, fetched by
// bench/conll.py), so vocabulary growth, capitalised names, numbers and word frequencies look
// like news; article and title lengths are drawn from the real length distributions. The
// same count always gives the same bytes (seeded generator), so runs compare.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function synthesize(articles, count, write) {
  let seed = 0x5eed1e55;
  const rand = () => {
    // xorshift32: fast, deterministic, good enough to pick words.
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed / 2 ** 32;
  };
  const START = '\u0002';
  const END = '\u0003';
  const next = new Map(); // "w1 w2" -> following words, repeated by frequency
  const sentences = (text) => text.split(/(?<=[.!?])\s+/).map((s) => s.split(/\s+/).filter(Boolean)).filter((s) => s.length);
  const learn = (words) => {
    const seq = [START, START, ...words, END];
    for (let i = 2; i < seq.length; i++) {
      const key = `${seq[i - 2]} ${seq[i - 1]}`;
      let list = next.get(key);
      if (!list) next.set(key, (list = []));
      list.push(seq[i]);
    }
  };
  const sentenceLengths = [];
  const titleLengths = [];
  const paragraphCounts = [];
  for (const a of articles) {
    const t = a.title.split(/\s+/).filter(Boolean);
    learn(t);
    titleLengths.push(t.length);
    const paragraphs = a.body.split('\n\n');
    paragraphCounts.push(paragraphs.length);
    for (const p of paragraphs) for (const s of sentences(p)) { learn(s); sentenceLengths.push(s.length); }
  }
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const sentence = (maxWords) => {
    const out = [];
    let [a, b] = [START, START];
    while (out.length < maxWords) {
      const w = pick(next.get(`${a} ${b}`));
      if (w === END || w === undefined) break;
      out.push(w);
      [a, b] = [b, w];
    }
    return out.join(' ');
  };
  for (let n = 0; n < count; n++) {
    const title = sentence(pick(titleLengths) + 4) || 'Untitled';
    const paragraphs = [];
    const want = pick(paragraphCounts);
    for (let p = 0; p < want; p++) {
      const ss = [];
      for (let s = 0; s < 3; s++) ss.push(sentence(pick(sentenceLengths) * 2 + 5));
      paragraphs.push(ss.filter(Boolean).join(' '));
    }
    // One date per article in a ten-year window, for the engines that sort or filter by date.
    const day = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 3652) * 86400000).toISOString().slice(0, 10);
    write({ id: `synth-${n}`, title, date: day, body: paragraphs.filter(Boolean).join('\n\n') });
  }
}

/** Writes `count` synthetic articles drawn from `articles` to `out` as JSON Lines. */
export function writeSynthetic(articles, count, out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const fd = fs.openSync(out, 'w');
  let buf = '';
  synthesize(articles, count, (a) => {
    buf += `${JSON.stringify(a)}\n`;
    if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
  });
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [count, out, source] = process.argv.slice(2);
  if (!count || !out) {
    console.error('usage: node bench/synth.mjs <count> <out.jsonl> [articles.json]');
    process.exit(2);
  }
  const src = source || path.join(ROOT, 'bench/.cache/conll-train/articles.json');
  writeSynthetic(JSON.parse(fs.readFileSync(src, 'utf8')), Number(count), out);
  console.error(`wrote ${count} synthetic articles to ${out}`);
}
