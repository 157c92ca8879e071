/** How the datasets list describes a stored run: recipe, model(s) and constitution in words. */
import { kindOf, runModels } from '../recipes/index';
import type { Run } from '../run';
import { modelLabel } from '../types';

export function recipeLabel(run: Run): string {
  return kindOf(run.spec).label(run.spec);
}

/** Model labels; for imports, those the file's runs named ('—' when unknown). */
export function modelsLabel(run: Run): string {
  const sources = kindOf(run.spec).sourcesOf?.(run.spec);
  const labels = sources ? sources.flatMap((s) => (s.model ? [s.model] : [])) : runModels(run.spec).map(modelLabel);
  return [...new Set(labels)].join(', ') || '—';
}

export function constitutionLabel(run: Run): string {
  return kindOf(run.spec).constitutionName(run.spec) ?? '—';
}

/** Approximate bytes of a dataset, scaled from a sample of its stored records. */
export function approxBytes(sampleBytes: number, sampleRecords: number, records: number): number {
  return sampleRecords > 0 ? Math.round((sampleBytes / sampleRecords) * records) : 0;
}
