/**
 * What an export of a dataset writes: which formats fit its records, the files (one per format
 * and split), the rows of each file for a batch of records, and the dataset card that lists them.
 * Every training format applies the review rules of formats/review.ts; the full trace keeps every
 * record with its review, so it is a complete backup.
 */
import type { ReviewCounts } from '../dataset-stats';
import { caiRows } from '../formats/cai-columns';
import { fileStem } from '../formats/file-name';
import { cardRunOf, datasetCard, type CardConfig, type CardFormat, type PreferenceFigures } from '../formats/card';
import { ktoRows, preferenceRows, revisionPairs, type KtoRow, type PreferenceRow } from '../formats/preference';
import { sftRows, traceRows } from '../formats/sft';
import type { SplitName, SplitOptions } from '../formats/split';
import { DEFAULT_CHUNK_BYTES, JsonlChunker } from '../formats/stream';
import { isCritiqueRecord, isPreferenceRecord, type Run, type RunRecord } from '../types';
import type { RecordKind } from './summary';

export type ExportFormat = CardFormat;

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  sft: 'TRL SFT (messages)',
  preference: 'TRL preference (prompt, chosen, rejected)',
  kto: 'KTO (prompt, completion, label)',
  cai: 'Hugging Face CAI columns',
  trace: 'Full trace (re-imports exactly)',
};

const ORDER: readonly ExportFormat[] = ['sft', 'preference', 'kto', 'cai', 'trace'];

/** Formats that have rows for these kinds of record; the full trace fits every kind. */
export function formatsFor(kinds: ReadonlySet<RecordKind>): ExportFormat[] {
  const fit = new Set<ExportFormat>(['trace']);
  if (kinds.has('critique')) ['sft', 'preference', 'kto', 'cai'].forEach((f) => fit.add(f as ExportFormat));
  if (kinds.has('preference')) ['preference', 'kto'].forEach((f) => fit.add(f as ExportFormat));
  return ORDER.filter((f) => fit.has(f));
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

/** A one-click download of the run list: its button's id and label, and the export format it writes. */
export interface RunDownload {
  id: 'sft' | 'revision-pairs' | 'preference' | 'kto' | 'trace';
  label: string;
  format: ExportFormat;
}

const RUN_DOWNLOADS: Record<RunDownload['id'], Omit<RunDownload, 'id'>> = {
  sft: { label: 'SFT JSONL', format: 'sft' },
  // A critique run's preference rows are its revision-beats-initial pairs.
  'revision-pairs': { label: 'Revision-vs-initial pairs JSONL', format: 'preference' },
  preference: { label: 'Preference JSONL (TRL)', format: 'preference' },
  kto: { label: 'KTO JSONL', format: 'kto' },
  trace: { label: 'Trace JSONL', format: 'trace' },
};

/** The downloads that make sense for a run's recipe. Prompt-making runs become prompt sets, so theirs is the trace. */
export function runDownloads(run: Run): RunDownload[] {
  const recipe = run.spec.recipe;
  const ids: RunDownload['id'][] =
    recipe === 'critique-revision' ? ['sft', 'revision-pairs', 'trace'] : recipe === 'preference' ? ['preference', 'kto', 'trace'] : ['trace'];
  return ids.map((id) => ({ id, ...RUN_DOWNLOADS[id] }));
}

function* ktoFromPairs(pairs: Iterable<PreferenceRow>): Generator<KtoRow> {
  for (const row of pairs) {
    yield { prompt: row.prompt, completion: row.chosen, label: true };
    yield { prompt: row.prompt, completion: row.rejected, label: false };
  }
}

/**
 * Rows of one format for a batch of records, in record order. Critique records give preference
 * and KTO rows as revision-beats-initial pairs; preference records give their judged pairs.
 */
export function* rowsOf(format: ExportFormat, run: Run, records: readonly RunRecord[]): Generator<unknown> {
  const critique = records.filter(isCritiqueRecord);
  const preference = records.filter(isPreferenceRecord);
  switch (format) {
    case 'sft':
      return yield* sftRows(critique);
    case 'preference':
      yield* revisionPairs(critique);
      return yield* preferenceRows(preference);
    case 'kto':
      yield* ktoFromPairs(revisionPairs(critique));
      return yield* ktoRows(preference);
    case 'cai':
      return yield* caiRows(critique);
    case 'trace':
      // The complete record, review included: rejected rows stay so a re-import restores the review.
      return yield* traceRows(run, records);
  }
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
