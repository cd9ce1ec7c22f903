// Importing the reader's own news: drop, pick or paste files; parse, extract and index them in
// a worker (import-worker.js) with progress and cancel; keep them in IndexedDB (store.js).
//
// Invariants: the collection being shown is replaced only after the new index is built AND
// saved; a cancelled or failed import changes nothing. Files are named by their path inside
// a dropped folder, so two "feed.xml" from two folders stay apart; importing a file again
// under the same name replaces it (its items update instead of doubling).

import { $, el } from './dom.js';
import { readCollection, readFiles, saveCollection, clearCollection, StorageError } from './store.js';

/** What a dropped folder contributes (the readers of src/article/files.rs); a file picked or
 *  dropped on its own is always tried. */
const ARTICLE_EXTENSIONS = ['txt', 'text', 'md', 'markdown', 'json', 'jsonl', 'ndjson', 'html', 'htm', 'xhtml', 'xml', 'rss', 'atom'];
/** One file's limit in the browser: the importer holds the file, its text and its articles. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const STAGES = {
  reading: { label: 'Reading files', unit: 'files', from: 0, weight: 0.15 },
  names: { label: 'Finding names', unit: 'articles', from: 0.15, weight: 0.3 },
  entities: { label: 'Finding entities', unit: 'articles', from: 0.45, weight: 0.45 },
  indexing: { label: 'Building the index', unit: '', from: 0.9, weight: 0.1 },
};

const number = (n) => n.toLocaleString('en');

function duration(s) {
  if (s < 1) return 'a second';
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}

function hasExtension(name) {
  const m = /\.([^./\\]+)$/.exec(name);
  return Boolean(m && ARTICLE_EXTENSIONS.includes(m[1].toLowerCase()));
}

/** The files of a drop, walking dropped folders (their article files only). */
async function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items || []].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files].map((file) => ({ file, name: file.name }));
  const out = [];
  const walk = async (entry, inFolder) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      const name = entry.fullPath.replace(/^\//, '');
      if (!inFolder || hasExtension(name)) out.push({ file, name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e, true);
      }
    }
  };
  for (const e of entries) await walk(e, false);
  return out;
}

export class ImportPanel {
  /**
   * onCollection(index ArrayBuffer | null, info): called after an import or a removal with
   * the new collection's bytes (null when no import is left). onOpenIndex(bytes, name): a
   * .newslens index file was dropped or picked, to be opened as it is (not imported).
   */
  constructor({ onCollection, onOpenIndex }) {
    this.onCollection = onCollection;
    this.onOpenIndex = onOpenIndex;
    this.worker = null;
    this.cancel = null;
    this.dialog = $('import-dialog');
    $('import-open').addEventListener('click', () => this.open());
    $('import-close').addEventListener('click', () => this.dialog.close());
    $('import-pick').addEventListener('click', () => $('import-files').click());
    $('import-pick-folder').addEventListener('click', () => $('import-folder').click());
    for (const id of ['import-files', 'import-folder']) {
      $(id).addEventListener('change', (ev) => {
        const files = [...ev.target.files].map((file) => ({ file, name: file.webkitRelativePath || file.name }))
          .filter((f) => id === 'import-files' || hasExtension(f.name));
        ev.target.value = '';
        this.importFiles(files);
      });
    }
    $('import-paste-go').addEventListener('click', () => this.importPaste());
    $('import-cancel').addEventListener('click', () => this.cancel?.());
    $('import-export').addEventListener('click', () => this.exportIndex());
    $('import-clear').addEventListener('click', () => this.removeAll());
    this.setupDrop();
  }

  open() {
    if (!this.dialog.open) this.dialog.showModal();
    this.renderList();
  }

  /** Files dropped anywhere on the page are imported; the panel opens to show progress. */
  setupDrop() {
    const carriesFiles = (ev) => [...(ev.dataTransfer?.types || [])].includes('Files');
    document.addEventListener('dragover', (ev) => {
      if (!carriesFiles(ev)) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'copy';
      document.body.classList.add('dropping');
    });
    document.addEventListener('dragleave', (ev) => {
      if (!ev.relatedTarget) document.body.classList.remove('dropping');
    });
    document.addEventListener('drop', async (ev) => {
      document.body.classList.remove('dropping');
      if (!carriesFiles(ev)) return;
      ev.preventDefault();
      this.open();
      this.importFiles(await droppedFiles(ev.dataTransfer));
    });
  }

  async importPaste() {
    const text = $('import-paste').value;
    if (!text.trim()) {
      this.showResult([el('p', {}, 'Paste the text of a feed, a JSON export or an article first.')], 'warn');
      return;
    }
    // The importer recognises a feed, JSON, HTML, Markdown or plain text by its look.
    const n = (await this.storedNames()).filter((x) => x.startsWith('pasted-')).length + 1;
    const name = `pasted-${n}`;
    const ok = await this.run([{ name, bytes: new TextEncoder().encode(text).buffer, size: text.length }]);
    if (ok) $('import-paste').value = '';
  }

  async storedNames() {
    try {
      return (await readCollection())?.files.map((f) => f.name) ?? [];
    } catch {
      return [];
    }
  }

  async importFiles(picked) {
    const index = picked.find((f) => /\.newslens$/i.test(f.name));
    if (index) {
      this.dialog.close();
      await this.onOpenIndex(await index.file.arrayBuffer(), index.name.split('/').pop());
      return;
    }
    if (!picked.length) {
      this.showResult([el('p', {}, 'No article files found there (text, Markdown, HTML, feeds, JSON).')], 'warn');
      return;
    }
    const tooBig = picked.filter((f) => f.file.size > MAX_FILE_BYTES);
    const files = [];
    for (const f of picked.filter((x) => x.file.size <= MAX_FILE_BYTES)) {
      files.push({ name: f.name, bytes: await f.file.arrayBuffer(), size: f.file.size });
    }
    const skipped = tooBig.map((f) => ({ file: f.name, reason: `file is ${number(f.file.size)} bytes, over the ${number(MAX_FILE_BYTES)}-byte limit for an import in the browser (the newslens command line takes up to 2 GiB)` }));
    await this.run(files, { skipped });
  }

  /**
   * Builds the collection from the stored files plus `added` (replacing same-name files)
   * minus `removed`, then saves and shows it. Resolves true when it was replaced.
   */
  async run(added, { removed = [], skipped = [] } = {}) {
    if (this.worker) {
      this.showResult([el('p', {}, 'An import is already running; wait for it or cancel it.')], 'warn');
      return false;
    }
    let stored = [];
    try {
      stored = await readFiles();
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      this.showResult([el('p', {}, e.message)], 'warn');
    }
    const byName = new Map(stored.map((f) => [f.name, f]));
    for (const name of removed) byName.delete(name);
    const now = Date.now();
    for (const f of added) byName.set(f.name, { ...f, added: now });
    const files = [...byName.values()];
    if (!files.length) {
      if (skipped.length) this.showResult(this.describeWarnings(skipped, 'Nothing was imported.'), 'error');
      return false;
    }

    this.showProgress({ stage: 'reading', done: 0, total: files.length, articles: 0 });
    let result;
    try {
      // Copies go to the worker: the stored records keep their bytes for saving.
      result = await this.build(files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) })));
    } catch (e) {
      this.hideProgress();
      const cancelled = e.name === 'AbortError';
      this.showResult([el('p', {}, cancelled
        ? 'Import cancelled. Your collection is unchanged.'
        : `The import failed: ${e.message}. Your collection is unchanged.`)], cancelled ? 'info' : 'error');
      return false;
    }
    this.hideProgress();

    const reports = new Map(result.reports.map((r) => [r.file, r]));
    const kept = files.filter((f) => reports.get(f.name)?.articles > 0).map((f) => {
      const r = reports.get(f.name);
      return { name: f.name, bytes: f.bytes, size: f.size ?? f.bytes.byteLength, added: f.added, articles: r.articles, warnings: r.warnings.length };
    });
    const warnings = [...skipped, ...result.warnings];
    const summary = `Imported ${number(result.articles)} ${result.articles === 1 ? 'article' : 'articles'} from ${number(kept.length)} ${kept.length === 1 ? 'file' : 'files'}.`;
    let saved = true;
    try {
      await saveCollection(kept, result.index.slice(0), result.articles);
    } catch (e) {
      saved = false;
      warnings.unshift({ file: 'storage', reason: e.message });
    }
    // The collection is switched (and the address names it) before the summary says it is
    // done, so a reload right after the summary reopens the imports.
    await this.onCollection(result.index, { articles: result.articles, saved });
    this.showResult(this.describeWarnings(warnings, saved ? summary : `${summary} They are shown until this page closes.`), warnings.length ? 'warn' : 'ok');
    this.renderList();
    return true;
  }

  /** Runs the import worker; rejects with an AbortError when cancelled. */
  build(files) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./import-worker.js', import.meta.url), { type: 'module' });
      this.worker = worker;
      const started = performance.now();
      const stop = (fn, value) => {
        worker.terminate();
        this.worker = null;
        this.cancel = null;
        fn(value);
      };
      this.cancel = () => stop(reject, Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      worker.onerror = (ev) => { ev.preventDefault?.(); stop(reject, new Error(ev.message || 'the import worker could not start')); };
      worker.onmessage = ({ data }) => {
        if (data.event === 'progress') this.showProgress(data, started);
        else if (data.event === 'done') stop(resolve, data);
        else if (data.event === 'error') stop(reject, new Error(data.message));
      };
      worker.postMessage({ files, fieldMap: '' }, files.map((f) => f.bytes));
    });
  }

  showProgress(p, started = performance.now()) {
    $('import-progress').hidden = false;
    $('import-result').hidden = true;
    for (const id of ['import-pick', 'import-pick-folder', 'import-paste-go']) $(id).disabled = true;
    const stage = STAGES[p.stage] || STAGES.reading;
    const within = p.total ? p.done / p.total : 0;
    const overall = Math.min(1, stage.from + stage.weight * within);
    $('import-bar').value = overall;
    const now = performance.now();
    if (this.stageName !== p.stage) { this.stageName = p.stage; this.stageStarted = now; }
    const elapsed = (now - started) / 1000;
    const parts = [stage.label];
    if (stage.unit) parts.push(`${number(p.done)} of ${number(p.total)} ${stage.unit}`);
    const stageSeconds = (now - this.stageStarted) / 1000;
    if (stage.unit && stageSeconds > 0.3 && p.done > 0) parts.push(`${number(Math.round(p.done / stageSeconds))} ${stage.unit}/s`);
    if (overall > 0.05 && elapsed > 0.5) parts.push(`about ${duration((elapsed * (1 - overall)) / overall)} left`);
    if (p.stage !== 'reading') parts.push(`${number(p.articles)} articles in all`);
    $('import-progress-text').textContent = parts.join(' · ');
  }

  hideProgress() {
    $('import-progress').hidden = true;
    this.stageName = null;
    for (const id of ['import-pick', 'import-pick-folder', 'import-paste-go']) $(id).disabled = false;
  }

  describeWarnings(warnings, summary) {
    const nodes = [el('p', { class: 'import-summary' }, summary)];
    if (warnings.length) {
      nodes.push(el('p', {}, `${warnings.length} ${warnings.length === 1 ? 'problem' : 'problems'}; everything else was imported:`));
      nodes.push(el('ul', { class: 'import-warnings' }, warnings.slice(0, 200).map((w) => el('li', {},
        el('span', { class: 'import-file' }, w.file), `: ${w.reason}`))));
      if (warnings.length > 200) nodes.push(el('p', {}, `…and ${warnings.length - 200} more.`));
    }
    return nodes;
  }

  showResult(nodes, kind) {
    const box = $('import-result');
    box.hidden = false;
    box.className = `import-result import-${kind}`;
    box.replaceChildren(...nodes);
  }

  async renderList() {
    const list = $('import-list');
    let collection = null;
    try {
      collection = await readCollection();
    } catch (e) {
      list.replaceChildren(el('p', {}, e.message));
      return;
    }
    const files = collection?.files ?? [];
    $('import-export').disabled = !files.length;
    $('import-clear').disabled = !files.length;
    if (!files.length) {
      list.replaceChildren(el('p', { class: 'import-empty' }, 'Nothing imported yet.'));
      return;
    }
    list.replaceChildren(
      el('p', {}, `${number(collection.articles)} articles from ${files.length} ${files.length === 1 ? 'file' : 'files'}, kept in this browser.`),
      el('ul', { class: 'import-files' }, files.map((f) => el('li', {},
        el('span', { class: 'import-file' }, f.name),
        el('span', { class: 'import-meta' }, ` ${number(f.articles)} ${f.articles === 1 ? 'article' : 'articles'} · ${number(Math.ceil(f.size / 1024))} KB`),
        el('button', {
          type: 'button', class: 'import-remove', 'aria-label': `Remove ${f.name}`,
          onclick: () => this.remove(f.name),
        }, 'Remove')))));
  }

  async remove(name) {
    const left = (await this.storedNames()).filter((n) => n !== name);
    if (!left.length) return this.removeAll();
    return this.run([], { removed: [name] });
  }

  async removeAll() {
    try {
      await clearCollection();
    } catch (e) {
      this.showResult([el('p', {}, e.message)], 'error');
      return;
    }
    this.showResult([el('p', {}, 'Every imported file was removed from this browser.')], 'ok');
    await this.onCollection(null, { articles: 0, saved: true });
    this.renderList();
  }

  /** Downloads the imports' index: a .newslens file any newslens page can open with ?index=. */
  async exportIndex() {
    const collection = await readCollection();
    if (!collection) return;
    const url = URL.createObjectURL(new Blob([collection.index], { type: 'application/octet-stream' }));
    const a = el('a', { href: url, download: 'my-news.newslens' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}
