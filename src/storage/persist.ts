/** Browser storage durability and usage. Guarded: workers and Node have no (or a partial) StorageManager. */
import { getOne, keys, transact, request } from './store';

/** Every member optional: workers lack persist(), some browsers lack the whole manager. */
interface StorageLike {
  estimate?: () => Promise<StorageEstimate>;
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
}

function storageManager(): StorageLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageLike | undefined);
}

/** Bytes used and available to this origin, or null where the browser cannot tell. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const sm = storageManager();
  if (typeof sm?.estimate !== 'function') return null;
  try {
    const { usage, quota } = await sm.estimate();
    return { usage: usage ?? 0, quota: quota ?? 0 };
  } catch {
    return null;
  }
}

/**
 * Asks the browser not to evict our data under storage pressure. Asked at most once per
 * profile (remembered in ['meta', 'persistAsked']) because some browsers show a prompt.
 * persist() is window-only, so in a worker this resolves false without asking.
 */
export async function requestPersistence(): Promise<boolean> {
  const sm = storageManager();
  if (typeof sm?.persist !== 'function') return false;
  if (typeof sm.persisted === 'function' && (await sm.persisted())) return true;
  if ((await getOne(keys.meta('persistAsked'))) === true) return false;
  const granted = await sm.persist();
  await transact('readwrite', (s) => request(s.put(true, keys.meta('persistAsked'))));
  return granted;
}
