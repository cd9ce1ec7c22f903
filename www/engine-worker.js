// The engine in a Web Worker: the page's WorkerHost (engine.js) sends { id, method, args }
// and gets { id, result } or { id, error }; restarts and the entity table's arrival are
// sent as { event }. Downloading, inflating and decoding shards and every search happen
// here, so typing stays smooth however large the index.
import { EngineHost } from './engine.js';

let host = null;

function started(h) {
  host = h;
  host.onRestart = () => postMessage({ event: 'restart', generation: host.generation });
  host.onEntities = () => postMessage({ event: 'entities' });
  return { generation: host.generation, formatVersion: host.formatVersion, sharded: host.sharded };
}

const METHODS = {
  load: async (indexUrl) => started(await EngineHost.load(indexUrl)),
  open: async (bytes) => started(await EngineHost.open(bytes)),
  search: (...args) => host.search(...args),
  article: (id, query) => host.article(id, query),
  entity: (id) => host.entity(id),
  stats: () => host.call((e) => e.stats()),
  resolveEntity: (reference) => host.call((e) => e.resolveEntity(reference)),
  forceTrap: () => host.call((e) => e.forceTrapForTests(), { retry: false }).then(() => host.generation),
};

onmessage = async ({ data: { id, method, args } }) => {
  try {
    const fn = METHODS[method];
    if (!fn) throw new Error(`unknown engine method ${method}`);
    if (!host && method !== 'load' && method !== 'open') throw new Error('the engine has no index loaded');
    postMessage({ id, result: await fn(...args) });
  } catch (e) {
    postMessage({ id, error: { message: e.message, name: e.name } });
  }
};
