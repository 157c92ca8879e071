import type { ChatMessage, CritiqueRecord, Run } from '../types';

/** TRL's conversational SFT row. */
export interface SftRow {
  messages: ChatMessage[];
}

/** Prompt → final revision; a rejected record is left out and an edited one uses the edit. */
export function toSftRow(record: CritiqueRecord): SftRow | null {
  if (record.review?.state === 'rejected') return null;
  const answer = record.review?.state === 'edited' && record.review.editedText != null ? record.review.editedText : record.final;
  return {
    messages: [
      { role: 'user', content: record.prompt },
      { role: 'assistant', content: answer },
    ],
  };
}

export function* sftRows(records: Iterable<CritiqueRecord>): Generator<SftRow> {
  for (const record of records) {
    const row = toSftRow(record);
    if (row) yield row;
  }
}

/** The full trace: every stored field of each record plus a compact, uniform description of its run. */
export function* traceRows(run: Run, records: Iterable<CritiqueRecord>): Generator<Record<string, unknown>> {
  const { spec } = run;
  const about = {
    id: run.id,
    name: run.name,
    recipe: spec.recipe,
    model: spec.model,
    constitution: { id: spec.constitution.id, name: spec.constitution.name },
    promptSet: { id: spec.promptSetId, name: spec.promptSetName },
    seed: spec.seed,
    rounds: spec.rounds,
    sampling: spec.sampling,
  };
  for (const record of records) yield { ...record, run: about };
}
