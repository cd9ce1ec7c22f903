// The in-browser half of the speed benchmark (bench/speed.mjs drives it through Playwright).
//
// Every contender gets the same three steps, each timed here in the page:
//   build(corpus)  the JS engines index the corpus in this page and serialise the index
//                  (newslens and Pagefind build with their CLIs instead, timed by the runner);
//   load(base)     download the library and the prebuilt index, ready to answer;
//   query(q)       top 10 with whatever each engine offers for display, rendered into the DOM.
// Nothing engine-specific is imported until load() or build() asks for it, so the server's
// byte meter sees exactly what a reader would download.

const K = 10;
const out = document.getElementById('results');
let engine = null;

function render(rows) {
  const items = rows.map(({ title, snippet }) => {
    const li = document.createElement('li');
    const h = document.createElement('b');
    h.textContent = title ?? '';
    const p = document.createElement('p');
    p.textContent = snippet ?? '';
    li.append(h, p);
    return li;
  });
  out.replaceChildren(...items);
  return out.offsetHeight; // layout, as a reader would wait for it
}

async function loadScript(src) {
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

async function corpus(url) {
  const text = await fetchText(url);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).map(({ id, title, body }) => ({ id, title, body }));
}

const plain = (q) => q.replace(/["()]/g, ' ').trim();

/** One adapter per engine; settings as in bench/relevance.mjs (each one's documented best). */
const ENGINES = {
  newslens: {
    // The viewer's own engine host: one file or a sharded folder, loaded as queries need.
    async load(base) {
      const { EngineHost } = await import('/dist/engine.js');
      const host = await EngineHost.load(new URL(`${base}/newslens/`, location.href));
      host.entitiesAfterFirst = false; // the runner loads them as a step of its own
      return {
        async search(q, typing) {
          // Top 10 with snippets and entity facet counts: what the viewer asks for.
          const r = await host.search(q, [], K, 0, 20, 'relevance', typing);
          return r.hits.map((h) => ({ title: h.title, snippet: h.snippet.map((s) => s.text).join('') }));
        },
        afterFirst: () => host.loadEntities(),
        wasmBytes: () => host.wasmMemoryBytes(),
      };
    },
  },

  pagefind: {
    async load(base) {
      const pf = await import(`${base}/pagefind/pagefind.js`);
      await pf.options({ basePath: `${base}/pagefind/` });
      await pf.init();
      return {
        async search(q) {
          const r = await pf.search(plain(q));
          if (!r) return [];
          // Pagefind's results are promises of fragments: a shown result must fetch its own.
          const data = await Promise.all(r.results.slice(0, K).map((x) => x.data()));
          return data.map((d) => ({ title: d.meta?.title, snippet: d.excerpt.replace(/<\/?mark>/g, '') }));
        },
      };
    },
  },

  minisearch: {
    options: { fields: ['title', 'body'], storeFields: ['title'], searchOptions: { boost: { title: 2 } } },
    async build(docs) {
      const { default: MiniSearch } = await import('/node_modules/minisearch/dist/es/index.js');
      const ms = new MiniSearch(this.options);
      ms.addAll(docs);
      return () => JSON.stringify(ms);
    },
    async load(base) {
      const { default: MiniSearch } = await import('/node_modules/minisearch/dist/es/index.js');
      const ms = MiniSearch.loadJSON(await fetchText(`${base}/minisearch.json`), this.options);
      return {
        search(q, typing) {
          const opts = typing ? { prefix: true, fuzzy: 0.2 } : {};
          return ms.search(plain(q), opts).slice(0, K).map((r) => ({ title: r.title }));
        },
      };
    },
  },

  lunr: {
    async build(docs) {
      await loadScript('/node_modules/lunr/lunr.min.js');
      const idx = window.lunr(function build() {
        this.ref('id');
        this.field('title', { boost: 2 });
        this.field('body');
        for (const d of docs) this.add(d);
      });
      // Lunr keeps no documents: a page must ship the titles beside the index.
      return () => JSON.stringify({ index: idx, titles: Object.fromEntries(docs.map((d) => [d.id, d.title])) });
    },
    async load(base) {
      await loadScript('/node_modules/lunr/lunr.min.js');
      const saved = JSON.parse(await fetchText(`${base}/lunr.json`));
      const idx = window.lunr.Index.load(saved.index);
      const words = (q) => plain(q).toLowerCase().split(/\s+/).map((w) => w.replace(/[^a-z0-9]/g, '')).filter(Boolean);
      return {
        search(q, typing) {
          const syntax = words(q).map((w) => (typing ? `${w}~1 ${w}*` : w)).join(' ');
          let hits = [];
          try { hits = idx.search(syntax); } catch { /* Lunr throws on some syntax */ }
          return hits.slice(0, K).map((r) => ({ title: saved.titles[r.ref] }));
        },
      };
    },
  },

  orama: {
    async build(docs) {
      const { create, insertMultiple, save } = await import('/node_modules/@orama/orama/dist/browser/index.js');
      const db = create({ schema: { id: 'string', title: 'string', body: 'string' } });
      await insertMultiple(db, docs);
      return () => JSON.stringify(save(db));
    },
    async load(base) {
      const { create, load, search } = await import('/node_modules/@orama/orama/dist/browser/index.js');
      const db = create({ schema: { id: 'string', title: 'string', body: 'string' } });
      load(db, JSON.parse(await fetchText(`${base}/orama.json`)));
      return {
        async search(q, typing) {
          const r = await search(db, { term: plain(q), tolerance: typing ? 1 : 0, limit: K, boost: { title: 2 } });
          return r.hits.map((h) => ({ title: h.document.title }));
        },
      };
    },
  },

  flexsearch: {
    options: { tokenize: 'forward', document: { id: 'id', index: ['title', 'body'], store: ['title'] } },
    async build(docs) {
      const { Document } = await import('/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs');
      const index = new Document(this.options);
      for (const d of docs) index.add(d);
      return async () => {
        const parts = {};
        await index.export((key, data) => { parts[key] = data; });
        return JSON.stringify(parts);
      };
    },
    async load(base) {
      const { Document } = await import('/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs');
      const index = new Document(this.options);
      const parts = JSON.parse(await fetchText(`${base}/flexsearch.json`));
      for (const [key, data] of Object.entries(parts)) await index.import(key, data);
      return {
        search(q) {
          // Unranked ids per field; titles from the store.
          const seen = new Map();
          for (const field of index.search(plain(q), { limit: K, enrich: true })) {
            for (const r of field.result) if (!seen.has(r.id)) seen.set(r.id, r.doc?.title);
          }
          return [...seen].slice(0, K).map(([, title]) => ({ title }));
        },
      };
    },
  },
};

window.bench = {
  engines: Object.keys(ENGINES),
  canBuild: (name) => Boolean(ENGINES[name].build),

  /** Builds in this page and uploads the serialised index; returns the timings. */
  async build(name, corpusUrl, uploadUrl) {
    const docs = await corpus(corpusUrl);
    const t0 = performance.now();
    const serialise = await ENGINES[name].build(docs);
    const t1 = performance.now();
    const text = await serialise();
    const t2 = performance.now();
    const res = await fetch(uploadUrl, { method: 'POST', body: text });
    if (!res.ok) throw new Error(`upload failed: HTTP ${res.status}`);
    return { buildMs: t1 - t0, serialiseMs: t2 - t1, bytes: text.length, docs: docs.length };
  },

  async load(name, base) {
    const t0 = performance.now();
    engine = await ENGINES[name].load(base);
    return { loadMs: performance.now() - t0 };
  },

  /** One query, searched and rendered; the time covers both. */
  async query(q, typing) {
    const t0 = performance.now();
    const rows = await engine.search(q, typing);
    render(rows);
    return { ms: performance.now() - t0, hits: rows.length };
  },

  /** What an engine loads in the background once it has shown a first result. */
  async afterFirst() {
    if (engine?.afterFirst) await engine.afterFirst();
  },

  wasmBytes: () => (engine?.wasmBytes ? engine.wasmBytes() : null),
};
document.title = 'ready';
