/**
 * Rows in the column layout of Hugging Face's open CAI datasets (e.g. the "cai-conversation"
 * sets made by the llm-swarm recipe), so a trainer script written for those reads ours unchanged.
 * Column types follow that convention: the six *_prompt/*_response columns and `prompt` are plain
 * strings; `messages`, `chosen` and `rejected` are lists of {role, content}.
 */
import type { ChatMessage } from '../types';
import type { CritiqueRecord } from '../recipes/critique-revision/types';
import { effectiveFinal, isExcluded } from './review';

export interface CaiRow {
  init_prompt: string;
  init_response: string;
  critic_prompt: string;
  critic_response: string;
  revision_prompt: string;
  revision_response: string;
  prompt: string;
  messages: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
}

/** Column names in the order the reference datasets list them. */
export const CAI_COLUMNS: readonly (keyof CaiRow)[] = [
  'init_prompt',
  'init_response',
  'critic_prompt',
  'critic_response',
  'revision_prompt',
  'revision_response',
  'prompt',
  'messages',
  'chosen',
  'rejected',
];

const turn = (role: 'user' | 'assistant', content: string): ChatMessage => ({ role, content });

/**
 * One CAI row, or null when the record has no place in this format: rejected by review, or
 * without any critique round (e.g. imported SFT data), where chosen would equal rejected and the
 * critic columns would be empty, which would teach a preference trainer nothing.
 *
 * The reference layout has room for one critique and one revision: the critique columns hold the
 * first round, and `revision_response` the text `chosen` holds, as in the reference, where it is
 * the answer trained on: the final one (after every round, and after review edits). `rejected` is
 * the initial answer. Texts are trimmed of surrounding whitespace, as the reference's are.
 */
export function toCaiRow(record: CritiqueRecord): CaiRow | null {
  if (isExcluded(record)) return null;
  const first = record.rounds[0];
  if (!first) return null;
  const answer = effectiveFinal(record).trim();
  const prompt = record.prompt.trim();
  const initial = record.initial.trim();
  // Fresh objects per column: a consumer mutating one list must not change another.
  return {
    init_prompt: prompt,
    init_response: initial,
    critic_prompt: first.critiqueRequest.trim(),
    critic_response: first.critique.trim(),
    revision_prompt: first.revisionRequest.trim(),
    revision_response: answer,
    prompt,
    messages: [turn('user', prompt), turn('assistant', answer)],
    chosen: [turn('user', prompt), turn('assistant', answer)],
    rejected: [turn('user', prompt), turn('assistant', initial)],
  };
}

export function* caiRows(records: Iterable<CritiqueRecord>): Generator<CaiRow> {
  for (const record of records) {
    const row = toCaiRow(record);
    if (row) yield row;
  }
}
