// Assembles the npm-ready package folder (target/npm/newslens): the <news-lens> element, the
// engine host and its worker, the search wasm and glue, types and a package.json whose
// version is the crate's. Usage: node scripts/package.mjs [out dir]   (after ./build.sh build)
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] || path.join(ROOT, 'target/npm/newslens'));
// What the element and the engine load at run time, by path relative to www/.
const FILES = [
  'news-lens.js', 'news-lens.css', 'engine.js', 'engine-worker.js', 'dom.js', 'segments.js',
  'pkg/newslens.js', 'pkg/newslens_bg.wasm', 'pkg/newslens.d.ts',
];

const cargo = await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8');
const version = /^version = "([^"]+)"/m.exec(cargo)?.[1];
if (!version) throw new Error('no version in Cargo.toml');
await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'pkg'), { recursive: true });
for (const f of FILES) await copyFile(path.join(ROOT, 'www', f), path.join(out, f));
for (const f of ['index.d.ts', 'README.md']) await copyFile(path.join(ROOT, 'npm', f), path.join(out, f));
const pkg = {
  name: 'newslens',
  version,
  description: 'Search and filter news articles in the browser: full-text search and entity facets in WebAssembly, as one custom element.',
  type: 'module',
  main: './news-lens.js',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', default: './news-lens.js' },
    './engine': { types: './index.d.ts', default: './engine.js' },
    './news-lens.css': './news-lens.css',
  },
  files: [...FILES, 'index.d.ts', 'README.md'],
  sideEffects: ['./news-lens.js'],
  keywords: ['search', 'news', 'wasm', 'web-component', 'entities', 'static-site'],
};
await writeFile(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`wrote ${path.relative(ROOT, out)} (newslens ${version}, ${FILES.length + 3} files)`);
