// The service worker: a revisit works offline. Every same-origin GET goes to the network
// first, so an online reader always gets the current page, engine and index; each good
// answer is also kept in the cache, which answers when the network cannot. What a visit
// used (the page, its modules, the wasm, the index files it fetched) is therefore what a
// later offline visit has. The importer (1.8 MB) is cached only once an import used it.
// Nothing from other origins is handled: the viewer never requests any.
const CACHE = 'newslens-v1';
// The page's shell, fetched at install so the first revisit works offline even if the
// first visit was cut short.
const SHELL = [
  './', 'index.html', 'style.css', 'app.js', 'dom.js', 'engine.js', 'engine-worker.js', 'import.js', 'store.js',
  'pictures.js', 'segments.js', 'entity-page.js', 'pkg/newslens.js', 'pkg/newslens_bg.wasm', 'index/index.newslens',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok) await cache.put(req, res.clone());
      return res;
    } catch (err) {
      // Offline: the same URL, or for the page itself any query string (state lives there).
      const hit = await cache.match(req) ?? (req.mode === 'navigate' ? await cache.match('index.html') : undefined);
      if (hit) return hit;
      throw err;
    }
  })());
});
