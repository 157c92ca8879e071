/**
 * Writing whole datasets (imports, merges) and many reviews at once (bulk actions), a few chunks
 * per transaction so a 100,000-record write neither holds one giant transaction nor rewrites a
 * chunk once per record.
 */
import { SCHEMA_VERSION, type Review } from '../core/types';
import type { Run, RunRecord } from '../core/run';
import { withWriteErrors } from './errors';
import { CHUNK_SIZE, chunkOf } from './records';
import { restoreRecord, restoreRun } from '../core/schema/restore';
import { deleteRun } from './runs';
import { whileWriting } from './sweep';
import { keys, request, transact } from './store';
import { isObj } from '../core/schema/validate';

const CHUNKS_PER_WRITE = 20;

/**
 * Stores a new run and its records (index = position, as combine.ts renumbers them). Chunks go
 * first and the run header last, so a dataset appears only once complete; a failed write removes
 * what it wrote.
 */
export function writeDataset(run: Run, records: readonly RunRecord[], onProgress?: (written: number) => void): Promise<Run> {
  // Held while writing, so a sweep of orphan chunks (sweep.ts) in any tab leaves these alone.
  return whileWriting(run.id, () => writeAll(run, records, onProgress));
}

async function writeAll(run: Run, records: readonly RunRecord[], onProgress?: (written: number) => void): Promise<Run> {
  const header = restoreRun(run);
  try {
    for (let first = 0; first < records.length; first += CHUNKS_PER_WRITE * CHUNK_SIZE) {
      const slice = records.slice(first, first + CHUNKS_PER_WRITE * CHUNK_SIZE).map((r) => restoreRecord(r));
      await withWriteErrors(() => transact('readwrite', (s) => putChunks(s, run.id, slice)));
      onProgress?.(first + slice.length);
    }
    await withWriteErrors(() => transact('readwrite', (s) => request(s.put(header, keys.run(run.id)))));
    return header;
  } catch (error) {
    await deleteRun(run.id).catch(() => undefined);
    throw error;
  }
}

async function putChunks(s: IDBObjectStore, runId: string, records: readonly RunRecord[]): Promise<void> {
  const chunks = new Map<number, RunRecord[]>();
  for (const record of records) {
    if (record.runId !== runId) throw new Error(`record ${record.id} belongs to run ${record.runId}, not ${runId}`);
    const list = chunks.get(chunkOf(record.index)) ?? [];
    list.push(record);
    chunks.set(chunkOf(record.index), list);
  }
  for (const [chunkNo, list] of chunks) {
    list.sort((a, b) => a.index - b.index);
    await request(s.put({ schemaVersion: SCHEMA_VERSION, runId, chunkNo, records: list }, keys.chunk(runId, chunkNo)));
  }
}

/**
 * Sets (or, with undefined, clears) the review of many records, chunk by chunk. Returns the
 * changed records' indexes. Records not stored are skipped: a bulk action must not fail halfway
 * because one record went missing.
 */
export async function reviewMany(runId: string, changes: ReadonlyMap<number, Review | undefined>, onProgress?: (done: number) => void): Promise<number[]> {
  const byChunk = new Map<number, number[]>();
  for (const index of changes.keys()) byChunk.set(chunkOf(index), [...(byChunk.get(chunkOf(index)) ?? []), index]);
  const chunkNos = [...byChunk.keys()].sort((a, b) => a - b);
  const changed: number[] = [];
  for (let i = 0; i < chunkNos.length; i += CHUNKS_PER_WRITE) {
    const group = chunkNos.slice(i, i + CHUNKS_PER_WRITE);
    changed.push(...(await withWriteErrors(() => transact('readwrite', (s) => reviewChunks(s, runId, group, changes)))));
    onProgress?.(changed.length);
  }
  return changed;
}

async function reviewChunks(s: IDBObjectStore, runId: string, chunkNos: number[], changes: ReadonlyMap<number, Review | undefined>): Promise<number[]> {
  const changed: number[] = [];
  for (const chunkNo of chunkNos) {
    const value = await request(s.get(keys.chunk(runId, chunkNo)));
    if (!isObj(value) || !Array.isArray(value.records)) continue;
    const records = value.records.map((raw, i) => {
      const record = restoreRecord(raw, chunkNo * CHUNK_SIZE + i);
      if (!changes.has(record.index)) return record;
      const review = changes.get(record.index);
      const updated: RunRecord = { ...record };
      if (review) updated.review = { ...review };
      else delete updated.review;
      changed.push(record.index);
      return updated;
    });
    await request(s.put({ schemaVersion: SCHEMA_VERSION, runId, chunkNo, records }, keys.chunk(runId, chunkNo)));
  }
  return changed;
}
