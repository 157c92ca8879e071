/**
 * The single IndexedDB object store behind all persistence, plus small promise helpers.
 *
 * Keys are arrays so related values sort together and can be listed with one key range:
 * ['constitution', id], ['promptset', id], ['run', id], ['tally', id], ['chunk', runId, chunkNo], ['meta', name].
 */
import { clear, createStore, type UseStore } from 'idb-keyval';

export const DB_NAME = 'cai-lab';
export const STORE_NAME = 'kv';

export type Kind = 'constitution' | 'promptset' | 'run' | 'tally' | 'chunk' | 'meta';

export const keys = {
  constitution: (id: string): IDBValidKey => ['constitution', id],
  promptSet: (id: string): IDBValidKey => ['promptset', id],
  run: (id: string): IDBValidKey => ['run', id],
  /** A run's log counters (cursor, recordCount, stats), small and rewritten with every record. */
  tally: (id: string): IDBValidKey => ['tally', id],
  chunk: (runId: string, chunkNo: number): IDBValidKey => ['chunk', runId, chunkNo],
  meta: (name: string): IDBValidKey => ['meta', name],
};

let store: UseStore | undefined;
let override: UseStore | undefined;

/** Created lazily so that merely importing storage (e.g. in tests or SSR-less builds) opens no DB. */
export function getStore(): UseStore {
  if (override) return override;
  store ??= createStore(DB_NAME, STORE_NAME);
  return store;
}

/** Tests inject a wrapped store (e.g. one whose put() throws) to exercise failure paths. */
export function setStoreForTests(custom: UseStore | undefined): void {
  override = custom;
}

/** Drops any injected store and empties the real one, so each test starts from a blank DB. */
export async function resetStoreForTests(): Promise<void> {
  override = undefined;
  await clear(getStore());
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new DOMException('Request failed', 'UnknownError'));
  });
}

/**
 * Settles when the transaction commits. Browsers often report quota failures only here
 * (every request succeeded, then the commit aborts), so writers must wait for this, not the requests.
 */
export function txDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    tx.onerror = () => undefined; // abort follows; reject there with the final tx.error
  });
}

/**
 * Runs `body` inside one transaction and resolves with its result only after the commit.
 * If `body` fails, the transaction is aborted so nothing it wrote survives.
 */
export function transact<T>(
  mode: IDBTransactionMode,
  body: (s: IDBObjectStore) => Promise<T>,
): Promise<T> {
  return getStore()(mode, (s) => {
    const done = txDone(s.transaction);
    let result: Promise<T>;
    try {
      result = body(s);
    } catch (err) {
      result = Promise.reject(err);
    }
    const guarded = result.catch((err: unknown) => {
      try {
        s.transaction.abort();
      } catch {
        // Already finished or aborting (e.g. a failed request aborts it by itself).
      }
      throw err;
    });
    return Promise.all([guarded, done]).then(([value]) => value);
  });
}

/** Range covering every key of one kind: arrays sort after strings/numbers, so [kind, []] bounds it. */
export function kindRange(kind: Kind): IDBKeyRange {
  return IDBKeyRange.bound([kind], [kind, []]);
}

/** All chunk keys of one run, in chunk order. */
export function chunkRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound(['chunk', runId, 0], ['chunk', runId, Infinity]);
}

export function getAllOfKind(kind: Kind): Promise<unknown[]> {
  return getStore()('readonly', (s) => request(s.getAll(kindRange(kind))));
}

export function getOne(key: IDBValidKey): Promise<unknown> {
  return getStore()('readonly', (s) => request(s.get(key)));
}

/**
 * Restores every stored item of a kind. A damaged item is skipped with a warning rather than
 * failing the whole list, so one bad entry cannot hide the rest of the user's library.
 */
export async function listRestored<T>(kind: Kind, restore: (raw: unknown) => T): Promise<T[]> {
  const out: T[] = [];
  for (const raw of await getAllOfKind(kind)) {
    try {
      out.push(restore(raw));
    } catch (err) {
      console.warn(`Skipping unreadable stored ${kind}:`, err);
    }
  }
  return out;
}

export async function getRestored<T>(key: IDBValidKey, restore: (raw: unknown) => T): Promise<T | undefined> {
  const raw = await getOne(key);
  return raw === undefined ? undefined : restore(raw);
}
