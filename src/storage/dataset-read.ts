/**
 * Reading a dataset (a run's record log, see records.ts) in batches of whole chunks, straight by
 * key range, so opening, searching and exporting 100,000 records never restarts from the first
 * chunk and never holds more than one batch of full records.
 */
import type { RunRecord } from '../core/run';
import { CHUNK_SIZE, chunkOf } from './records';
import { restoreRecord } from '../core/schema/restore';
import { keys, request, transact } from './store';
import { isObj } from '../core/schema/validate';

/** One stored chunk as read, unchecked: `records` may hold anything a damaged store holds. */
export interface RawChunk {
  chunkNo: number;
  records: unknown[];
  /** Why the stored chunk itself cannot be read (then `records` is empty and its records are lost). */
  damage?: string;
}

/** A stored chunk as read: a value that is no chunk keeps its chunk number and says what is wrong. */
function rawChunk(chunkNo: number, value: unknown): RawChunk {
  if (isObj(value) && Array.isArray(value.records)) return { chunkNo, records: value.records };
  const damage = isObj(value) ? 'its "records" field is not a list' : `the stored value is ${value === null ? 'null' : typeof value}, not a chunk`;
  return { chunkNo, records: [], damage };
}

/** Records lost in one chunk: a damaged chunk (all its slots) or records that fail their check. */
export interface Loss {
  chunkNo: number;
  records: number;
  reason: string;
}

/** "100 records in chunk 1 could not be read (…)", the words the view and the export result use. */
export function describeLoss(loss: Loss): string {
  return `${loss.records} record${loss.records === 1 ? '' : 's'} in chunk ${loss.chunkNo} could not be read (${loss.reason})`;
}

/**
 * The readable records of some chunks, and what could not be read: a damaged chunk counts as
 * CHUNK_SIZE lost records (a chunk holds that many unless it is the log's last), an unreadable
 * record as one, with the first reason met in its chunk.
 */
export function checkedRecords(chunks: readonly RawChunk[]): { records: RunRecord[]; losses: Loss[] } {
  const records: RunRecord[] = [];
  const losses: Loss[] = [];
  for (const chunk of chunks) {
    if (chunk.damage) {
      losses.push({ chunkNo: chunk.chunkNo, records: CHUNK_SIZE, reason: chunk.damage });
      continue;
    }
    let lost: Loss | null = null;
    chunk.records.forEach((raw, i) => {
      try {
        records.push(restoreRecord(raw, chunk.chunkNo * CHUNK_SIZE + i));
      } catch (error) {
        lost ??= { chunkNo: chunk.chunkNo, records: 0, reason: error instanceof Error ? error.message : String(error) };
        lost.records++;
      }
    });
    if (lost) losses.push(lost);
  }
  return { records, losses };
}

const from = (runId: string, chunkNo: number) => IDBKeyRange.bound(['chunk', runId, chunkNo], ['chunk', runId, Infinity]);

/** Up to `count` chunks from `chunkNo` on, in order, in one read transaction. */
export function readRawChunks(runId: string, chunkNo: number, count: number): Promise<RawChunk[]> {
  return transact('readonly', async (s) => {
    const range = from(runId, chunkNo);
    const [values, found] = await Promise.all([request(s.getAll(range, count)), request(s.getAllKeys(range, count))]);
    return values.map((value, i) => rawChunk((found[i] as [string, string, number])[2], value));
  });
}

/** The chunks numbered [fromChunk, fromChunk + count) that are stored, in order, unchecked. */
export function readRawChunkRange(runId: string, fromChunk: number, count: number): Promise<RawChunk[]> {
  return transact('readonly', async (s) => {
    const range = IDBKeyRange.bound(['chunk', runId, fromChunk], ['chunk', runId, fromChunk + count], false, true);
    const [values, found] = await Promise.all([request(s.getAll(range)), request(s.getAllKeys(range))]);
    return values.map((value, i) => rawChunk((found[i] as [string, string, number])[2], value));
  });
}

/**
 * The stored chunks of [fromChunk, fromChunk + count), `step` chunks per read, in order; the next
 * read is requested before this one is handed on. Small reads keep each result's decoding (on the
 * thread that reads) a short task.
 */
export async function* rawChunkSlices(runId: string, fromChunk: number, count: number, step: number): AsyncGenerator<RawChunk[]> {
  const end = fromChunk + count;
  const read = (at: number) => {
    const made = readRawChunkRange(runId, at, Math.min(step, end - at));
    made.catch(() => undefined); // awaited below; never an unhandled rejection if the caller stops
    return made;
  };
  let at = fromChunk;
  let pending = at < end ? read(at) : null;
  while (pending) {
    const chunks = await pending;
    at += step;
    pending = at < end ? read(at) : null;
    yield chunks;
  }
}

export interface BatchOptions {
  /** Chunks per read; default 50 (5,000 records). */
  chunks?: number;
  /** Chunks in the first read, smaller so the first rows show at once; default `chunks`. */
  first?: number;
  signal?: AbortSignal;
}

/**
 * Every chunk of a run, a batch of chunks at a time. The next batch is requested before this one
 * is handed on, so the database reads while the caller works on the batch.
 */
export async function* rawChunkBatches(runId: string, { chunks = 50, first = chunks, signal }: BatchOptions = {}): AsyncGenerator<RawChunk[]> {
  let size = first;
  let pending: Promise<RawChunk[]> | null = readRawChunks(runId, 0, size);
  while (pending) {
    signal?.throwIfAborted();
    const batch: RawChunk[] = await pending;
    const last = batch[batch.length - 1];
    pending = last && batch.length === size ? readRawChunks(runId, last.chunkNo + 1, chunks) : null;
    size = chunks;
    // A read the caller will not take (it stopped early) must not turn into an unhandled rejection.
    pending?.catch(() => undefined);
    if (batch.length) yield batch;
  }
}

/** Every record of a run, checked and migrated like readRecords, a batch at a time. */
export async function* recordBatches(runId: string, options: BatchOptions = {}): AsyncGenerator<RunRecord[]> {
  for await (const batch of rawChunkBatches(runId, options)) {
    yield batch.flatMap((chunk) => chunk.records.map((raw, i) => restoreRecord(raw, chunk.chunkNo * CHUNK_SIZE + i)));
  }
}

/** The records of chunks [fromChunk, fromChunk + count), checked and migrated, in index order. */
export async function readRecordRange(runId: string, fromChunk: number, count: number): Promise<RunRecord[]> {
  const chunks = await readRawChunkRange(runId, fromChunk, count);
  return chunks.flatMap((chunk) => chunk.records.map((raw, i) => restoreRecord(raw, chunk.chunkNo * CHUNK_SIZE + i)));
}

/** The highest chunk number a run has stored, or -1 when it has none. */
export function lastChunkNo(runId: string): Promise<number> {
  return transact('readonly', (s) =>
    new Promise<number>((resolve, reject) => {
      const req = s.openKeyCursor(from(runId, 0), 'prev');
      req.onsuccess = () => resolve(req.result ? (req.result.key as [string, string, number])[2] : -1);
      req.onerror = () => reject(req.error);
    }),
  );
}

/** One record by its index, or undefined when the log has none there. */
export async function readRecordAt(runId: string, index: number): Promise<RunRecord | undefined> {
  const chunkNo = chunkOf(index);
  const value = await transact('readonly', (s) => request(s.get(keys.chunk(runId, chunkNo))));
  if (!isObj(value) || !Array.isArray(value.records)) return undefined;
  const records = value.records.map((raw, i) => restoreRecord(raw, chunkNo * CHUNK_SIZE + i));
  return records.find((r) => r.index === index);
}

/** Bytes and records of the first stored chunk, as JSON: a sample to estimate a dataset's size. */
export async function sampleSize(runId: string): Promise<{ bytes: number; records: number }> {
  const [chunk] = await readRawChunks(runId, 0, 1);
  if (!chunk) return { bytes: 0, records: 0 };
  return { bytes: new Blob([JSON.stringify(chunk.records)]).size, records: chunk.records.length };
}
