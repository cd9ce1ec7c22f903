// The engine host: loads the wasm module and an index, and keeps a working engine.
//
// A wasm trap (a bug, since no input should reach one) leaves that instance unusable. The
// host then creates a fresh instance from the already-compiled module and the index bytes it
// kept, tells the page through onRestart, and retries the call once.

const GLUE = new URL('./pkg/newslens.js', import.meta.url);
const WASM = new URL('./pkg/newslens_bg.wasm', import.meta.url);

export class IndexLoadError extends Error {}

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

export class EngineHost {
  constructor(module, bytes) {
    this.module = module;
    this.bytes = bytes;
    this.generation = 0;
    this.engine = null;
    this.onRestart = () => {};
  }

  /** Downloads the wasm and the index at `indexUrl`, and starts an engine. */
  static async load(indexUrl) {
    const [module, bytes] = await Promise.all([
      fetchBytes(WASM, 'search engine').then((b) => WebAssembly.compile(b)),
      fetchBytes(indexUrl, 'index'),
    ]);
    const host = new EngineHost(module, bytes);
    await host.start();
    return host;
  }

  /** A fresh wasm instance: importing the glue under a new URL gives it fresh state. */
  async start() {
    this.generation += 1;
    const glue = await import(`${GLUE.href}?instance=${this.generation}`);
    await glue.default({ module_or_path: this.module });
    this.engine = new glue.Engine(this.bytes);
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
}
