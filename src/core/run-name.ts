/**
 * The name a new run gets unless the user gives another: "recipe · model · source · time", so runs
 * of one recipe can be told apart in the run list. Every recipe's form asks here; the recipe's
 * label and its models come from the recipe table.
 */
import { kindOf } from './recipes/index';
import type { RunSpec } from './run';
import { modelLabel } from './types';

/** Built-in items say so in their names; in a run name that is noise. */
const BUILT_IN = / \(built-in\)$/;

/** `source`: where the run's items come from (a prompt set's name, a file, "40 samples"). */
export function defaultRunName(spec: RunSpec, source: string, when: Date = new Date()): string {
  const kind = kindOf(spec);
  const models = [...new Set(kind.models(spec).map(modelLabel))].join(' + ');
  const parts = [kind.label(spec), models, source.replace(BUILT_IN, '').trim(), when.toLocaleString()];
  return parts.filter((part) => part.length > 0).join(' · ');
}
