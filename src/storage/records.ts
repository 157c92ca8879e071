/**
 * The append-only record log of a run, stored as chunks of CHUNK_SIZE records
 * (key ['chunk', runId, chunkNo]) so appending rewrites one small value, not the whole log.
 */
import { SCHEMA_VERSION, type Review } from '../core/types';
import type { Run, RunRecord } from '../core/run';
import { withWriteErrors } from './errors';
import { restoreRecord, restoreRun } from '../core/schema/restore';
import { chunkRange, keys, request, transact } from './store';
import { Reader, isObj } from '../core/schema/validate';
import { putTally, readTally, tallyOf, withTally, type Tally } from './tally';
import { recipeOf } from '../core/recipes/index';

export const CHUNK_SIZE = 100;

export interface Chunk {
  schemaVersion: number;
  runId: string;
  chunkNo: number;
  /** Sorted by index, at most one record per index. */
  records: RunRecord[];
}

export const chunkOf = (index: number): number => Math.floor(index / CHUNK_SIZE);

/** Checks a stored chunk; v0 records without `index` take their dense-log position. */
function restoreChunk(raw: unknown, runId: string, chunkNo: number): Chunk {
  if (raw === undefined) return { schemaVersion: SCHEMA_VERSION, runId, chunkNo, records: [] };
  if (!isObj(raw)) throw new Error(`chunk ${runId}/${chunkNo}: stored value must be an object`);
  const r = new Reader(`chunk ${runId}/${chunkNo}`, raw);
  const records = r.arr('records').map((rec, i) => restoreRecord(rec, chunkNo * CHUNK_SIZE + i));
  return { schemaVersion: SCHEMA_VERSION, runId, chunkNo, records };
}

/** Inserts keeping index order; a record with the same index is replaced. Returns true if new. */
function upsert(records: RunRecord[], record: RunRecord): boolean {
  const at = records.findIndex((r) => r.index >= record.index);
  if (at === -1) {
    records.push(record);
    return true;
  }
  const isNew = records[at]!.index !== record.index;
  records.splice(at, isNew ? 0 : 1, record);
  return isNew;
}

function tallyAfterAppend(stored: Tally, record: RunRecord, isNew: boolean): Tally {
  const stats = { ...stored.stats };
  const facts = recipeOf(record).facts(record);
  if (isNew) {
    // Only new records count: a retried write of the same index must not double the totals.
    stats.promptTokens += record.usage.promptTokens;
    stats.completionTokens += record.usage.completionTokens;
    stats.generationMs += record.usage.ms;
  }
  return {
    cursor: Math.max(stored.cursor, record.index + 1),
    recordCount: stored.recordCount + (isNew ? 1 : 0),
    updatedAt: Date.now(),
    stats,
    failed: (stored.failed ?? 0) + (isNew && facts.failed ? 1 : 0),
    // Counted only from a run's first record on: an older tally without it stays unknown.
    ...(stored.paired !== undefined || stored.recordCount === 0 ? { paired: (stored.paired ?? 0) + (isNew && facts.paired ? 1 : 0) } : {}),
  };
}

/** The counters to advance: the tally, or (before the first append) the header's. Throws when the run is gone. */
async function currentTally(s: IDBObjectStore, runId: string): Promise<Tally> {
  const gone = () => new Error(`Cannot append to run ${runId}: it is not stored (was it deleted?)`);
  const tally = await readTally(s, runId);
  if (tally) {
    if ((await request(s.count(keys.run(runId)))) === 0) throw gone();
    return tally;
  }
  const rawRun = await request(s.get(keys.run(runId)));
  if (rawRun === undefined) throw gone();
  return tallyOf(restoreRun(rawRun));
}

/**
 * Durably appends (or idempotently replaces) one record and advances the run's tally, in ONE
 * transaction: either both the chunk and the counters are written, or neither is. The header (with
 * its frozen spec) is not rewritten, so a record costs the same bytes in a run of 100 or 20,000.
 * Resolves with `run` carrying the updated counters once committed.
 */
export function appendRecord(run: Run, record: RunRecord): Promise<Run> {
  return appendRecords(run, [record]);
}

/**
 * Appends several records (records in flight, finished in a row) in ONE transaction: each chunk
 * they touch is read and written once, and the tally advances once for all of them.
 */
export async function appendRecords(run: Run, records: readonly RunRecord[]): Promise<Run> {
  const recs = records.map((record) => restoreRecord(record));
  const stranger = recs.find((rec) => rec.runId !== run.id);
  if (stranger) throw new Error(`record ${stranger.id} belongs to run ${stranger.runId}, not ${run.id}`);
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      let tally = await currentTally(s, run.id);
      const chunks = new Map<number, Chunk>();
      for (const rec of recs) {
        const no = chunkOf(rec.index);
        let chunk = chunks.get(no);
        if (!chunk) chunks.set(no, (chunk = restoreChunk(await request(s.get(keys.chunk(run.id, no))), run.id, no)));
        tally = tallyAfterAppend(tally, rec, upsert(chunk.records, rec));
      }
      for (const [no, chunk] of chunks) await request(s.put(chunk, keys.chunk(run.id, no)));
      await putTally(s, run.id, tally);
      return withTally(run, tally);
    }),
  );
}

/** Visits a run's chunks in order until `visit` returns false; reads only as far as needed. */
function eachChunk(s: IDBObjectStore, runId: string, visit: (c: Chunk) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = s.openCursor(chunkRange(runId));
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return resolve();
      try {
        const chunkNo = (cursor.key as [string, string, number])[2];
        if (visit(restoreChunk(cursor.value, runId, chunkNo))) cursor.continue();
        else resolve();
      } catch (err) {
        reject(err);
      }
    };
  });
}

/** Records in index order; `offset`/`limit` count positions in that order (for paging). */
export function readRecords(runId: string, offset = 0, limit = Infinity): Promise<RunRecord[]> {
  const end = offset + limit;
  const out: RunRecord[] = [];
  return transact('readonly', async (s) => {
    let seen = 0;
    await eachChunk(s, runId, (chunk) => {
      for (const rec of chunk.records) {
        if (seen >= offset && seen < end) out.push(rec);
        seen++;
      }
      return seen < end;
    });
    return out;
  });
}

/** Indexes of the records stored: a resume makes every other index, whatever the counters say. */
export function storedIndexes(runId: string): Promise<Set<number>> {
  return transact('readonly', async (s) => {
    const found = new Set<number>();
    await eachChunk(s, runId, (chunk) => {
      for (const rec of chunk.records) found.add(rec.index);
      return true;
    });
    return found;
  });
}

/** Counts what is actually stored (the run's recordCount is a cached copy of this). */
export function countRecords(runId: string): Promise<number> {
  return transact('readonly', async (s) => {
    let n = 0;
    await eachChunk(s, runId, (chunk) => {
      n += chunk.records.length;
      return true;
    });
    return n;
  });
}

/** Sets (or with undefined, clears) the review of one record, rewriting only its chunk. */
export async function updateRecordReview(runId: string, index: number, review: Review | undefined): Promise<RunRecord> {
  const chunkKey = keys.chunk(runId, chunkOf(index));
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      const chunk = restoreChunk(await request(s.get(chunkKey)), runId, chunkOf(index));
      const at = chunk.records.findIndex((r) => r.index === index);
      if (at === -1) throw new Error(`Run ${runId} has no record ${index} to review`);
      const updated: RunRecord = { ...chunk.records[at]! };
      if (review) updated.review = { ...review };
      else delete updated.review;
      chunk.records[at] = restoreRecord(updated);
      await request(s.put(chunk, chunkKey));
      return chunk.records[at]!;
    }),
  );
}
