import type { ChatMessage, CritiqueRecord, Run, RunRecord } from '../types';
import { effectiveFinal, isExcluded } from './review';

/** TRL's conversational SFT row. */
export interface SftRow {
  messages: ChatMessage[];
}

/** Prompt → final revision; a rejected record is left out and an edited one uses the edit. */
export function toSftRow(record: CritiqueRecord): SftRow | null {
  if (isExcluded(record)) return null;
  return {
    messages: [
      { role: 'user', content: record.prompt },
      { role: 'assistant', content: effectiveFinal(record) },
    ],
  };
}

export function* sftRows(records: Iterable<CritiqueRecord>): Generator<SftRow> {
  for (const record of records) {
    const row = toSftRow(record);
    if (row) yield row;
  }
}

/** The run's settings without its bulky parts (prompts, constitution text, imported pairs). */
export function runSettings(run: Run): Record<string, unknown> {
  const spec = run.spec;
  if (spec.recipe === 'self-instruct') return { ...spec, seeds: spec.seeds.length };
  if (spec.recipe === 'import') return { ...spec };
  const { prompts: _prompts, ...settings } = spec;
  if (settings.recipe === 'back-translate') return settings;
  const summary = { ...settings, constitution: { id: settings.constitution.id, name: settings.constitution.name } };
  if (settings.recipe === 'preference' && settings.source.kind === 'imported') {
    return { ...summary, source: { kind: 'imported', name: settings.source.name, pairs: settings.source.pairs.length } };
  }
  return summary;
}

/** The full trace: every stored field of each record plus a compact, uniform description of its run. */
export function* traceRows(run: Run, records: Iterable<RunRecord>): Generator<Record<string, unknown>> {
  const about = { id: run.id, name: run.name, ...runSettings(run) };
  for (const record of records) yield { ...record, run: about };
}
