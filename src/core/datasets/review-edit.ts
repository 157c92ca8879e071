/**
 * What a reviewer can change on each kind of record. Critique records: the final answer (the
 * rules of formats/review.ts). Preference records: the chosen answer, which is what exports
 * carry. Prompt-making records can be accepted or rejected only.
 */
import type { PreferenceRecord } from '../preference-types';
import { effectiveFinal, reviewFor } from '../formats/review';
import { isCritiqueRecord, isPreferenceRecord, type Review, type RunRecord } from '../types';

/** The model's own text that an edit replaces, or null when this record has none to edit. */
export function originalText(record: RunRecord): string | null {
  if (isCritiqueRecord(record)) return record.error ? null : record.final;
  if (isPreferenceRecord(record)) return record.chosen;
  return null;
}

/** The text an export would carry now: the edit if there is one, else the original. */
export function currentText(record: RunRecord): string | null {
  if (isCritiqueRecord(record)) return record.error ? null : effectiveFinal(record);
  if (isPreferenceRecord(record)) return preferenceEdit(record) ?? record.chosen;
  return null;
}

function preferenceEdit(record: PreferenceRecord): string | null {
  const r = record.review;
  return r?.state === 'edited' && r.editedText != null ? r.editedText : null;
}

export function canEdit(record: RunRecord): boolean {
  return originalText(record) !== null;
}

/**
 * The review a reviewer's action produces, for any record kind. Editing back to the original is
 * an acceptance, as reviewFor says for critique records.
 */
export function reviewAction(record: RunRecord, state: Review['state'], editedText?: string): Review {
  if (isCritiqueRecord(record)) return reviewFor(record, state, editedText);
  if (state !== 'edited') return { state };
  const original = originalText(record);
  if (original === null) throw new Error('this record has no answer to edit');
  if (editedText == null) throw new Error('an edited review needs the edited text');
  return editedText === original ? { state: 'accepted' } : { state, editedText };
}

/** What a bulk action does to one record: accept-all keeps edits, so a reviewer's work survives. */
export function bulkReview(record: { review: string }, action: 'accept' | 'reject' | 'clear'): Review | undefined | 'skip' {
  if (action === 'clear') return record.review === 'unreviewed' ? 'skip' : undefined;
  if (action === 'reject') return record.review === 'rejected' ? 'skip' : { state: 'rejected' };
  return record.review === 'accepted' || record.review === 'edited' ? 'skip' : { state: 'accepted' };
}
