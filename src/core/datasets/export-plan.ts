/**
 * What an export of a dataset writes: which formats fit its records, the files (one per format
 * and split), the rows of each file for a batch of records, and the dataset card that lists them.
 * Every training format applies the review rules of formats/review.ts; the full trace keeps every
 * record with its review, so it is a complete backup.
 */
import type { ReviewCounts } from '../dataset-stats';
import { datasetCard, type CardConfig, type CardFormat, type CardSettings, type PreferenceFigures } from '../formats/card';
import { float, type Fields } from '../formats/features';
import { fileStem } from '../formats/file-name';
import { marginOf, type PreferenceRow } from '../formats/preference';
import { EXPORT_FORMAT_IDS, EXPORT_FORMATS } from '../formats/table';
import { traceFields, traceRows } from '../formats/trace';
import { cardRunOf, formatsFor as trainingFormatsFor, recipeOfRun, trainingRows } from '../recipes/index';
import type { RecipeId, RunDownload } from '../recipes/recipe';
import { promptHalf, type Half, type SplitName, type SplitOptions } from '../formats/split';
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

/** Choices that shape the rows of an export (plain data: they travel to the pipeline worker). */
export interface ExportOptions {
  /** Recipes whose records the dataset holds: the full trace has their columns. Default: all. */
  recipes?: readonly RecipeId[];
  /** Adds TRL RewardTrainer's `margin` column to preference rows (see marginOf). */
  margin?: boolean;
  /**
   * CAI columns in the layout of Hugging Face's CAI datasets: splits train_sft and train_prefs
   * (and test_sft, test_prefs when splitting) whose prompts are disjoint, drawn with this seed.
   */
  caiHalves?: { seed: number };
}

/** The options of one file: the export's, and the half of the prompts it holds. */
export type RowOptions = ExportOptions & { half?: Half };

export interface PlannedFile {
  format: ExportFormat;
  /** The split the card names (train, test; train_sft, ... in the CAI halves layout). */
  split: string;
  /** Which records: the train or the test side of the split. */
  side: SplitName;
  /** CAI halves layout: the prompts this file holds. */
  half?: Half;
  /** File name, also the path the card's `configs` give. */
  name: string;
}

/** One file per format, or two (train and test) when splitting; the CAI halves twice that. `prefix` starts every name. */
export function plannedFiles(formats: readonly ExportFormat[], split: boolean, prefix = '', options: ExportOptions = {}): PlannedFile[] {
  const sides: SplitName[] = split ? ['train', 'test'] : ['train'];
  return formats.flatMap((format): PlannedFile[] => {
    if (format === 'cai' && options.caiHalves) {
      return sides.flatMap((side) => (['sft', 'prefs'] as const).map((half) => ({ format, split: `${side}_${half}`, side, half, name: `${prefix}${format}-${side}_${half}.jsonl` })));
    }
    return sides.map((side) => ({ format, split: side, side, name: `${prefix}${split ? `${format}-${side}` : format}.jsonl` }));
  });
}

/** The card is README.md wherever it goes: the Hub reads no other name. */
export function cardFileName(): string {
  return 'README.md';
}

/** A folder per export where files go to a folder the user picks, so each export's README.md has its own. */
export function exportFolderName(run: Run): string {
  return fileStem(run.name, 'dataset');
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
export function* rowsOf(format: ExportFormat, run: Run, records: readonly RunRecord[], options: RowOptions = {}): Generator<unknown> {
  // The complete record, review included: rejected rows stay so a re-import restores the review.
  if (format === 'trace') return yield* traceRows(run, records, options.recipes);
  const rows = trainingRows(format, records);
  if (format === 'preference' && options.margin) {
    for (const row of rows) yield { ...(row as PreferenceRow), margin: marginOf(row as PreferenceRow) };
  } else if (format === 'cai' && options.half && options.caiHalves) {
    const { half, caiHalves } = options;
    for (const row of rows) if (promptHalf((row as { prompt: string }).prompt, caiHalves.seed) === half) yield row;
  } else yield* rows;
}

/** Column types of a format's rows (the trace's depend on the run and the recipes in it). */
export function formatFields(format: ExportFormat, run: Run, options: ExportOptions = {}): Fields {
  if (format === 'trace') return traceFields(run, options.recipes);
  const fields = EXPORT_FORMATS[format].features;
  return format === 'preference' && options.margin ? { ...fields, margin: float } : fields;
}

/** The config `load_dataset(repo)` loads: the CAI halves when asked for, else the first format written. */
export function mainFormat(formats: readonly ExportFormat[], options: ExportOptions = {}): ExportFormat | undefined {
  return options.caiHalves && formats.includes('cai') ? 'cai' : formats[0];
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
  options: RowOptions = {},
): { chunks: string[]; rows: number } {
  const chunker = new JsonlChunker(chunkBytes);
  const chunks: string[] = [];
  let rows = 0;
  for (const row of rowsOf(format, run, onSide(records, side, testIds), options)) {
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
  options?: ExportOptions;
  /** License, languages and sources the user chose for this dataset. */
  settings?: CardSettings;
}

/** The README.md for the files written: one config per format (the main one the default), its files per split. */
export function exportCard(facts: CardFacts): string {
  const options = facts.options ?? {};
  const written = [...new Set(facts.files.map((f) => f.format))];
  const main = mainFormat(written, options);
  const formats = [...written.filter((f) => f === main), ...written.filter((f) => f !== main)];
  const configs: CardConfig[] = formats.map((format) => ({
    name: format,
    format,
    default: format === main,
    features: formatFields(format, facts.run, options),
    files: facts.files.filter((f) => f.format === format).map((f) => ({ split: f.split, path: f.name, rows: f.rows })),
  }));
  return datasetCard({
    title: facts.run.name,
    run: cardRunOf(facts.run),
    format: formats,
    configs,
    counts: facts.counts,
    ...(facts.settings ? { settings: facts.settings } : {}),
    ...(facts.preference ? { preference: facts.preference } : {}),
    ...(facts.split ? { split: facts.split } : {}),
    ...(options.margin ? { margin: true } : {}),
    ...(options.caiHalves ? { caiHalves: options.caiHalves } : {}),
    repoStem: fileStem(facts.run.name, 'dataset').toLowerCase(),
    generatedAt: facts.generatedAt,
  });
}
