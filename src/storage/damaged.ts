/**
 * Stored items that cannot be read: damaged by hand or by a crash, or written by a newer version
 * of the app. They are listed (with what is wrong) instead of hidden, so the user can save their
 * raw JSON or delete them; nothing here changes one unless the user deletes it.
 */
import { restoreConstitution, restorePromptSet, restoreRun } from '../core/schema/restore';
import { withWriteErrors } from './errors';
import { deleteRun } from './runs';
import { keys, kindRange, request, transact, type Kind } from './store';

export type DamagedKind = 'constitution' | 'promptset' | 'run';

export interface DamagedItem {
  kind: DamagedKind;
  /** The id in the item's key (the stored value may lack one). */
  id: string;
  /** What is wrong, in words (a newer version's data says so). */
  problem: string;
  /** The stored value as it is, for "Export raw JSON". */
  raw: unknown;
}

const RESTORE: Record<DamagedKind, (raw: unknown) => unknown> = {
  constitution: restoreConstitution,
  promptset: restorePromptSet,
  run: restoreRun,
};

async function damagedOf(kind: DamagedKind): Promise<DamagedItem[]> {
  const range = kindRange(kind as Kind);
  const [values, found] = await transact('readonly', (s) => Promise.all([request(s.getAll(range)), request(s.getAllKeys(range))]));
  const out: DamagedItem[] = [];
  values.forEach((raw, i) => {
    try {
      RESTORE[kind](raw);
    } catch (error) {
      const id = String((found[i] as [string, unknown])[1]);
      out.push({ kind, id, problem: error instanceof Error ? error.message : String(error), raw });
    }
  });
  return out;
}

/** Every damaged item of the given kinds. */
export async function listDamaged(kinds: readonly DamagedKind[]): Promise<DamagedItem[]> {
  return (await Promise.all(kinds.map(damagedOf))).flat();
}

/** Deletes a damaged item (a run with its records), at the user's request only. */
export function deleteDamaged(item: Pick<DamagedItem, 'kind' | 'id'>): Promise<void> {
  if (item.kind === 'run') return deleteRun(item.id);
  const key = item.kind === 'constitution' ? keys.constitution(item.id) : keys.promptSet(item.id);
  return withWriteErrors(() => transact('readwrite', (s) => request(s.delete(key)).then(() => undefined)));
}

/** The raw value as indented JSON; values JSON cannot hold (undefined, functions) come out as null. */
export function rawJson(item: DamagedItem): string {
  return JSON.stringify(item.raw ?? null, null, 2) ?? 'null';
}
