// What the browser device keeps, in IndexedDB (docs/browser-device.md): the device (ids, name and
// its non-extractable Ed25519 private key), the content key, the pinned server key, tokens, the
// replay cursor and the last device_seq in "kv"; the events shown in "history"; file chunks
// received but not yet complete in "chunks".

const NAME = 'pocketbridge';
const VERSION = 1;
export const HISTORY_LIMIT = 200;
let database;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function db() {
  if (!database) {
    database = new Promise((resolve, reject) => {
      const open = indexedDB.open(NAME, VERSION);
      open.onupgradeneeded = () => {
        const d = open.result;
        d.createObjectStore('kv');
        d.createObjectStore('history', { keyPath: 'id' }).createIndex('order', 'order');
        d.createObjectStore('chunks', { keyPath: ['fileId', 'index'] });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
      open.onblocked = () => reject(new Error('the storage is in use by an older copy of this page; close it'));
    });
  }
  return database;
}

async function run(storeName, mode, body) {
  const tx = (await db()).transaction(storeName, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('storage transaction aborted'));
  });
  const result = await body(tx.objectStore(storeName));
  await done;
  return result;
}

export const kv = {
  get: (key) => run('kv', 'readonly', (s) => request(s.get(key))),
  set: (key, value) => run('kv', 'readwrite', (s) => request(s.put(value, key))),
};

export const history = {
  /** Adds or replaces an entry ({id, order, …}); keeps the newest {@link HISTORY_LIMIT}. */
  put: (entry) => run('history', 'readwrite', async (s) => {
    await request(s.put(entry));
    const count = await request(s.count());
    if (count > HISTORY_LIMIT) {
      const oldest = await request(s.index('order').getAllKeys(null, count - HISTORY_LIMIT));
      for (const key of oldest) {
        s.delete(key);
      }
    }
  }),
  get: (id) => run('history', 'readonly', (s) => request(s.get(id))),
  /** Every entry, oldest first. */
  all: () => run('history', 'readonly', (s) => request(s.index('order').getAll())),
};

export const chunks = {
  put: (chunk) => run('chunks', 'readwrite', (s) => request(s.put(chunk))),
  of: (fileId) => run('chunks', 'readonly',
    (s) => request(s.getAll(IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER])))),
  remove: (fileId) => run('chunks', 'readwrite',
    (s) => request(s.delete(IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER])))),
};

/** Forgets everything: the device, its keys and what it received. */
export async function clearAll() {
  const d = await db();
  d.close();
  database = undefined;
  await request(indexedDB.deleteDatabase(NAME));
}
