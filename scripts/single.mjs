// Builds one self-contained HTML file of the viewer: its CSS, its JavaScript (one classic
// script), the search wasm and an index, all inlined. It works when double-clicked from a
// file manager, with no network: Chromium refuses module scripts, workers and fetch() to a
// page opened from file://, so this build uses none of them (engine.js and app.js read the
// inlined bytes from globalThis.__newslensSingle instead). The importer is left out.
//
// Usage: node scripts/single.mjs <index file> <out.html>   (after ./build.sh build)
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const [indexFile = path.join(WWW, 'index/index.newslens'), out = path.join(ROOT, 'target/single/newslens.html')] = process.argv.slice(2);

/**
 * The wasm-bindgen glue (an ES module) as a factory function: each call evaluates the
 * module body again, so a trapped instance can be replaced by a fresh one, as engine.js
 * does with a re-import on the served page. The glue's shape is fixed by the pinned
 * wasm-bindgen version; any surprise fails the build rather than the page.
 */
function glueFactory(source) {
  const exportList = /^export \{ initSync, __wbg_init as default \};$/m;
  if (!exportList.test(source)) throw new Error('single.mjs: the wasm-bindgen glue has an unexpected export list; update glueFactory');
  const names = [...source.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
  const body = source
    .replace(exportList, '')
    .replace(/^export (class|function) /gm, '$1 ')
    .replaceAll('import.meta.url', 'document.baseURI');
  if (/^\s*(import|export)\b/m.test(body)) throw new Error('single.mjs: the glue still has module syntax');
  return `function () {\n${body}\nreturn { default: __wbg_init, initSync, ${names.join(', ')} };\n}`;
}

/** Inline text may not close its own element early. */
const scriptSafe = (js) => js.replaceAll('</script', '<\\/script');
const styleSafe = (css) => css.replaceAll('</style', '<\\/style');

async function main() {
  const [html, css, glue, wasm, rawIndex] = await Promise.all([
    readFile(path.join(WWW, 'index.html'), 'utf8'),
    readFile(path.join(WWW, 'style.css'), 'utf8'),
    readFile(path.join(WWW, 'pkg/newslens.js'), 'utf8'),
    readFile(path.join(WWW, 'pkg/newslens_bg.wasm')),
    readFile(indexFile),
  ]);
  const index = rawIndex[0] === 0x1f && rawIndex[1] === 0x8b ? gunzipSync(rawIndex) : rawIndex;
  const bundle = await build({
    entryPoints: [path.join(WWW, 'app.js')],
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    target: 'chrome110',
    define: { 'import.meta.url': 'document.baseURI' },
    logLevel: 'silent',
  });
  const app = bundle.outputFiles[0].text;
  const boot = `globalThis.__newslensSingle = {
  wasm: Uint8Array.from(atob("${wasm.toString('base64')}"), (c) => c.charCodeAt(0)),
  index: Uint8Array.from(atob("${Buffer.from(index).toString('base64')}"), (c) => c.charCodeAt(0)),
  glue: ${glueFactory(glue)},
};`;
  let page = html
    .replace(/<link rel="stylesheet" href="style.css">/, () => `<style>\n${styleSafe(css)}\n</style>`)
    .replace(/<script type="module" src="app.js"><\/script>/, '')
    .replace('</body>', () => `<script>\n${scriptSafe(boot)}\n</script>\n<script>\n${scriptSafe(app)}\n</script>\n</body>`);
  if (page.includes('src="app.js"') || page.includes('href="style.css"')) throw new Error('single.mjs: index.html changed shape; update the replacements');
  page = page.replace('<title>newslens</title>', '<title>newslens (single file)</title>');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, page);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`wrote ${path.relative(ROOT, out)}: ${kib(page.length)} (wasm ${kib(wasm.length)}, index ${kib(index.length)}, JS ${kib(app.length)}, CSS ${kib(css.length)})`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
