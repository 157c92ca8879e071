/**
 * Preference exports in the shapes TRL reads: conversational preference rows with an explicit
 * prompt (DPO, reward modelling) and unpaired KTO rows. Ties, undecided comparisons and records a
 * reviewer rejected are left out; so are low-confidence labels unless asked for.
 */
import type { ChatMessage } from '../types';
import type { CritiqueRecord } from '../recipes/critique-revision/types';
import type { ImportedPair, PreferenceRecord } from '../recipes/preference/types';
import { effectiveFinal, isExcluded } from './review';
import { parsePairsFile, type PairError } from './pairs';

export interface PreferenceRow {
  prompt: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
  /**
   * P(chosen is better), as the judge gave it, and its complement; null when the pair has no such
   * probability (revision pairs, pairs decided by letters). Every row has both keys, so the
   * column's type is the same in every chunk `datasets` reads.
   */
  score_chosen: number | null;
  score_rejected: number | null;
}

/**
 * TRL RewardTrainer's `margin` column: score_chosen − score_rejected, from 0 (a coin toss) to 1
 * (certain); 0 where the pair has no probability (imported ratings on another scale included), which
 * leaves the trainer's loss as without one.
 */
export function marginOf(row: PreferenceRow): number {
  const [c, r] = [row.score_chosen, row.score_rejected];
  const probabilities = c !== null && r !== null && c >= 0 && c <= 1 && r >= 0 && r <= 1 && Math.abs(c + r - 1) < 1e-6;
  return probabilities ? Math.max(0, c - r) : 0;
}

export interface KtoRow {
  prompt: ChatMessage[];
  completion: ChatMessage[];
  label: boolean;
}

export interface PreferenceExportOptions {
  /** Also export labels that rest partly or wholly on the fallback letter. Default false. */
  includeLowConfidence?: boolean;
}

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const assistant = (content: string): ChatMessage[] => [{ role: 'assistant', content }];

/** The record's row, or null when it must not be exported. An edit replaces the chosen text. */
export function toPreferenceRow(record: PreferenceRecord, opts: PreferenceExportOptions = {}): PreferenceRow | null {
  if (record.review?.state === 'rejected' || record.chosen === null || record.rejected === null) return null;
  if (record.lowConfidence && !opts.includeLowConfidence) return null;
  const edited = record.review?.state === 'edited' && record.review.editedText != null ? record.review.editedText : null;
  const p = record.label.pAnswer1;
  const judged = p === null ? null : record.label.verdict === 'answer1' ? p : 1 - p;
  // An imported row's ratings (e.g. UltraFeedback's 1–10), unjudged here: passed on as they came.
  const rated = judged === null && record.judgements.length === 0 ? record.scores : undefined;
  return {
    prompt: user(record.prompt),
    chosen: assistant(edited ?? record.chosen),
    rejected: assistant(record.rejected),
    score_chosen: judged ?? rated?.chosen ?? null,
    score_rejected: judged === null ? (rated?.rejected ?? null) : 1 - judged,
  };
}

/** A pair chosen by how it was made (an edit, a construction), not by a judge: no probability to give. */
export function madePair(prompt: string, chosen: string, rejected: string): PreferenceRow {
  return { prompt: user(prompt), chosen: assistant(chosen), rejected: assistant(rejected), score_chosen: null, score_rejected: null };
}

export function* preferenceRows(records: Iterable<PreferenceRecord>, opts: PreferenceExportOptions = {}): Generator<PreferenceRow> {
  for (const record of records) {
    const row = toPreferenceRow(record, opts);
    if (row) yield row;
  }
}

/** KTO wants single completions marked desirable or not: each pair gives one of each. */
export function* ktoRows(records: Iterable<PreferenceRecord>, opts: PreferenceExportOptions = {}): Generator<KtoRow> {
  for (const row of preferenceRows(records, opts)) {
    yield { prompt: row.prompt, completion: row.chosen, label: true };
    yield { prompt: row.prompt, completion: row.rejected, label: false };
  }
}

/**
 * Pairs straight from a critique→revision run, on the recipe's own premise that the revision beats
 * the first answer. No judge is involved, so there are no scores. Records whose revision did not
 * change the answer teach nothing and are skipped, as are rejected ones.
 */
export function* revisionPairs(records: Iterable<CritiqueRecord>): Generator<PreferenceRow> {
  for (const record of records) {
    if (isExcluded(record)) continue;
    const revised = effectiveFinal(record);
    if (revised.trim() === record.initial.trim()) continue;
    yield { prompt: user(record.prompt), chosen: assistant(revised), rejected: assistant(record.initial), score_chosen: null, score_rejected: null };
  }
}

/**
 * Imported pairs for the preference recipe to judge afresh, in any shape formats/pairs.ts reads
 * (this app's own TRL export included). A bad line is reported by number and the good ones are kept.
 */
export function parseImportedPairs(text: string): { pairs: ImportedPair[]; errors: PairError[] } {
  const { pairs, errors } = parsePairsFile(text);
  return {
    pairs: pairs.map(({ prompt, answerA, answerB, promptId }) => ({ prompt, answerA, answerB, ...(promptId !== undefined ? { promptId } : {}) })),
    errors,
  };
}

/** KTO rows from pairs: the chosen answer labelled good, the rejected one bad. */
export function* ktoFromPairs(pairs: Iterable<PreferenceRow>): Generator<KtoRow> {
  for (const row of pairs) {
    yield { prompt: row.prompt, completion: row.chosen, label: true };
    yield { prompt: row.prompt, completion: row.rejected, label: false };
  }
}
