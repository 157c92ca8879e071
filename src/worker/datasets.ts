/**
 * Dataset imports and merges, run in the worker so that parsing a large JSONL file or
 * deduplicating 100,000 records never freezes the page. Like imports.ts, outcomes come back as
 * plain data (Comlink would lose an error's details); bad lines are reported by number.
 */
import { dedupeAnyInSlices, datasetRun, renumber, sourceOf, sourceOfTrace } from '../core/datasets/combine';
import type { DedupeOptions } from '../core/dedupe';
import { DatasetImporter, type ImportFormat } from '../core/formats/dataset-import';
import type { JsonlLineError } from '../core/formats/jsonl';
import { splitLines } from '../core/formats/stream';
import type { Run, RunRecord } from '../core/run';
import { getRun, recordBatches, writeDataset } from '../storage';

/** At most this many bad lines come back; the count says how many there were. */
const MAX_ERRORS = 100;
/** Longest stretch of parsing before the worker answers other calls (the page's heartbeat). */
const SLICE_MS = 25;

export type DatasetInput = File | Blob | string;

export type DatasetImportOutcome =
  | { ok: true; runId: string; name: string; format: ImportFormat; records: number; errors: JsonlLineError[]; errorCount: number }
  | { ok: false; message: string; errors: JsonlLineError[]; errorCount: number };

export interface CombineOutcome {
  ok: boolean;
  message?: string;
  runId?: string;
  records: number;
  exact: number;
  near: number;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

async function* textOf(input: DatasetInput): AsyncGenerator<string> {
  if (typeof input === 'string') return yield input;
  const reader = input.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function stats(records: readonly RunRecord[]): Run['stats'] {
  const s = { promptTokens: 0, completionTokens: 0, generationMs: 0 };
  for (const r of records) (s.promptTokens += r.usage.promptTokens, (s.completionTokens += r.usage.completionTokens), (s.generationMs += r.usage.ms));
  return s;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function importDataset(input: DatasetInput, opts: { fileName: string; name: string }): Promise<DatasetImportOutcome> {
  const runId = `import-${crypto.randomUUID()}`;
  const now = Date.now();
  const importer = new DatasetImporter({ runId, now });
  try {
    let slice = performance.now();
    for await (const line of splitLines(textOf(input))) {
      importer.addLine(line);
      if (performance.now() - slice > SLICE_MS) (await pause(), (slice = performance.now()));
    }
    const result = importer.result();
    const errors = result.errors.slice(0, MAX_ERRORS);
    if (result.records.length === 0 || result.format === null) {
      return { ok: false, message: `${opts.fileName}: no line could be read as a dataset record`, errors, errorCount: result.errors.length };
    }
    const records = renumber(result.records, runId);
    const run = datasetRun({
      id: runId,
      name: opts.name,
      format: result.format,
      fileName: opts.fileName,
      records: records.length,
      sources: result.runs.map(sourceOfTrace),
      skippedLines: result.errors.length,
      now,
    });
    await writeDataset({ ...run, stats: stats(records) }, records);
    return { ok: true, runId, name: opts.name, format: result.format, records: records.length, errors, errorCount: result.errors.length };
  } catch (error) {
    return { ok: false, message: `${opts.fileName}: ${messageOf(error)}`, errors: [], errorCount: 0 };
  }
}

async function readAll(runIds: readonly string[]): Promise<{ runs: Run[]; records: RunRecord[] }> {
  const runs: Run[] = [];
  const records: RunRecord[] = [];
  for (const id of runIds) {
    const run = await getRun(id);
    if (!run) throw new Error(`dataset ${id} is no longer stored`);
    runs.push(run);
    for await (const batch of recordBatches(id)) {
      records.push(...batch);
      await pause();
    }
  }
  return { runs, records };
}

/** How many records a merge of these datasets would drop as duplicates (nothing is written). */
export async function previewDuplicates(runIds: readonly string[], options: DedupeOptions): Promise<CombineOutcome> {
  try {
    const { records } = await readAll(runIds);
    const { kept, exact, near } = await dedupeAnyInSlices(records, options, pause);
    return { ok: true, records: kept.length, exact, near };
  } catch (error) {
    return { ok: false, message: messageOf(error), records: 0, exact: 0, near: 0 };
  }
}

/** A new dataset holding the records of several (or one), optionally without duplicates. */
export async function combineDatasets(runIds: readonly string[], opts: { name: string; dedupe: DedupeOptions | null }): Promise<CombineOutcome> {
  try {
    const { runs, records } = await readAll(runIds);
    const deduped = opts.dedupe ? await dedupeAnyInSlices(records, opts.dedupe, pause) : { kept: records, exact: 0, near: 0 };
    const runId = `merge-${crypto.randomUUID()}`;
    const kept = renumber(deduped.kept, runId);
    const run = datasetRun({
      id: runId,
      name: opts.name,
      format: 'merge',
      fileName: runs.map((r) => r.name).join(', '),
      records: kept.length,
      sources: runs.flatMap(sourceOf),
      droppedDuplicates: deduped.exact + deduped.near,
      now: Date.now(),
    });
    await writeDataset({ ...run, stats: stats(kept) }, kept);
    return { ok: true, runId, records: kept.length, exact: deduped.exact, near: deduped.near };
  } catch (error) {
    return { ok: false, message: messageOf(error), records: 0, exact: 0, near: 0 };
  }
}

export { exportRows, type RowJob } from '../datasets/rows';
export { summarizeRange } from '../datasets/index-build';
