/**
 * The review rules, in one place, so every export, count and plot agrees on them:
 * - a rejected record is left out of every export;
 * - an edited record exports the reviewer's text, while `final` keeps what the model wrote,
 *   so the edit can be compared with (or reverted to) the original;
 * - accepted and not-yet-reviewed records export as generated.
 * `formats/sft.ts` has its own copy of these rules; it should call these instead.
 */
import type { CritiqueRecord } from '../recipes/critique-revision/types';
import type { Review } from '../types';

/** The answer a dataset should carry for this record: the edit when there is one, else `final`. */
export function effectiveFinal(record: CritiqueRecord): string {
  const review = record.review;
  // An 'edited' state without text can come from damaged or hand-written data: fall back to the model's text.
  if (review?.state === 'edited' && review.editedText != null) return review.editedText;
  return record.final;
}

/** Any record kind: critique→revision and preference records carry the same `review`. */
export interface Reviewable {
  review?: Review;
}

/** True when the reviewer rejected the record: it must not appear in any exported file. */
export function isExcluded(record: Reviewable): boolean {
  // A record whose generation failed (e.g. its prompt did not fit the model) has no answer to train on.
  return record.review?.state === 'rejected' || Boolean((record as { error?: string }).error);
}

/** True when the exported answer differs from what the model produced. */
export function isEdited(record: Reviewable): boolean {
  return record.review?.state === 'edited' && record.review.editedText != null;
}

/** The records an export should see, in order, with rejected ones skipped. */
export function* includedRecords<T extends Reviewable>(records: Iterable<T>): Generator<T> {
  for (const record of records) if (!isExcluded(record)) yield record;
}

/**
 * The review a reviewer's action produces. Editing back to the model's own text is just an
 * acceptance, so the record does not look changed when it is not.
 */
export function reviewFor(record: CritiqueRecord, state: Review['state'], editedText?: string): Review {
  if (state !== 'edited') return { state };
  if (editedText == null) throw new Error('an edited review needs the edited text');
  return editedText === record.final ? { state: 'accepted' } : { state, editedText };
}
