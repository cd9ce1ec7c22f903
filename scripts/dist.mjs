// The viewer as it ships: www/ copied to dist/ with every script and style sheet minified
// (esbuild, file by file: the same names and module imports, so nothing else changes).
// `./build.sh build` runs it; `serve`, the end-to-end tests and the benchmarks use dist/, so
// what is measured and tested is what a host serves. www/ stays the readable source.
//
// Usage: node scripts/dist.mjs [out-dir]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const OUT = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));

// Chromium, Firefox and Safari releases of the last years: module workers, top-level await.
const TARGET = ['chrome100', 'firefox100', 'safari16'];

fs.rmSync(OUT, { recursive: true, force: true });
const sizes = { js: [0, 0], css: [0, 0] };
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;

async function copy(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      await copy(src, dest);
      continue;
    }
    const kind = path.extname(entry.name).slice(1);
    if (kind !== 'js' && kind !== 'css') {
      fs.copyFileSync(src, dest);
      continue;
    }
    const code = fs.readFileSync(src, 'utf8');
    let out;
    try {
      out = (await transform(code, { loader: kind, minify: true, target: TARGET, legalComments: 'none', sourcefile: src })).code;
    } catch (e) {
      throw new Error(`${path.relative(ROOT, src)} could not be minified: ${e.message}`);
    }
    fs.writeFileSync(dest, out);
    sizes[kind][0] += gz(Buffer.from(code));
    sizes[kind][1] += gz(Buffer.from(out));
  }
}

fs.mkdirSync(OUT, { recursive: true });
await copy(WWW, OUT);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`${path.relative(ROOT, OUT)}/: JS ${kib(sizes.js[0])} -> ${kib(sizes.js[1])} gzip, CSS ${kib(sizes.css[0])} -> ${kib(sizes.css[1])} gzip`);
