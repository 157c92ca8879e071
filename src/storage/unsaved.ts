/**
 * Library edits that were not written yet when the page went away. Leaving a page aborts the
 * IndexedDB transactions it has open, so the last edit is also kept in localStorage, which writes
 * synchronously; the next start stores it properly and clears it. A write that completes while the
 * page lives clears it at once, so an older copy never comes back over newer edits.
 */
import { restoreConstitution, restorePromptSet } from '../core/schema/restore';
import { saveConstitution, savePromptSet } from './library';

const PREFIX = 'cai-lab:unsaved:';

export type UnsavedKind = 'constitution' | 'promptset';

const keyOf = (kind: UnsavedKind, id: string) => `${PREFIX}${kind}:${id}`;

function local(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled for this site
  }
}

export function keepUnsaved(kind: UnsavedKind, id: string, value: unknown): void {
  try {
    local()?.setItem(keyOf(kind, id), JSON.stringify(value));
  } catch {
    // Full or disabled: nothing more can be done as the page goes.
  }
}

export function dropUnsaved(kind: UnsavedKind, id: string): void {
  local()?.removeItem(keyOf(kind, id));
}

/** Writes every kept edit to IndexedDB (checked like any stored item) and clears it; returns how many. */
export async function storeUnsaved(): Promise<number> {
  const store = local();
  if (!store) return 0;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => k?.startsWith(PREFIX) ?? false);
  let stored = 0;
  for (const key of keys) {
    const kind = key.slice(PREFIX.length).split(':')[0];
    try {
      const raw: unknown = JSON.parse(store.getItem(key) ?? 'null');
      if (kind === 'constitution') await saveConstitution(restoreConstitution(raw));
      else if (kind === 'promptset') await savePromptSet(restorePromptSet(raw));
      stored++;
    } catch {
      // Damaged or unknown: dropped below rather than retried at every start.
    }
    store.removeItem(key);
  }
  return stored;
}
