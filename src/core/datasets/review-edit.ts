/**
 * What a reviewer can change on each kind of record: each recipe says which text its exports carry
 * (critique: the final answer; preference: the chosen one); prompt-making records can only be
 * accepted or rejected.
 */
import { recipeOf } from '../recipes/index';
import type { RunRecord } from '../run';
import type { Review } from '../types';

/** The model's own text that an edit replaces, or null when this record has none to edit. */
export function originalText(record: RunRecord): string | null {
  return recipeOf(record).editableText(record);
}

/** The text an export would carry now: the edit if there is one, else the original. */
export function currentText(record: RunRecord): string | null {
  return recipeOf(record).currentText(record);
}

export function canEdit(record: RunRecord): boolean {
  return originalText(record) !== null;
}

/** The review a reviewer's action produces; editing back to the original is an acceptance. */
export function reviewAction(record: RunRecord, state: Review['state'], editedText?: string): Review {
  return recipeOf(record).review(record, state, editedText);
}

/** What a bulk action does to one record: accept-all keeps edits, so a reviewer's work survives. */
export function bulkReview(record: { review: string }, action: 'accept' | 'reject' | 'clear'): Review | undefined | 'skip' {
  if (action === 'clear') return record.review === 'unreviewed' ? 'skip' : undefined;
  if (action === 'reject') return record.review === 'rejected' ? 'skip' : { state: 'rejected' };
  return record.review === 'accepted' || record.review === 'edited' ? 'skip' : { state: 'accepted' };
}
