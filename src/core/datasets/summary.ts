/**
 * A light summary of each record: what the datasets screen lists, filters, counts and plots.
 * A 100,000-record dataset keeps only these in memory (numbers, flags and a short title); full
 * records are read from storage one chunk at a time when opened or exported.
 */
import { effectiveFinal, isEdited } from '../formats/review';
import { isBackTranslateRecord, isCritiqueRecord, isPreferenceRecord, type RunRecord } from '../types';

export type RecordKind = 'critique' | 'preference' | 'self-instruct' | 'back-translate';
export type ReviewState = 'unreviewed' | 'accepted' | 'rejected' | 'edited';

export interface RecordSummary {
  index: number;
  id: string;
  kind: RecordKind;
  /** The start of the prompt (or the batch), for the list row. */
  title: string;
  review: ReviewState;
  /** Principles used: critique rounds, or those the judge was asked. Shared arrays, never mutated. */
  principles: readonly string[];
  /** Preference: |P(answer 1) − P(answer 2)|, null without a probability or for other kinds. */
  margin: number | null;
  /** Preference: both orders agreed; null when unknown or for other kinds. */
  consistent: boolean | null;
  /** Preference: the comparison produced a chosen/rejected pair (no tie, not undecided). */
  paired: boolean;
  /** Generation failed (e.g. the prompt did not fit): kept, never exported. */
  failed: boolean;
  /** Some generation stopped at the token limit. */
  truncated: boolean;
  /** Critique: the revisions left the initial answer as it was. */
  unchanged: boolean;
  /** Critique: words of the initial answer and of the exported one (after edits); -1 otherwise. */
  lengthBefore: number;
  lengthAfter: number;
  completionTokens: number;
  ms: number;
  createdAt: number;
}

export const TITLE_CHARS = 140;

/** White space as the regular expression \s knows it. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Words in a text, exactly as textLength(text, 'words') of dataset-stats.ts counts them, without
 * splitting the text into an array: opening 100,000 records counts 200,000 answers.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

export function kindOf(record: RunRecord): RecordKind {
  if (isCritiqueRecord(record)) return 'critique';
  if (isPreferenceRecord(record)) return 'preference';
  return isBackTranslateRecord(record) ? 'back-translate' : 'self-instruct';
}

export function reviewStateOf(record: RunRecord): ReviewState {
  if (isEdited(record)) return 'edited';
  if (record.review?.state === 'rejected') return 'rejected';
  return record.review ? 'accepted' : 'unreviewed';
}

/** Equal lists of names share one array, so 100k summaries hold a handful of lists. */
export class NameLists {
  private lists = new Map<string, readonly string[]>();
  get(names: string[]): readonly string[] {
    const key = names.join('\u0000');
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = Object.freeze(names)));
    return list;
  }
}

function titleOf(record: RunRecord): string {
  const text = 'prompt' in record ? record.prompt : `Batch ${record.index + 1}${record.topic ? ` · ${record.topic}` : ''}`;
  // No white-space clean-up: the row shows the title on one line, where CSS folds it anyway.
  return text.length > TITLE_CHARS ? `${text.slice(0, TITLE_CHARS - 1)}…` : text;
}

/** Some generation of the record stopped at the token limit. */
function truncated(record: RunRecord): boolean {
  if (isCritiqueRecord(record)) return record.initialFinish === 'length' || record.rounds.some((r) => r.critiqueFinish === 'length' || r.revisionFinish === 'length');
  if (isPreferenceRecord(record)) return record.candidates.some((c) => c.finishReason === 'length');
  if (isBackTranslateRecord(record)) return record.translations.some((t) => t.pivotFinish === 'length' || t.backFinish === 'length');
  return record.finish === 'length';
}

const NONE: readonly string[] = Object.freeze([]);

/** One object shape for every kind, so 100,000 summaries stay fast to build and to scan. */
export function summarize(record: RunRecord, names = new NameLists()): RecordSummary {
  const critique = isCritiqueRecord(record) ? record : null;
  const preference = isPreferenceRecord(record) ? record : null;
  const p = preference ? preference.label.pAnswer1 : null;
  const used = critique ? critique.rounds.map((r) => r.principleName) : preference ? preference.judgements.map((j) => j.principleName) : null;
  return {
    index: record.index,
    id: record.id,
    kind: kindOf(record),
    title: titleOf(record),
    review: reviewStateOf(record),
    principles: used && used.length ? names.get(used) : NONE,
    margin: p === null ? null : Math.abs(2 * p - 1),
    consistent: preference ? preference.positionConsistent : null,
    paired: preference !== null && preference.chosen !== null && preference.rejected !== null,
    failed: Boolean((record as { error?: string }).error),
    truncated: truncated(record),
    unchanged: critique !== null && critique.rounds.length > 0 && critique.final.trim() === critique.initial.trim(),
    lengthBefore: critique ? countWords(critique.initial) : -1,
    lengthAfter: critique ? countWords(effectiveFinal(critique)) : -1,
    completionTokens: record.usage.completionTokens,
    ms: record.usage.ms,
    createdAt: record.createdAt,
  };
}

/** A record that could not be read: listed (so the count is honest) but never exported. */
export function unreadableSummary(index: number, message: string): RecordSummary {
  return {
    index,
    id: `unreadable-${index}`,
    kind: 'critique',
    title: `Unreadable record: ${message.slice(0, TITLE_CHARS)}`,
    review: 'unreviewed',
    principles: NONE,
    margin: null,
    consistent: null,
    paired: false,
    failed: true,
    truncated: false,
    unchanged: false,
    lengthBefore: -1,
    lengthAfter: -1,
    completionTokens: 0,
    ms: 0,
    createdAt: 0,
  };
}
