/**
 * A run's log counters, stored apart from its header under ['tally', runId]. The header holds the
 * frozen spec (every prompt: megabytes for a big run) and is written only when the run is made or
 * its status changes; each appended record rewrites just this small value with its chunk, so the
 * bytes written per record do not grow with the run.
 */
import type { Run, RunStats } from '../core/run';
import { Reader, isObj } from '../core/schema/validate';
import { keys, request } from './store';

export interface Tally {
  cursor: number;
  recordCount: number;
  stats: RunStats;
  updatedAt: number;
  /** Records stored as not processed (absent in tallies written before it was counted). */
  failed?: number;
  paired?: number;
}

/** The stored tally, or null when there is none or it is not readable (the header's counters then stand). */
export function restoreTally(raw: unknown): Tally | null {
  if (!isObj(raw)) return null;
  try {
    const r = new Reader('tally', raw);
    const stats = r.child('stats');
    return {
      cursor: r.int('cursor'),
      recordCount: r.int('recordCount'),
      stats: { promptTokens: stats.num('promptTokens'), completionTokens: stats.num('completionTokens'), generationMs: stats.num('generationMs') },
      updatedAt: r.num('updatedAt'),
      ...(r.has('failed') ? { failed: r.int('failed') } : {}),
      ...(r.has('paired') ? { paired: r.int('paired') } : {}),
    };
  } catch {
    return null;
  }
}

export const tallyOf = (run: Run): Tally => ({ cursor: run.cursor, recordCount: run.recordCount, stats: { ...run.stats }, updatedAt: run.updatedAt, failed: run.failedCount ?? 0, ...(run.pairedCount !== undefined ? { paired: run.pairedCount } : {}) });

/** The run with its counters taken from the tally (the newer of the two). */
export function withTally(run: Run, tally: Tally | null): Run {
  if (!tally) return run;
  const failed = tally.failed ?? run.failedCount;
  const paired = tally.paired ?? run.pairedCount;
  return {
    ...run, cursor: tally.cursor, recordCount: tally.recordCount, stats: { ...tally.stats }, updatedAt: Math.max(run.updatedAt, tally.updatedAt),
    ...(failed ? { failedCount: failed } : {}), ...(paired !== undefined ? { pairedCount: paired } : {}),
  };
}

export async function readTally(s: IDBObjectStore, runId: string): Promise<Tally | null> {
  return restoreTally(await request(s.get(keys.tally(runId))));
}

export function putTally(s: IDBObjectStore, runId: string, tally: Tally): Promise<IDBValidKey> {
  return request(s.put(tally, keys.tally(runId)));
}
