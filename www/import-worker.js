// The import worker: parses files, finds their entities and builds an index, off the page's
// thread, with the importer's own wasm (parsers, name lists and extractor: the viewer's
// wasm carries none of them). One worker per import; the page cancels by terminating it.
//
// In:  { files: [{ name, bytes: ArrayBuffer }], fieldMap }
// Out: { event: 'progress', stage, done, total, articles }  (stage: reading | names | entities | indexing)
//      { event: 'done', index: ArrayBuffer, reports: [{ file, articles, error?, warnings }], warnings, articles }
//      { event: 'error', message }

import init, { Importer } from './pkg/newslens_import.js';

/** Aim for a progress message about this often, whatever the articles' size. */
const SLICE_MS = 80;

onmessage = async ({ data }) => {
  try {
    await init({ module_or_path: new URL('./pkg/newslens_import_bg.wasm', import.meta.url) });
    const importer = new Importer(data.fieldMap || '');
    const reports = [];
    let articles = 0;
    const total = data.files.length;
    postMessage({ event: 'progress', stage: 'reading', done: 0, total, articles });
    let last = performance.now();
    for (const [i, f] of data.files.entries()) {
      const report = importer.addFile(f.name, new Uint8Array(f.bytes));
      f.bytes = null; // the worker keeps the parsed articles, not the file
      articles += report.articles;
      reports.push(report);
      if (performance.now() - last > SLICE_MS || i + 1 === total) {
        postMessage({ event: 'progress', stage: 'reading', done: i + 1, total, articles });
        last = performance.now();
      }
    }
    // Analysis in slices sized to take about SLICE_MS each.
    let budget = 8;
    for (;;) {
      const started = performance.now();
      const p = importer.step(budget);
      const took = performance.now() - started;
      if (p.stage === 'ready') break;
      postMessage({ event: 'progress', stage: p.stage, done: p.done, total: p.total, articles });
      budget = Math.max(1, Math.min(10000, Math.round(budget * (SLICE_MS / Math.max(took, 1)))));
    }
    postMessage({ event: 'progress', stage: 'indexing', done: 0, total: 1, articles });
    const index = importer.build();
    const warnings = importer.warnings();
    postMessage({ event: 'done', index: index.buffer, reports, warnings, articles }, [index.buffer]);
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    postMessage({
      event: 'error',
      message: trapped ? `the importer stopped unexpectedly (${e.message})` : e.message,
    });
  }
};
