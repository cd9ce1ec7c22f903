// Imported collections, kept in this browser's IndexedDB (nothing leaves the machine).
//
// Two object stores: `files` (one record per imported file: its name, bytes, and what it
// gave) and `collections` (the built index of the imports, under the key 'imports').
// Invariant: an import replaces both in ONE transaction, after the new index is built, so
// a failed, cancelled or killed import, or a full disk, leaves the previous collection whole.

const DB_NAME = 'newslens';
const DB_VERSION = 1;
const KEY = 'imports';

export class StorageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StorageError';
  }
}

function explain(err, doing) {
  if (err?.name === 'QuotaExceededError') {
    return new StorageError(`This browser's storage is full, so ${doing} could not be saved. Your previous collection is unchanged; remove some imported files or free space, then try again.`);
  }
  return new StorageError(`${doing[0].toUpperCase()}${doing.slice(1)} could not be saved in this browser (${err?.message || err?.name || 'storage unavailable'}). Your previous collection is unchanged.`);
}

let opening = null;
function db() {
  opening ??= new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new StorageError('This browser offers no storage (IndexedDB) here, so imports last only until the page closes.'));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains('files')) d.createObjectStore('files', { keyPath: 'name' });
      if (!d.objectStoreNames.contains('collections')) d.createObjectStore('collections', { keyPath: 'name' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new StorageError(`The browser's storage could not be opened: ${req.error?.message}`));
    req.onblocked = () => reject(new StorageError('The browser\'s storage is in use by an older newslens tab; close it and reload.'));
  });
  opening.catch(() => { opening = null; });
  return opening;
}

/** Runs fn(stores) in one transaction and resolves when it has committed. */
async function transaction(mode, fn, doing) {
  const d = await db();
  return new Promise((resolve, reject) => {
    let tx;
    try {
      tx = d.transaction(['files', 'collections'], mode);
    } catch (e) {
      reject(explain(e, doing));
      return;
    }
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onabort = () => reject(explain(tx.error, doing));
    tx.onerror = (ev) => ev.preventDefault(); // reported once, by onabort
    try {
      result = fn({ files: tx.objectStore('files'), collections: tx.objectStore('collections') });
    } catch (e) {
      tx.abort();
      reject(explain(e, doing));
    }
  });
}

function all(store) {
  return new Promise((resolve, reject) => {
    const req = store.getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function get(store, key) {
  return new Promise((resolve, reject) => {
    const req = store.get(key);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Every imported file, with its bytes ({ name, bytes, size, added, articles, warnings }). */
export async function readFiles() {
  let out = [];
  await transaction('readonly', async ({ files }) => { out = await all(files); }, 'the imports');
  return out.sort((a, b) => a.added - b.added || a.name.localeCompare(b.name));
}

/** The imported collection: { index: ArrayBuffer, built, articles, files: [{ name, size, added, articles, warnings }] } or null. */
export async function readCollection() {
  let out = null;
  await transaction('readonly', async ({ collections }) => { out = (await get(collections, KEY)) ?? null; }, 'the imports');
  return out;
}

/**
 * Replaces the imported collection: `files` are every file it is built from (with bytes),
 * `index` its bytes. Files not in `files` are removed. One transaction: all or nothing.
 */
export function saveCollection(files, index, articles) {
  const listing = files.map(({ name, size, added, articles: n, warnings }) => ({ name, size, added, articles: n, warnings }));
  return transaction('readwrite', ({ files: fileStore, collections }) => {
    fileStore.clear();
    for (const f of files) fileStore.put(f);
    collections.put({ name: KEY, index, built: Date.now(), articles, files: listing });
  }, 'the import');
}

/** Removes every imported file and the collection. */
export function clearCollection() {
  return transaction('readwrite', ({ files, collections }) => {
    files.clear();
    collections.delete(KEY);
  }, 'the removal');
}
