// The engine host: loads the wasm module and an index, keeps a working engine, and for a
// sharded index downloads only the files each search needs.
//
// An index folder's index.newslens is either the whole index or the manifest of a sharded
// index naming its parts (see src/format/sharded.rs); the host tells them by their kind.
// Sharded files are stored gzip-compressed and inflated here with the
// browser's DecompressionStream (no inflate code in the wasm).
//
// A wasm trap (a bug, since no input should reach one) leaves that instance unusable. The
// host then creates a fresh instance from the already-compiled module and the bytes it
// kept, tells the page through onRestart, and retries the call once.

// The single-file build (scripts/single.mjs) has no module scripts, workers or fetches (a
// page opened from file:// may use none of them): it sets this before the bundle runs, with
// the wasm bytes, the index bytes and a factory giving a fresh copy of the wasm-bindgen glue.
const SINGLE = globalThis.__newslensSingle ?? null;
const GLUE = new URL('./pkg/newslens.js', import.meta.url);
const WASM = new URL('./pkg/newslens_bg.wasm', import.meta.url);
const ENTRY = 'index.newslens';
/** Rounds of "load what is missing, search again" before giving up (a query needs two). */
const MAX_ROUNDS = 4;

export class IndexLoadError extends Error {
  constructor(message) {
    super(message);
    this.name = 'IndexLoadError'; // kept across the worker boundary
  }
}

async function fetchBytes(url, what) {
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new IndexLoadError(`Could not download the ${what} (${url}): ${e.message}`);
  }
  if (!res.ok) throw new IndexLoadError(`Could not download the ${what} (${url}): HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Inflates gzip bytes (sharded files are stored compressed); anything else is returned as is. */
async function inflate(bytes) {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let compiled = null;
/** The viewer's wasm, downloaded and compiled once per page or worker. */
function compileEngine() {
  compiled ??= (SINGLE ? Promise.resolve(SINGLE.wasm) : fetchBytes(WASM, 'search engine')).then((b) => WebAssembly.compile(b));
  compiled.catch(() => { compiled = null; });
  return compiled;
}

export class EngineHost {
  constructor(module, bytes, base) {
    this.module = module;
    this.bytes = bytes; // the single file, or the manifest
    this.base = base; // the index folder
    this.files = new Map(); // sharded: path -> inflated bytes, replayed after a restart
    this.inflight = new Map();
    this.generation = 0;
    this.engine = null;
    this.sharded = false;
    this.onRestart = () => {};
    /** Whether a first result starts loading the entity table in the background. */
    this.entitiesAfterFirst = true;
    /** Called when the entity table arrives after a first result (facets can now show). */
    this.onEntities = () => {};
  }

  /**
   * Downloads the wasm and the index at `indexUrl` (its folder, ending in '/', or its
   * index.newslens), and starts an engine.
   */
  static async load(indexUrl) {
    let url = new URL(indexUrl);
    if (url.pathname.endsWith('/')) url = new URL(ENTRY, url);
    const [module, raw] = await Promise.all([compileEngine(), fetchBytes(url, 'index')]);
    const host = new EngineHost(module, await inflate(raw), new URL('.', url));
    await host.start();
    return host;
  }

  /** An engine over a single-file index held in memory (an import built in this browser). */
  static async open(bytes) {
    const host = new EngineHost(await compileEngine(), await inflate(new Uint8Array(bytes)), null);
    try {
      await host.start();
    } catch (e) {
      throw new IndexLoadError(e.message);
    }
    if (host.sharded) throw new IndexLoadError('This file is the manifest of a sharded index: open its folder instead.');
    return host;
  }

  /** Nothing to release in the page (a worker host stops its worker). */
  close() {}

  /** A fresh wasm instance: importing the glue under a new URL gives it fresh state. */
  async start() {
    this.generation += 1;
    const glue = SINGLE ? SINGLE.glue() : await import(`${GLUE.href}?instance=${this.generation}`);
    this.exports = await glue.default({ module_or_path: this.module });
    this.sharded = glue.fileKind(this.bytes) === 'manifest';
    if (this.sharded) {
      this.engine = glue.Engine.fromManifest(this.bytes);
      for (const [name, bytes] of this.files) this.engine.addFile(name, bytes);
    } else {
      this.engine = new glue.Engine(this.bytes);
    }
    this.formatVersion = glue.formatVersion();
  }

  /**
   * Runs fn(engine). Engine errors (bad requests) are thrown as they are; a trap restarts
   * the engine and, unless retry is false, runs fn once more on the new one.
   */
  async call(fn, { retry = true } = {}) {
    try {
      return fn(this.engine);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      console.error('newslens: the engine trapped and is being restarted', e);
      await this.start();
      this.onRestart(e);
      if (!retry) return undefined;
      return fn(this.engine);
    }
  }

  /** Downloads, inflates and adds files of a sharded index (each once, in parallel). */
  async load(names) {
    await Promise.all(names.map((name) => {
      if (this.files.has(name)) return undefined;
      if (!this.inflight.has(name)) {
        const job = fetchBytes(new URL(name, this.base), `index part ${name}`)
          .then((raw) => inflate(raw).catch((e) => {
            throw new IndexLoadError(`index damaged: part ${name} does not decompress (${e.message}); rebuild the index`);
          }))
          .then((bytes) => this.call((e) => e.addFile(name, bytes)).then(() => this.files.set(name, bytes)))
          .finally(() => this.inflight.delete(name));
        this.inflight.set(name, job);
      }
      return this.inflight.get(name);
    }));
  }

  /** Searches (see Engine.search in src/wasm.rs), loading what a sharded index needs first. */
  async search(query, entities, limit, offset, facetLimit, sort, asYouType, dateFrom = '', dateTo = '') {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await this.load(await this.call((e) => e.needs(query, entities, sort, asYouType, dateFrom, dateTo)));
      const res = await this.call((e) => e.search(query, entities, limit, offset, facetLimit, sort, asYouType, dateFrom, dateTo));
      if (!res.missing.length) {
        this.loadEntitiesLater();
        return res;
      }
      await this.load(res.missing);
    }
    throw new IndexLoadError('The index keeps asking for more files; it may be damaged. Rebuild it.');
  }

  /** An article to read (see Engine.article), loading its parts first. */
  async article(id, query) {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const need = await this.call((e) => e.needsArticle(id, query));
      if (!need.length) break;
      await this.load(need);
    }
    return this.call((e) => e.article(id, query));
  }

  /** An entity's page (see Engine.entity), loading its newest articles first. */
  async entity(id) {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const need = await this.call((e) => e.needsEntity(id));
      if (!need.length) break;
      await this.load(need);
    }
    return this.call((e) => e.entity(id));
  }

  /** After a first result: the entity table, for facets and name suggestions. */
  loadEntitiesLater() {
    if (!this.sharded || !this.entitiesAfterFirst || this.entitiesRequested) return;
    this.entitiesRequested = true;
    setTimeout(() => {
      this.loadEntities().then(() => this.onEntities(), (err) => {
        this.entitiesRequested = false;
        console.error('newslens: the entity table could not be loaded', err);
      });
    }, 0);
  }

  /** Loads the entity table and the dates of a sharded index (nothing to do for one file). */
  async loadEntities() {
    await this.load(await this.call((e) => e.backgroundFiles()));
  }

  /** A trap on purpose (see forceTrapForTests in src/wasm.rs): recovered like any other. */
  async forceTrap() {
    await this.call((e) => e.forceTrapForTests(), { retry: false });
  }

  /** The wasm instance's memory (the index it holds, mostly). */
  wasmMemoryBytes() {
    return this.exports?.memory?.buffer?.byteLength ?? null;
  }
}

/**
 * The same interface as EngineHost (search, article, entity, stats, resolveEntity, forceTrap),
 * with the engine in a Web Worker (engine-worker.js). Errors keep their message;
 * IndexLoadError keeps its class, so the page tells "could not load" from a bad query.
 */
export class WorkerHost {
  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.next = 0;
    this.generation = 0;
    this.onRestart = () => {};
    this.onEntities = () => {};
    // A worker that cannot start (its script blocked or missing) fails every request.
    worker.onerror = (ev) => {
      ev.preventDefault?.();
      for (const p of this.pending.values()) p.reject(new Error(`the engine worker stopped: ${ev.message || 'could not start'}`));
      this.pending.clear();
    };
    worker.onmessage = ({ data }) => {
      if (data.event === 'restart') {
        this.generation = data.generation;
        this.onRestart();
      } else if (data.event === 'entities') {
        this.onEntities();
      } else {
        const p = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (!p) return;
        if (data.error) {
          const E = data.error.name === 'IndexLoadError' ? IndexLoadError : Error;
          p.reject(new E(data.error.message));
        } else {
          p.resolve(data.result);
        }
      }
    };
  }

  request(method, ...args) {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      const moved = args.filter((a) => a instanceof ArrayBuffer);
      this.worker.postMessage({ id, method, args }, moved);
    });
  }

  /** Starts a worker and loads the index in it: from a URL, or from bytes (moved, not copied). */
  static async load(source) {
    const worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
    const host = new WorkerHost(worker);
    try {
      const info = source instanceof ArrayBuffer
        ? await host.request('open', source)
        : await host.request('load', String(source));
      Object.assign(host, info);
    } catch (e) {
      worker.terminate();
      throw e;
    }
    return host;
  }

  /** Stops the worker (the page switched to another collection). */
  close() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the engine was closed'));
    this.pending.clear();
  }

  search(...args) { return this.request('search', ...args); }

  article(id, query) { return this.request('article', id, query); }

  entity(id) { return this.request('entity', id); }

  stats() { return this.request('stats'); }

  resolveEntity(reference) { return this.request('resolveEntity', reference); }

  async forceTrap() { this.generation = await this.request('forceTrap'); }
}

/**
 * The engine for the page: in a Web Worker where the browser allows one, in the page
 * otherwise (a worker that cannot start, as from file://). `source` is an index URL, or
 * an ArrayBuffer holding a single-file index (it is moved to the worker).
 */
export async function openEngine(source) {
  if (SINGLE) return EngineHost.open(source instanceof ArrayBuffer ? source : SINGLE.index.slice().buffer);
  if (typeof Worker === 'function') {
    // Kept for the fallback: moving the buffer to a worker that then fails would lose it.
    const copy = source instanceof ArrayBuffer ? source.slice(0) : null;
    try {
      return await WorkerHost.load(source);
    } catch (e) {
      if (!/engine worker/.test(e.message)) throw e; // the index, not the worker, failed
      console.warn('newslens: no worker, so the engine runs in the page:', e.message);
      if (copy) source = copy;
    }
  }
  return source instanceof ArrayBuffer ? EngineHost.open(source) : EngineHost.load(source);
}
