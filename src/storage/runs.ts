/** Run headers, with their counters from the tally (tally.ts). A run's records live in chunks (records.ts). */
import type { CardSettings } from '../core/formats/card-settings';
import type { Run } from '../core/run';
import { withWriteErrors } from './errors';
import { restoreRun } from '../core/schema/restore';
import { stageRange } from './stages';
import { chunkRange, keys, listRestored, request, transact } from './store';
import { readTally, restoreTally, withTally, type Tally } from './tally';

/** Newest first, which is how the runs list shows them. */
export async function listRuns(): Promise<Run[]> {
  const [runs, tallies] = await Promise.all([listRestored('run', restoreRun), allTallies()]);
  return runs.map((run) => withTally(run, tallies.get(run.id) ?? null)).sort((a, b) => b.createdAt - a.createdAt);
}

/** Every readable tally by run id (read with their keys: a tally does not repeat its run's id). */
async function allTallies(): Promise<Map<string, Tally>> {
  const range = IDBKeyRange.bound(['tally'], ['tally', []]);
  const [values, found] = await transact('readonly', (s) => Promise.all([request(s.getAll(range)), request(s.getAllKeys(range))]));
  const out = new Map<string, Tally>();
  values.forEach((value, i) => {
    const tally = restoreTally(value);
    if (tally) out.set((found[i] as [string, string])[1], tally);
  });
  return out;
}

export function getRun(id: string): Promise<Run | undefined> {
  return transact('readonly', (s) => readStoredRun(s, id, true));
}

/** Stored run with its tally; undefined when absent, or when unreadable and `strict` is off. */
async function readStoredRun(s: IDBObjectStore, id: string, strict = false): Promise<Run | undefined> {
  const raw = await request(s.get(keys.run(id)));
  if (raw === undefined) return undefined;
  try {
    return withTally(restoreRun(raw), await readTally(s, id));
  } catch (error) {
    if (strict) throw error;
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
        if (stored.failedCount) next.failedCount = stored.failedCount;
        else delete next.failedCount;
        if (stored.pairedCount !== undefined) next.pairedCount = stored.pairedCount;
        else delete next.pairedCount;
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

/**
 * Renames a run. Only the name changes (not updatedAt, which makes the datasets list count again);
 * a running run keeps it, since the runner saves its status onto the stored header.
 */
export async function renameRun(runId: string, name: string): Promise<Run> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A run needs a name.');
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      const stored = await readStoredRun(s, runId);
      if (!stored) throw new Error(`run ${runId} is no longer stored`);
      const next = restoreRun({ ...stored, name: trimmed });
      await request(s.put(next, keys.run(runId)));
      return next;
    }),
  );
}

/** Sets the stored record count to what the log holds (the log is the truth; the count is a cache of it). */
export function setRecordCount(id: string, recordCount: number): Promise<void> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      const stored = await readStoredRun(s, id);
      if (!stored || stored.recordCount === recordCount) return;
      await request(s.put({ cursor: stored.cursor, recordCount, stats: stored.stats, updatedAt: Date.now(), failed: stored.failedCount ?? 0, ...(stored.pairedCount !== undefined ? { paired: stored.pairedCount } : {}) }, keys.tally(id)));
    }),
  );
}

/** Deletes the run and all its record chunks in one transaction, so no orphan chunks remain. */
export function deleteRun(id: string): Promise<void> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      await Promise.all([
        request(s.delete(chunkRange(id))),
        request(s.delete(stageRange(id))),
        request(s.delete(keys.tally(id))),
        request(s.delete(keys.run(id))),
      ]);
    }),
  );
}
