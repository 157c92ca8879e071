/** The full-trace export: every stored field of each record, plus a compact description of its run. */
import { kindOf } from '../recipes/index';
import type { Run, RunRecord } from '../run';

/** The run's settings without its bulky parts (prompts, constitution text, imported pairs). */
export function runSettings(run: Run): Record<string, unknown> {
  return kindOf(run.spec).settings(run.spec);
}

export function* traceRows(run: Run, records: Iterable<RunRecord>): Generator<Record<string, unknown>> {
  const origin = kindOf(run.spec).traceRun?.(run.spec) ?? null;
  if (origin) {
    for (const record of records) yield { ...record, runId: origin.id, run: origin.about };
    return;
  }
  const about = { id: run.id, name: run.name, ...runSettings(run) };
  for (const record of records) yield { ...record, run: about };
}
