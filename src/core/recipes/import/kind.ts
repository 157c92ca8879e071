/**
 * Imported and merged datasets are runs too, so every screen and export treats datasets alike; but
 * nothing is generated for them: their records belong to the recipes that made them elsewhere.
 */
import type { RunKind } from '../recipe';
import { readImportSpec } from './restore';
import type { ImportSpec } from './types';

const LABELS: Record<ImportSpec['format'], string> = {
  trace: 'Imported full trace',
  cai: 'Imported CAI columns',
  sft: 'Imported TRL SFT',
  preference: 'Imported TRL preference',
  merge: 'Merged datasets',
};

const FORMAT_NAMES: Record<ImportSpec['format'], string> = {
  trace: 'full-trace JSONL',
  cai: 'Hugging Face CAI columns',
  sft: 'TRL SFT JSONL',
  preference: 'TRL preference JSONL',
  merge: 'a merge of datasets',
};

const listed = (values: (string | undefined)[]): string | undefined => [...new Set(values.filter(Boolean))].join(', ') || undefined;

export const imported: RunKind<ImportSpec> = {
  label: (spec) => LABELS[spec.format],
  // Made elsewhere: no model of this app's is needed; the file's own runs are named in `sources`.
  models: () => [],
  total: (spec) => spec.records,
  itemText: () => '',
  constitutionName: (spec) => listed(spec.sources.map((s) => s.constitution)),
  settings: (spec) => ({ ...spec }),
  cardRun: (name, spec) => {
    const from = spec.format === 'merge' ? `Merged from ${spec.fileName}` : `Imported from ${spec.fileName} (${FORMAT_NAMES[spec.format]})`;
    const made = spec.sources.map((s) => [s.name, s.recipe, s.model, s.constitution].filter(Boolean).join(', '));
    const origin = `${from}${made.length ? `; made by ${made.join('; ')}` : ''}.`;
    return { name, recipe: 'import', models: [], sampling: [], origin };
  },
  sourcesOf: (spec) => spec.sources,
  // One run's trace, imported: its lines go out again as that run wrote them. A merge of several
  // runs has no single origin, so its lines name the merge.
  traceRun: (spec) => {
    const only = spec.sources.length === 1 ? spec.sources[0]! : null;
    return only?.settings ? { id: only.id, about: only.settings } : null;
  },
  readSpec: (s) => readImportSpec(s),
};
