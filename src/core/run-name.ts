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
  const parts = [kind.label(spec), models, source.replace(BUILT_IN, '').trim(), shortTime(when)];
  return parts.filter((part) => part.length > 0).join(' · ');
}

/**
 * "2026-12-03 14:05" in local time. Written by hand: the first toLocaleString of a page loads the
 * locale's data, a 20–100 ms pause of the page right when Start is pressed.
 */
export function shortTime(when: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${two(when.getHours())}:${two(when.getMinutes())}`;
}
