/** How the datasets list describes a stored run: recipe, model(s) and constitution in words. */
import { modelLabel, runModels, type Run } from '../types';

const RECIPES: Record<string, string> = {
  'critique-revision': 'Critique → revision',
  preference: 'Preference (AI judge)',
  'self-instruct': 'Self-instruct prompts',
  'back-translate': 'Back-translated prompts',
};

const IMPORTS: Record<string, string> = {
  trace: 'Imported full trace',
  cai: 'Imported CAI columns',
  sft: 'Imported TRL SFT',
  preference: 'Imported TRL preference',
  merge: 'Merged datasets',
};

export function recipeLabel(run: Run): string {
  const spec = run.spec;
  return spec.recipe === 'import' ? IMPORTS[spec.format]! : (RECIPES[spec.recipe] ?? spec.recipe);
}

/** Model labels; for imports, those the file's runs named ('—' when unknown). */
export function modelsLabel(run: Run): string {
  const spec = run.spec;
  const labels = spec.recipe === 'import' ? spec.sources.flatMap((s) => (s.model ? [s.model] : [])) : runModels(spec).map(modelLabel);
  return [...new Set(labels)].join(', ') || '—';
}

export function constitutionLabel(run: Run): string {
  const spec = run.spec;
  if (spec.recipe === 'import') return [...new Set(spec.sources.flatMap((s) => (s.constitution ? [s.constitution] : [])))].join(', ') || '—';
  return 'constitution' in spec ? spec.constitution.name : '—';
}

/** Approximate bytes of a dataset, scaled from a sample of its stored records. */
export function approxBytes(sampleBytes: number, sampleRecords: number, records: number): number {
  return sampleRecords > 0 ? Math.round((sampleBytes / sampleRecords) * records) : 0;
}
