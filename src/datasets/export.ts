/**
 * Runs an export: for each planned file, the dataset's chunks are turned into JSONL text a batch
 * at a time (review rules applied; ~1 MB text chunks, formats/stream.ts) and written to the target
 * in order; the dataset card comes last, with the files' row counts. Batches may be made by several
 * sources at once (this page and the pipeline worker) while the page writes: at most a few batches
 * are in flight, so memory stays flat. Cancellable.
 */
import { reviewCounts, type ReviewCounts } from '../core/dataset-stats';
import { cardFileName, downloadPrefix, exportCard, plannedFiles, type ExportFormat, type ExportOptions, type PlannedFile } from '../core/datasets/export-plan';
import type { CardSettings, PreferenceFigures } from '../core/formats/card';
import type { SplitOptions } from '../core/formats/split';
import { recipeOfRun } from '../core/recipes/index';
import type { Run } from '../core/run';
import { describeLoss, lastChunkNo, type Loss } from '../storage';
import { exportRows, type RowBatch, type RowJob, type RowSource } from './rows';
import { downloadsTarget, type ExportTarget, type FileOut } from './export-targets';
import { inOrder } from './in-order';
import { TimeSlicer } from './slices';

export interface ExportRequest {
  run: Run;
  formats: readonly ExportFormat[];
  /** Seed and ratio, with the ids of the test records (testIds of formats/split.ts); null: no split. */
  split: (SplitOptions & { testIds: ReadonlySet<string> }) | null;
  card: boolean;
  /** Start of every data file's name (separate downloads carry the dataset's name); the card is always README.md. */
  prefix: string;
  /** Row choices: margin column, CAI halves, the recipes in the dataset. */
  options?: ExportOptions;
  /** License, languages and sources for the card. */
  settings?: CardSettings;
  counts: ReviewCounts;
  preference?: PreferenceFigures;
  /** Records per full read, for progress. */
  records: number;
  /** Who turns chunks into text; default: this thread only. */
  sources?: readonly RowSource[];
}

export interface ExportProgress {
  file: string;
  fileNo: number;
  files: number;
  /** Records read so far, over all files. */
  done: number;
  /** Records to read over all files. */
  total: number;
  bytes: number;
}

export interface ExportResult {
  files: (PlannedFile & { rows: number; bytes: number })[];
  bytes: number;
  ms: number;
  /** Records that could not be read and were left out (the same in every file), chunk by chunk. */
  losses: Loss[];
  /** The dataset card written beside the data files (README.md), when one was asked for. */
  card?: { name: string; bytes: number };
}

/** "100 records could not be read and were left out: …", or null when nothing was lost. */
export function lossNote(losses: readonly Loss[]): string | null {
  if (losses.length === 0) return null;
  const n = losses.reduce((sum, l) => sum + l.records, 0);
  return `${n} record${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'was' : 'were'} left out: ${losses.map(describeLoss).join('; ')}.`;
}

/** Chunks per batch (2,000 records) and batches in flight per source. */
const BATCH_CHUNKS = 20;
const IN_FLIGHT_PER_SOURCE = 2;

/** The file's batches in chunk order, made round-robin by the sources, a few ahead of the writer. */
async function* batches(job: Omit<RowJob, 'fromChunk' | 'chunks'>, sources: readonly RowSource[], signal?: AbortSignal): AsyncGenerator<RowBatch> {
  const pieces = Math.ceil(((await lastChunkNo(job.run.id)) + 1) / BATCH_CHUNKS);
  const make = (i: number) => sources[i % sources.length]!({ ...job, fromChunk: i * BATCH_CHUNKS, chunks: BATCH_CHUNKS });
  yield* inOrder(pieces, make, sources.length * IN_FLIGHT_PER_SOURCE, signal);
}

async function writeFile(out: FileOut, made: AsyncIterable<RowBatch>, onBatch: (b: RowBatch, bytes: number) => void): Promise<number> {
  let total = 0;
  // A batch's chunks (several MB of trace) are encoded here: pause between them so no task runs long.
  const slicer = new TimeSlicer(1);
  try {
    for await (const batch of made) {
      let bytes = 0;
      for (const chunk of batch.chunks) {
        bytes += await out.write(chunk);
        const pause = slicer.step();
        if (pause) await pause;
      }
      total += bytes;
      onBatch(batch, bytes);
    }
  } catch (error) {
    await out.abort();
    throw error;
  }
  await out.close();
  return total;
}

export async function runExport(
  req: ExportRequest,
  target: ExportTarget,
  onProgress: (p: ExportProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const started = performance.now();
  const planned = plannedFiles(req.formats, req.split !== null, req.prefix, req.options);
  const sources = req.sources?.length ? req.sources : [exportRows];
  const testIds = req.split ? [...req.split.testIds] : null;
  const exportId = `${req.run.id}:${started}:${Math.random()}`;
  const progress: ExportProgress = { file: '', fileNo: 0, files: planned.length + (req.card ? 1 : 0), done: 0, total: req.records * planned.length, bytes: 0 };
  const written: ExportResult['files'] = [];
  const losses: Loss[] = [];
  let card: ExportResult['card'];
  try {
    for (const file of planned) {
      let rows = 0;
      Object.assign(progress, { file: file.name, fileNo: progress.fileNo + 1 });
      onProgress({ ...progress });
      const out = await target.file(file.name);
      const options = { ...req.options, ...(file.half ? { half: file.half } : {}) };
      const job = { exportId, run: req.run, format: file.format, side: file.side, testIds, options };
      const bytes = await writeFile(out, batches(job, sources, signal), (batch, n) => {
        rows += batch.rows;
        if (written.length === 0) losses.push(...batch.losses);
        Object.assign(progress, { bytes: progress.bytes + n, done: progress.done + batch.records });
        onProgress({ ...progress });
      });
      written.push({ ...file, rows, bytes });
    }
    if (req.card) card = await writeCard(req, target, written, progress, onProgress);
    await target.finish();
  } catch (error) {
    await target.abort();
    throw error;
  }
  return { files: written, bytes: progress.bytes, ms: performance.now() - started, losses, ...(card ? { card } : {}) };
}

async function writeCard(req: ExportRequest, target: ExportTarget, files: ExportResult['files'], progress: ExportProgress, onProgress: (p: ExportProgress) => void): Promise<{ name: string; bytes: number }> {
  const name = cardFileName();
  Object.assign(progress, { file: name, fileNo: progress.fileNo + 1 });
  onProgress({ ...progress });
  const text = exportCard({
    run: req.run,
    files,
    counts: req.counts,
    ...(req.preference ? { preference: req.preference } : {}),
    split: req.split ? { seed: req.split.seed, testRatio: req.split.testRatio } : null,
    generatedAt: Date.now(),
    ...(req.options ? { options: req.options } : {}),
    ...(req.settings ? { settings: req.settings } : {}),
  });
  const out = await target.file(name);
  const bytes = await out.write(text);
  progress.bytes += bytes;
  await out.close();
  onProgress({ ...progress });
  return { name, bytes };
}

/**
 * The run list's one-click download: this export with one format, no split and no card, into the
 * browser's downloads, so its rows, review rules and file name are the Datasets tab's.
 */
export function downloadRun(run: Run, format: ExportFormat): Promise<ExportResult> {
  const recipe = recipeOfRun(run.spec);
  const options = recipe ? { recipes: [recipe.id] } : {};
  const request = { run, formats: [format], split: null, card: false, prefix: downloadPrefix(run), counts: reviewCounts([]), records: run.recordCount, options };
  return runExport(request, downloadsTarget());
}
