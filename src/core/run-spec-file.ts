/**
 * The frozen spec of a run as a file: what the page's "Export run spec" downloads and what
 * `cai-lab run` takes. It holds everything that decides the records (prompts, constitution,
 * sampling, seed, models); how they are made (servers, records in flight, shards) is given apart.
 */
import type { RunSpec } from './run';
import { restoreRunSpec } from './schema/restore';
import { Reader, isObj } from './schema/validate';

export const RUN_SPEC_FORMAT = 'cai-lab-run-spec';
export const RUN_SPEC_VERSION = 1;

export interface RunSpecFile {
  format: typeof RUN_SPEC_FORMAT;
  version: number;
  /** The run's name, as the page would give it. */
  name: string;
  spec: RunSpec;
}

export function runSpecFile(name: string, spec: RunSpec): RunSpecFile {
  // A deep plain copy: the spec may come from reactive state.
  return { format: RUN_SPEC_FORMAT, version: RUN_SPEC_VERSION, name, spec: JSON.parse(JSON.stringify(spec)) as RunSpec };
}

/** The file's text as pretty JSON (people read and diff these). */
export function runSpecText(name: string, spec: RunSpec): string {
  return `${JSON.stringify(runSpecFile(name, spec), null, 2)}\n`;
}

/** Reads a spec file's parsed JSON; errors name the file and the field (e.g. `spec.rounds`). */
export function readRunSpecFile(raw: unknown, file: string): { name: string; spec: RunSpec } {
  if (!isObj(raw)) throw new Error(`${file}: must be a JSON object (a run spec exported from the page)`);
  const r = new Reader(file, raw);
  if (r.str('format', '') !== RUN_SPEC_FORMAT) r.fail('format', `"${RUN_SPEC_FORMAT}" (export the spec with the page's "Export run spec")`);
  const version = r.int('version');
  if (version > RUN_SPEC_VERSION) r.fail('version', `at most ${RUN_SPEC_VERSION} (this file comes from a newer CAI Lab)`);
  const name = r.str('name');
  const spec = restoreRunSpec(r);
  if (spec.recipe === 'import') r.fail('spec.recipe', 'a recipe that makes records (an imported dataset has nothing to run)');
  return { name, spec };
}
