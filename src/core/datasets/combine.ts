/**
 * Making one dataset from others: imported rows or several stored datasets become the records of
 * a new run (renumbered, ids kept where unique), optionally without exact and near duplicates.
 */
import type { DatasetSource, ImportSpec, ImportedFormat } from '../recipes/import/types';
import { findDuplicates, findDuplicatesInSlices, type DedupeOptions, type Duplicate } from '../dedupe';
import { isExcluded } from '../formats/review';
import { kindOf, recipeOf, runModels } from '../recipes/index';
import { SCHEMA_VERSION, modelLabel } from '../types';
import type { Run, RunRecord } from '../run';

/** The texts that make two records the same: the prompt and what the record would export. */
export function recordParts(record: RunRecord): string[] {
  return recipeOf(record).parts(record);
}

export interface DedupeOutcome {
  kept: RunRecord[];
  dropped: Duplicate[];
  exact: number;
  near: number;
}

/** Records a reviewer kept come first, so when a kept and a rejected record match the kept one survives. */
function dedupeOrder(records: readonly RunRecord[]): number[] {
  const order = records.map((_, i) => i);
  return order.sort((a, b) => Number(isExcluded(records[a]!)) - Number(isExcluded(records[b]!)) || a - b);
}

function outcome(records: readonly RunRecord[], dropped: Duplicate[]): DedupeOutcome {
  const gone = new Set(dropped.map((d) => d.index));
  const exact = dropped.filter((d) => d.kind === 'exact').length;
  return { kept: records.filter((_, i) => !gone.has(i)), dropped, exact, near: dropped.length - exact };
}

/** Drops duplicates of any record kind with dedupe.ts, in the order dedupeRecords uses. */
export function dedupeAny(records: readonly RunRecord[], options: DedupeOptions): DedupeOutcome {
  return outcome(records, findDuplicates(records, recordParts, options, dedupeOrder(records)));
}

/** The same, awaiting `pause()` between slices of records (for the worker, which must stay responsive). */
export async function dedupeAnyInSlices(records: readonly RunRecord[], options: DedupeOptions, pause: () => Promise<unknown>): Promise<DedupeOutcome> {
  return outcome(records, await findDuplicatesInSlices(records, recordParts, options, dedupeOrder(records), pause));
}

/**
 * The records as the log of run `runId`: index = position, runId = the new run; ids are kept
 * (so a split and a re-export stay the same) unless one repeats, which then gets a fresh one.
 */
export function renumber(records: readonly RunRecord[], runId: string): RunRecord[] {
  const ids = new Set<string>();
  return records.map((record, index) => {
    const id = ids.has(record.id) ? `${runId}:${index}` : record.id;
    ids.add(id);
    return { ...record, runId, index, id } as RunRecord;
  });
}

/** What a stored run tells the datasets it is merged into. */
export function sourceOf(run: Run): DatasetSource[] {
  // A dataset made elsewhere passes on the runs it came from.
  const passed = kindOf(run.spec).sourcesOf?.(run.spec);
  if (passed) return passed;
  const source: DatasetSource = { id: run.id, name: run.name, recipe: run.spec.recipe };
  const models = runModels(run.spec).map(modelLabel);
  if (models.length) source.model = models.join(' → ');
  const constitution = kindOf(run.spec).constitutionName(run.spec);
  if (constitution !== undefined) source.constitution = constitution;
  return [source];
}

/** What a full-trace line's `run` object tells (see runSettings in formats/sft.ts). */
export function sourceOfTrace(info: { id: string; name: string; recipe: string; [k: string]: unknown }): DatasetSource {
  const source: DatasetSource = { id: info.id, name: info.name, recipe: info.recipe };
  const model = info.model as { modelId?: unknown; name?: unknown } | undefined;
  const label = model?.modelId ?? model?.name;
  if (typeof label === 'string') source.model = label;
  const constitution = (info.constitution as { name?: unknown } | undefined)?.name;
  if (typeof constitution === 'string') source.constitution = constitution;
  source.settings = { ...info };
  return source;
}

export interface NewDataset {
  id: string;
  name: string;
  format: ImportedFormat;
  fileName: string;
  records: number;
  sources: DatasetSource[];
  skippedLines?: number;
  droppedDuplicates?: number;
  now: number;
}

/** A finished run holding an imported or merged dataset. */
export function datasetRun(d: NewDataset): Run {
  const spec: ImportSpec = {
    recipe: 'import',
    format: d.format,
    fileName: d.fileName,
    records: d.records,
    sources: d.sources,
    skippedLines: d.skippedLines ?? 0,
    droppedDuplicates: d.droppedDuplicates ?? 0,
  };
  return {
    schemaVersion: SCHEMA_VERSION,
    id: d.id,
    name: d.name,
    spec,
    status: 'done',
    cursor: d.records,
    recordCount: d.records,
    stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 },
    createdAt: d.now,
    updatedAt: d.now,
  };
}
