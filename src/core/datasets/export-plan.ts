/**
 * What an export of a dataset writes: which formats fit its records, the files (one per format
 * and split), the rows of each file for a batch of records, and the dataset card that lists them.
 * Every training format applies the review rules of formats/review.ts; the full trace keeps every
 * record with its review, so it is a complete backup.
 */
import type { ReviewCounts } from '../dataset-stats';
import { datasetCard, type CardConfig, type CardFormat, type PreferenceFigures } from '../formats/card';
import { fileStem } from '../formats/file-name';
import { EXPORT_FORMAT_IDS, EXPORT_FORMATS } from '../formats/table';
import { traceRows } from '../formats/trace';
import { cardRunOf, formatsFor as trainingFormatsFor, recipeOfRun, trainingRows } from '../recipes/index';
import type { RunDownload } from '../recipes/recipe';
import type { SplitName, SplitOptions } from '../formats/split';
import { DEFAULT_CHUNK_BYTES, JsonlChunker } from '../formats/stream';
import type { Run, RunRecord } from '../run';
import type { RecordKind } from './summary';

export type ExportFormat = CardFormat;

export const FORMAT_LABELS = Object.fromEntries(EXPORT_FORMAT_IDS.map((id) => [id, EXPORT_FORMATS[id].label])) as Record<ExportFormat, string>;

/** Formats that have rows for these kinds of record; the full trace fits every kind. */
export function formatsFor(kinds: ReadonlySet<RecordKind>): ExportFormat[] {
  const fit = new Set<ExportFormat>(['trace', ...trainingFormatsFor(kinds)]);
  return EXPORT_FORMAT_IDS.filter((f) => fit.has(f));
}

export interface PlannedFile {
  format: ExportFormat;
  split: SplitName;
  /** File name, also the path the card's `configs` give. */
  name: string;
}

/** One file per format, or two (train and test) when splitting. `prefix` starts every name. */
export function plannedFiles(formats: readonly ExportFormat[], split: boolean, prefix = ''): PlannedFile[] {
  const splits: SplitName[] = split ? ['train', 'test'] : ['train'];
  return formats.flatMap((format) => splits.map((s) => ({ format, split: s, name: `${prefix}${split ? `${format}-${s}` : format}.jsonl` })));
}

export function cardFileName(prefix = ''): string {
  return `${prefix}README.md`;
}

/** Separate downloads start with the dataset's name, so files of different datasets do not clash. */
export function downloadPrefix(run: Run): string {
  return `${fileStem(run.name, 'dataset')}.`;
}

export function zipFileName(run: Run): string {
  return `${fileStem(run.name, 'dataset')}.zip`;
}

export type { RunDownload } from '../recipes/recipe';

const TRACE_DOWNLOAD: RunDownload = { id: 'trace', label: 'Trace JSONL', format: 'trace' };

/** The one-click downloads of the run list: the ones the run's recipe offers, then the trace. */
export function runDownloads(run: Run): RunDownload[] {
  return [...(recipeOfRun(run.spec)?.quickDownloads ?? []), TRACE_DOWNLOAD];
}

/** Rows of one format for a batch of records, in record order within each recipe (see trainingRows). */
export function* rowsOf(format: ExportFormat, run: Run, records: readonly RunRecord[]): Generator<unknown> {
  // The complete record, review included: rejected rows stay so a re-import restores the review.
  if (format === 'trace') return yield* traceRows(run, records);
  yield* trainingRows(format, records);
}

/** Records of a batch on one side of the split; `testIds` is null when not splitting. */
export function onSide(records: readonly RunRecord[], side: SplitName, testIds: ReadonlySet<string> | null): RunRecord[] {
  if (testIds === null) return records as RunRecord[];
  return records.filter((r) => testIds.has(r.id) === (side === 'test'));
}

/** A batch of one file's rows as JSONL text, in chunks of about `chunkBytes`, with its row count. */
export function serialiseRows(
  format: ExportFormat,
  run: Run,
  records: readonly RunRecord[],
  side: SplitName,
  testIds: ReadonlySet<string> | null,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): { chunks: string[]; rows: number } {
  const chunker = new JsonlChunker(chunkBytes);
  const chunks: string[] = [];
  let rows = 0;
  for (const row of rowsOf(format, run, onSide(records, side, testIds))) {
    rows++;
    const chunk = chunker.push(row);
    if (chunk !== null) chunks.push(chunk);
  }
  const last = chunker.flush();
  if (last !== null) chunks.push(last);
  return { chunks, rows };
}

export interface CardFacts {
  run: Run;
  files: readonly (PlannedFile & { rows: number })[];
  counts: ReviewCounts;
  preference?: PreferenceFigures;
  split: SplitOptions | null;
  generatedAt: number;
}

/** The README.md for the files written: one config per format, its files per split. */
export function exportCard(facts: CardFacts): string {
  const formats = [...new Set(facts.files.map((f) => f.format))];
  const configs: CardConfig[] = formats.map((format) => ({
    name: format,
    files: facts.files.filter((f) => f.format === format).map((f) => ({ split: f.split, path: f.name, rows: f.rows })),
  }));
  return datasetCard({
    title: facts.run.name,
    run: cardRunOf(facts.run),
    format: formats,
    configs,
    counts: facts.counts,
    ...(facts.preference ? { preference: facts.preference } : {}),
    ...(facts.split ? { split: facts.split } : {}),
    generatedAt: facts.generatedAt,
  });
}
