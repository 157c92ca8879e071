/**
 * One batch of an export: the records of a range of chunks as one file's JSONL text. Runs on the
 * page and in the pipeline worker alike (nothing here needs the DOM), so an export can share its
 * work between the two threads while the page writes the batches in order.
 */
import { serialiseRows, type ExportFormat, type RowOptions } from '../core/datasets/export-plan';
import type { SplitName } from '../core/formats/split';
import type { Run } from '../core/run';
import { readRecordRange } from '../storage';

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
  /** JSONL text in chunks of about 1 MB, ending on line boundaries. */
  chunks: string[];
  rows: number;
  records: number;
}

export type RowSource = (job: RowJob) => Promise<RowBatch>;

let cached: { exportId: string; set: ReadonlySet<string> | null } | null = null;

/** Every job of an export carries the same test ids: build their Set once per export. */
function idSet(job: RowJob): ReadonlySet<string> | null {
  if (cached?.exportId !== job.exportId) cached = { exportId: job.exportId, set: job.testIds && new Set(job.testIds) };
  return cached.set;
}

export async function exportRows(job: RowJob): Promise<RowBatch> {
  const records = await readRecordRange(job.run.id, job.fromChunk, job.chunks);
  const { chunks, rows } = serialiseRows(job.format, job.run, records, job.side, idSet(job), undefined, job.options);
  return { chunks, rows, records: records.length };
}
