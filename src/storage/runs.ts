/** Run headers. A run's records live in separate chunk values (see records.ts). */
import type { CardSettings } from '../core/formats/card-settings';
import type { Run } from '../core/run';
import { withWriteErrors } from './errors';
import { restoreRun } from '../core/schema/restore';
import { stageRange } from './stages';
import { chunkRange, getRestored, keys, listRestored, request, transact } from './store';

/** Newest first, which is how the runs list shows them. */
export async function listRuns(): Promise<Run[]> {
  return (await listRestored('run', restoreRun)).sort((a, b) => b.createdAt - a.createdAt);
}

export function getRun(id: string): Promise<Run | undefined> {
  return getRestored(keys.run(id), restoreRun);
}

/** Stored run, or undefined when absent or unreadable (the caller's copy then wins). */
async function readStoredRun(s: IDBObjectStore, id: string): Promise<Run | undefined> {
  const raw = await request(s.get(keys.run(id)));
  if (raw === undefined) return undefined;
  try {
    return restoreRun(raw);
  } catch {
    return undefined;
  }
}

/**
 * Saves a run header (status, name, error, ...) and sets updatedAt.
 *
 * The log counters (cursor, recordCount, stats) are owned by appendRecord: the window and the
 * worker both save runs, and a save from a stale copy must not roll them back, or a resume would
 * skip or miscount records. So for an existing run the stored counters are kept (cursor never
 * moves backwards); for a new run the given ones are used.
 */
export async function saveRun(run: Run): Promise<Run> {
  const next = restoreRun({ ...run, updatedAt: Date.now() });
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      const stored = await readStoredRun(s, run.id);
      if (stored) {
        next.cursor = Math.max(stored.cursor, next.cursor);
        next.recordCount = stored.recordCount;
        next.stats = stored.stats;
        // The card choices are saved on their own (saveCardSettings); a copy made before them keeps them.
        if (next.card === undefined && stored.card) next.card = stored.card;
      }
      await request(s.put(next, keys.run(run.id)));
      return next;
    }),
  );
}

/**
 * Stores a dataset's card choices on its run. Only that field changes (not updatedAt), so the
 * datasets list does not count the dataset's records again for a setting that cannot change them.
 */
export async function saveCardSettings(runId: string, card: CardSettings): Promise<Run> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      const stored = await readStoredRun(s, runId);
      if (!stored) throw new Error(`dataset ${runId} is no longer stored`);
      const next = restoreRun({ ...stored, card });
      await request(s.put(next, keys.run(runId)));
      return next;
    }),
  );
}

/** Deletes the run and all its record chunks in one transaction, so no orphan chunks remain. */
export function deleteRun(id: string): Promise<void> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      await Promise.all([request(s.delete(chunkRange(id))), request(s.delete(stageRange(id))), request(s.delete(keys.run(id)))]);
    }),
  );
}
