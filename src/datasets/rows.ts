/**
 * One batch of an export: the records of a range of chunks as one file's JSONL text. Runs on the
 * page and in the pipeline worker alike (nothing here needs the DOM), so an export can share its
 * work between the two threads while the page writes the batches in order.
 */
import { onSide, rowsOf, type ExportFormat, type RowOptions } from '../core/datasets/export-plan';
import { JsonlByteChunker } from '../core/formats/stream';
import type { SplitName } from '../core/formats/split';
import type { Run } from '../core/run';
import type { RunRecord } from '../core/run';
import { checkedRecords, rawChunkSlices, type Loss } from '../storage';
import { TimeSlicer } from './slices';

export interface RowJob {
  /** Unique per export: jobs of one export share it (and their test ids). */
  exportId: string;
  run: Run;
  format: ExportFormat;
  side: SplitName;
  /** The export's row choices and this file's half of the prompts (plain data). */
  options?: RowOptions;
  /** Ids of the test split, or null when not splitting. */
  testIds: readonly string[] | null;
  fromChunk: number;
  chunks: number;
}

export interface RowBatch {
  /**
   * JSONL in chunks of about 1 MB, ending on line boundaries, already UTF-8: the thread that made
   * them encodes them, and a worker transfers their buffers, so the page only writes bytes.
   */
  chunks: Uint8Array<ArrayBuffer>[];
  rows: number;
  records: number;
  /** Records of these chunks that could not be read, so were not exported. */
  losses: Loss[];
}

export type RowSource = (job: RowJob) => Promise<RowBatch>;

let cached: { exportId: string; set: ReadonlySet<string> | null } | null = null;

/** Every job of an export carries the same test ids: build their Set once per export. */
function idSet(job: RowJob): ReadonlySet<string> | null {
  if (cached?.exportId !== job.exportId) cached = { exportId: job.exportId, set: job.testIds && new Set(job.testIds) };
  return cached.set;
}

/**
 * Chunks per read on the page: a read's decoding is one task, so it stays short even for large
 * records. A worker has no page to keep responsive and reads a whole job at once (fewer round trips).
 */
const READ_CHUNKS = 4;

/**
 * The same text as serialiseRows (export-plan.ts) gives for these records, made in short tasks:
 * rows of a batch are grouped by recipe, so the batch is serialised whole, only paused.
 */
async function serialiseSliced(job: RowJob, records: readonly RunRecord[]): Promise<{ chunks: Uint8Array<ArrayBuffer>[]; rows: number }> {
  const chunker = new JsonlByteChunker();
  const slicer = new TimeSlicer();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let rows = 0;
  for (const row of rowsOf(job.format, job.run, onSide(records, job.side, idSet(job)), job.options)) {
    rows++;
    const chunk = chunker.push(row);
    if (chunk !== null) chunks.push(chunk);
    const pause = slicer.step();
    if (pause) await pause;
  }
  const last = chunker.flush();
  if (last !== null) chunks.push(last);
  return { chunks, rows };
}

export async function exportRows(job: RowJob, readChunks = READ_CHUNKS): Promise<RowBatch> {
  const records: RunRecord[] = [];
  const losses: Loss[] = [];
  // Unreadable records are left out and reported, never a reason for the whole export to fail.
  for await (const slice of rawChunkSlices(job.run.id, job.fromChunk, job.chunks, readChunks)) {
    const checked = checkedRecords(slice);
    for (const record of checked.records) records.push(record);
    losses.push(...checked.losses);
  }
  const { chunks, rows } = await serialiseSliced(job, records);
  return { chunks, rows, records: records.length, losses };
}
