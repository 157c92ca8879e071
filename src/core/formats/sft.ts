import type { ChatMessage } from '../types';
import type { CritiqueRecord } from '../recipes/critique-revision/types';
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
