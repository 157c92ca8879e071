/**
 * Opening a dataset: its records become light summaries, read a batch of chunks at a time (the
 * first batch small, so rows show at once). Records are summarised as stored and checked in full
 * only when one cannot be summarised, which keeps opening 100,000 records well under a second.
 * Also the text search, which reads full records the same way and keeps only matching indexes.
 */
import { normalizeQuery, recordMatches } from '../core/datasets/filter';
import { NameLists, summarize, unreadableSummary, type RecordSummary } from '../core/datasets/summary';
import { SummaryTally } from '../core/datasets/tally';
import type { ReviewCounts } from '../core/dataset-stats';
import { SCHEMA_VERSION } from '../core/types';
import type { RunRecord } from '../core/run';
import { CHUNK_SIZE, lastChunkNo, rawChunkBatches, rawChunkSlices, restoreRecord, type RawChunk } from '../storage';
import { inOrder } from './in-order';

function current(raw: unknown): raw is RunRecord {
  const r = raw as { schemaVersion?: unknown; index?: unknown } | null;
  return typeof r === 'object' && r !== null && r.schemaVersion === SCHEMA_VERSION && typeof r.index === 'number';
}

function summaryOf(raw: unknown, hint: number, names: NameLists): RecordSummary {
  try {
    if (current(raw)) return summarize(raw, names);
  } catch {
    // Not the shape it claims: the full check below says what is wrong.
  }
  try {
    return summarize(restoreRecord(raw, hint), names);
  } catch (error) {
    return unreadableSummary(hint, error instanceof Error ? error.message : String(error));
  }
}

export function summarizeChunks(chunks: readonly RawChunk[], names: NameLists): RecordSummary[] {
  const out: RecordSummary[] = [];
  for (const chunk of chunks) {
    // A damaged chunk lists its slots as unreadable records, so the counts say what was lost.
    if (chunk.damage) for (let i = 0; i < CHUNK_SIZE; i++) out.push(unreadableSummary(chunk.chunkNo * CHUNK_SIZE + i, chunk.damage));
    else chunk.records.forEach((raw, i) => out.push(summaryOf(raw, chunk.chunkNo * CHUNK_SIZE + i, names)));
  }
  return out;
}

/** Makes the summaries of chunks [fromChunk, fromChunk + count): this page, or the worker. */
export type SummarySource = (runId: string, fromChunk: number, count: number) => Promise<RecordSummary[]>;

/**
 * Chunks per read: decoding a read's records is one task on the thread that reads, so keep it
 * short (at 100 chunks a read of a 100,000-record dataset decoded for 30 ms and more on the page).
 */
const READ_CHUNKS = 5;

export async function summarizeRange(runId: string, fromChunk: number, count: number): Promise<RecordSummary[]> {
  const names = new NameLists();
  const out: RecordSummary[] = [];
  for await (const slice of rawChunkSlices(runId, fromChunk, count, READ_CHUNKS)) {
    for (const summary of summarizeChunks(slice, names)) out.push(summary);
  }
  return out;
}

/** Chunks read first when a dataset opens (300 records, a screenful and more), here, so rows show at once. */
export const OPEN_FIRST_CHUNKS = 3;
/** Chunks per piece after that: a worker's piece is one message the page decodes in one task, so keep it short. */
export const OPEN_PIECE_CHUNKS = 20;

export interface LoadOptions {
  signal?: AbortSignal;
  /** Chunks read first, here; default OPEN_FIRST_CHUNKS. */
  first?: number;
  /** Chunks per piece after that; default OPEN_PIECE_CHUNKS. */
  chunks?: number;
  /** Who summarises the pieces, in turn; default this page only. */
  sources?: readonly SummarySource[];
}

/** Calls `onBatch` with each batch of summaries in index order; resolves when all are read. */
export async function loadSummaries(runId: string, onBatch: (batch: RecordSummary[]) => void, opts: LoadOptions = {}): Promise<void> {
  const { first = OPEN_FIRST_CHUNKS, chunks = OPEN_PIECE_CHUNKS, signal } = opts;
  const sources = opts.sources?.length ? opts.sources : [summarizeRange];
  const names = new NameLists();
  // Pieces from different sources (or a worker) come with their own name lists: share them again.
  const intern = (batch: RecordSummary[]) => {
    for (const s of batch) if (s.principles.length) s.principles = names.get([...s.principles]);
    return batch;
  };
  const end = (await lastChunkNo(runId)) + 1;
  if (end <= 0) return;
  onBatch(intern(await summarizeRange(runId, 0, first)));
  const pieces = Math.ceil(Math.max(0, end - first) / chunks);
  const make = (i: number) => sources[i % sources.length]!(runId, first + i * chunks, chunks);
  for await (const batch of inOrder(pieces, make, sources.length * 2, signal)) onBatch(intern(batch));
}

/** Review counts of a stored dataset (for the datasets list), without keeping its summaries. */
export async function scanCounts(runId: string, signal?: AbortSignal): Promise<ReviewCounts> {
  return (await scanDataset(runId, signal)).counts;
}

/** Review counts and how many stored records cannot be read (a damaged dataset says so in the list). */
export async function scanDataset(runId: string, signal?: AbortSignal): Promise<{ counts: ReviewCounts; unreadable: number }> {
  const names = new NameLists();
  const tally = new SummaryTally(CHUNK_SIZE);
  for await (const chunks of rawChunkBatches(runId, { chunks: READ_CHUNKS, signal })) tally.addAll(summarizeChunks(chunks, names));
  return { counts: tally.counts(), unreadable: tally.losses().reduce((n, loss) => n + loss.records, 0) };
}

/** Shortest time between two progress reports of a search: each one refilters the whole list. */
const SEARCH_REPORT_MS = 200;

/**
 * Indexes of the records whose texts contain `query` (case-insensitive). `onProgress` sees the
 * matches so far every SEARCH_REPORT_MS and at the end, so the list can fill while the search goes on.
 */
export async function searchRecords(
  runId: string,
  query: string,
  onProgress: (matches: ReadonlySet<number>, scanned: number) => void,
  signal?: AbortSignal,
): Promise<Set<number>> {
  const needle = normalizeQuery(query);
  const matches = new Set<number>();
  let scanned = 0;
  let reported = performance.now();
  for await (const chunks of rawChunkBatches(runId, { chunks: READ_CHUNKS, signal })) {
    for (const chunk of chunks) {
      chunk.records.forEach((raw, i) => {
        try {
          const record = current(raw) ? raw : restoreRecord(raw, chunk.chunkNo * CHUNK_SIZE + i);
          if (recordMatches(record, needle)) matches.add(record.index);
        } catch {
          // An unreadable record matches nothing; the list already shows it as unreadable.
        }
      });
      scanned += chunk.records.length;
    }
    if (performance.now() - reported >= SEARCH_REPORT_MS) (onProgress(matches, scanned), (reported = performance.now()));
  }
  onProgress(matches, scanned);
  return matches;
}
