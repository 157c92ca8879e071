/** User-editable constitutions and prompt sets. */
import type { Constitution, PromptSet } from '../core/types';
import { withWriteErrors } from './errors';
import { restoreConstitution, restorePromptSet } from '../core/schema/restore';
import { getRestored, keys, listRestored, request, transact } from './store';

/** Validates before writing so bad data is rejected at save time, not on the next read. */
async function put<T extends { updatedAt: number }>(
  key: IDBValidKey,
  value: T,
  restore: (raw: unknown) => T,
): Promise<T> {
  const saved = restore({ ...value, updatedAt: Date.now() });
  await withWriteErrors(() => transact('readwrite', (s) => request(s.put(saved, key))));
  return saved;
}

function remove(key: IDBValidKey): Promise<void> {
  return withWriteErrors(() => transact('readwrite', (s) => request(s.delete(key))));
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export async function listConstitutions(): Promise<Constitution[]> {
  return (await listRestored('constitution', restoreConstitution)).sort(byName);
}

export function getConstitution(id: string): Promise<Constitution | undefined> {
  return getRestored(keys.constitution(id), restoreConstitution);
}

export function saveConstitution(c: Constitution): Promise<Constitution> {
  return put(keys.constitution(c.id), c, restoreConstitution);
}

export function deleteConstitution(id: string): Promise<void> {
  return remove(keys.constitution(id));
}

export async function listPromptSets(): Promise<PromptSet[]> {
  return (await listRestored('promptset', restorePromptSet)).sort(byName);
}

export function getPromptSet(id: string): Promise<PromptSet | undefined> {
  return getRestored(keys.promptSet(id), restorePromptSet);
}

export function savePromptSet(p: PromptSet): Promise<PromptSet> {
  return put(keys.promptSet(p.id), p, restorePromptSet);
}

export function deletePromptSet(id: string): Promise<void> {
  return remove(keys.promptSet(id));
}
