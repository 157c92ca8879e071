/**
 * The full-trace export: every stored field of each record, plus a compact description of its run.
 * Records of different recipes (and optional fields) differ in shape, so every row carries the
 * columns of every recipe in the dataset, null where a record has no such field; a re-import
 * drops those nulls again (`traceRecord`).
 */
import { RECIPE_IDS, kindOf, recipeById, recipeOf } from '../recipes/index';
import { IMPORT_MARKS } from '../recipes/record-features';
import type { RecipeId } from '../recipes/recipe';
import type { Run, RunRecord } from '../run';
import { conformFields, dropAdded, inferFeature, struct, unionFields, type Fields } from './features';

/** The run's settings without its bulky parts (prompts, constitution text, imported pairs). */
export function runSettings(run: Run): Record<string, unknown> {
  return kindOf(run.spec).settings(run.spec);
}

/**
 * The `run` object of every line: this run's settings, or for an imported trace the run that made
 * it, as the file said (so export → import → export gives the same lines).
 */
function runSummary(run: Run): Record<string, unknown> {
  const origin = kindOf(run.spec).traceRun?.(run.spec);
  const about = origin ? origin.about : { id: run.id, name: run.name, ...runSettings(run) };
  return JSON.parse(JSON.stringify(about)) as Record<string, unknown>;
}

/** Columns of the records of these recipes, in table order (the recipes a dataset holds; default all). */
export function recordFields(recipes: readonly RecipeId[] = RECIPE_IDS): Fields {
  const own = RECIPE_IDS.filter((id) => recipes.includes(id)).map((id) => recipeById(id).recordFeatures);
  if (own.length === 0) return IMPORT_MARKS;
  return unionFields(own.reduce(unionFields), IMPORT_MARKS);
}

/** The trace's columns: the records' own, then `run` (the same object on every row). */
export function traceFields(run: Run, recipes?: readonly RecipeId[]): Fields {
  return { ...recordFields(recipes), run: inferFeature(runSummary(run)) };
}

export function* traceRows(run: Run, records: Iterable<RunRecord>, recipes?: readonly RecipeId[]): Generator<Record<string, unknown>> {
  const about = runSummary(run);
  const fields = recordFields(recipes);
  const originId = kindOf(run.spec).traceRun?.(run.spec)?.id;
  for (const record of records) {
    const row = recipeOf(record).trace?.out(record) ?? (record as unknown as Record<string, unknown>);
    // Set on the conformed copy rather than spread into another: one object per row, same key order.
    const line = conformFields(row, fields);
    if (originId) line.runId = originId;
    line.run = about;
    yield line;
  }
}

/** A trace line's record as it was stored: the nulls standing for absent fields dropped. */
export function traceRecord(row: Record<string, unknown>): Record<string, unknown> {
  const recipe = typeof row.recipe === 'string' && (RECIPE_IDS as string[]).includes(row.recipe) ? (row.recipe as RecipeId) : null;
  if (!recipe) return row;
  const own = recipeById(recipe);
  const stored = dropAdded(row, struct({ ...own.recordFeatures, ...IMPORT_MARKS })) as Record<string, unknown>;
  return own.trace?.in(stored) ?? stored;
}
