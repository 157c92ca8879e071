/** Spec and record of the CLAIR recipe: minimal-edit preference pairs (revision chosen, answer rejected). */
import type { ConstitutionRunSpec } from '../constitution-run';
import type { FinishReason, PromptRecordBase, Review } from '../../types';

/** Each prompt draws one enabled principle; its revision request is asked minimally. */
export interface ClairSpec extends ConstitutionRunSpec {
  recipe: 'clair';
  /** Pairs whose normalised edit distance is below `minDistance` (no-op) or above `maxDistance` (rewrite) are dropped. */
  minDistance: number;
  maxDistance: number;
  /** Also sample a second, independent answer per prompt, as the baseline the edit distances are shown against. */
  baseline: boolean;
}

export type ClairDrop = 'no-op' | 'rewrite';

export interface ClairRecord extends PromptRecordBase {
  recipe: 'clair';
  principleId: string;
  principleName: string;
  answer: string;
  answerFinish: FinishReason;
  /** The request the revision answered (the principle's, asked for a minimal edit). */
  revisionRequest: string;
  revision: string;
  revisionFinish: FinishReason;
  /** Normalised word edit distance between answer and revision: 0 same, 1 nothing in common. */
  distance: number;
  /** The baseline: another answer sampled independently, and its distance from `answer`. */
  independent?: { text: string; finish: FinishReason; distance: number };
  /** Why the pair is left out of exports; absent when it is kept. */
  dropReason?: ClairDrop;
  review?: Review;
  /** Set when this prompt could not be processed (e.g. longer than the model's context): kept, not exported. */
  error?: string;
}
