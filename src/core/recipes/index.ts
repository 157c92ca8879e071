/**
 * The recipe table. A new recipe is a folder under core/recipes/ plus one line here; the mapped
 * type makes the compiler list every entry a new id needs. Code elsewhere asks these functions,
 * never which fields a record has.
 */
import type { CardRun } from '../formats/card-run';
import type { Run, RunRecord, RunSpec } from '../run';
import type { ModelRef, PromptItem } from '../types';
import { backTranslate } from './back-translate/recipe';
import { clair } from './clair/recipe';
import { critiqueRevision } from './critique-revision/recipe';
import { imported } from './import/kind';
import { judgeCheck } from './judge-check/recipe';
import { magpie } from './magpie/recipe';
import { preference } from './preference/recipe';
import type { Recipe, RecipeId, RunKind, TrainingFormat } from './recipe';
import { rlcd } from './rlcd/recipe';
import { selfInstruct } from './self-instruct/recipe';

type SpecOf<K> = Extract<RunSpec, { recipe: K }>;
type RecordOf<K> = Extract<RunRecord, { recipe: K }>;

/** In this order exports write each batch's rows (critique-derived rows before judged pairs). */
export const recipes: { readonly [K in RecipeId]: Recipe<SpecOf<K>, RecordOf<K>> } = {
  'critique-revision': critiqueRevision,
  preference,
  'self-instruct': selfInstruct,
  'back-translate': backTranslate,
  'judge-check': judgeCheck,
  magpie,
  clair,
  rlcd,
};

/** Every kind of run: the recipes, and datasets imported or merged here. */
const runKinds: { readonly [K in RunSpec['recipe']]: RunKind<SpecOf<K>> } = { ...recipes, import: imported };

export const RECIPE_IDS = Object.keys(recipes) as RecipeId[];
export const RUN_KINDS = Object.keys(runKinds) as RunSpec['recipe'][];

// TypeScript cannot follow a union key into the mapped table, so these two widen once, here.
export function recipeOf(record: RunRecord): Recipe<RunSpec, RunRecord> {
  return recipes[record.recipe] as unknown as Recipe<RunSpec, RunRecord>;
}

export function kindOf(spec: RunSpec): RunKind<RunSpec> {
  return runKinds[spec.recipe] as unknown as RunKind<RunSpec>;
}

/** The recipe that makes a run's records; null for imported and merged datasets. */
export function recipeOfRun(spec: RunSpec): Recipe<RunSpec, RunRecord> | null {
  return spec.recipe === 'import' ? null : (recipes[spec.recipe] as unknown as Recipe<RunSpec, RunRecord>);
}

export const runModels = (spec: RunSpec): ModelRef[] => kindOf(spec).models(spec);
export const runTotal = (spec: RunSpec): number => kindOf(spec).total(spec);
export const runItemText = (spec: RunSpec, index: number): string => kindOf(spec).itemText(spec, index);
export const runLabel = (run: Run): string => kindOf(run.spec).label(run.spec);
export const cardRunOf = (run: Run): CardRun => kindOf(run.spec).cardRun(run.name, run.spec);

/** Formats with rows for these recipes' records; the full trace fits every kind. */
export function formatsFor(kinds: ReadonlySet<RecipeId>): TrainingFormat[] {
  const fit = new Set<TrainingFormat>();
  for (const id of kinds) for (const f of Object.keys(recipes[id].rows) as TrainingFormat[]) fit.add(f);
  return [...fit];
}

/** Rows of one training format for a batch of records of any recipes, recipe by recipe in table order. */
export function* trainingRows(format: TrainingFormat, records: readonly RunRecord[]): Generator<unknown> {
  for (const id of RECIPE_IDS) {
    const rows = (recipes[id] as unknown as Recipe<RunSpec, RunRecord>).rows[format];
    if (!rows) continue;
    const own = records.filter((r) => r.recipe === id);
    if (own.length) yield* rows(own);
  }
}

/** The prompts a finished prompt-making run made, each saying which run it came from. */
export function runPrompts(run: Pick<Run, 'name' | 'spec'>, records: readonly RunRecord[], includeOriginals = false): PromptItem[] {
  const recipe = recipeOfRun(run.spec);
  if (!recipe?.madePrompts) throw new Error(`run "${run.name}" does not make prompts`);
  const own = records.filter((r) => r.recipe === run.spec.recipe);
  return recipe.madePrompts.collect(own, `run "${run.name}"`, includeOriginals);
}

export function runKindById(id: RunSpec['recipe']): RunKind<RunSpec> {
  return runKinds[id] as unknown as RunKind<RunSpec>;
}

export function recipeById(id: RecipeId): Recipe<RunSpec, RunRecord> {
  return recipes[id] as unknown as Recipe<RunSpec, RunRecord>;
}

/** The record if recipe `id` made it, typed as that recipe's record; undefined otherwise. */
export function ownRecord<K extends RecipeId>(id: K, record: RunRecord | undefined): RecordOf<K> | undefined {
  return record?.recipe === id ? (record as RecordOf<K>) : undefined;
}

/** The records recipe `id` made, typed as its records. */
export function ownRecords<K extends RecipeId>(id: K, records: readonly RunRecord[]): RecordOf<K>[] {
  return records.filter((r): r is RecordOf<K> => r.recipe === id);
}

/** The run's spec typed as recipe `id`'s; throws when the run is of another kind. */
export function ownSpec<K extends RunSpec['recipe']>(id: K, run: Pick<Run, 'id' | 'spec'>): SpecOf<K> {
  if (run.spec.recipe !== id) throw new Error(`run ${run.id} is not a ${id} run`);
  return run.spec as SpecOf<K>;
}
