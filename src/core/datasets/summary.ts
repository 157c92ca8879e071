/**
 * A light summary of each record: what the datasets screen lists, filters, counts and plots.
 * A 100,000-record dataset keeps only these in memory (numbers, flags and a short title); full
 * records are read from storage one chunk at a time when opened or exported.
 */
import { isEdited } from '../formats/review';
import { recipeOf } from '../recipes/index';
import type { RecipeId } from '../recipes/recipe';
import type { RunRecord } from '../run';

/** Which recipe made the record. */
export type RecordKind = RecipeId;
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
  /** Why the stored record could not be read (only on records that could not). */
  problem?: string;
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

const NONE: readonly string[] = Object.freeze([]);

/** One object shape for every kind, so 100,000 summaries stay fast to build and to scan. */
export function summarize(record: RunRecord, names = new NameLists()): RecordSummary {
  const recipe = recipeOf(record);
  const facts = recipe.facts(record);
  const p = facts.pAnswer1;
  // No white-space clean-up: the row shows the title on one line, where CSS folds it anyway.
  const title = facts.title.length > TITLE_CHARS ? `${facts.title.slice(0, TITLE_CHARS - 1)}…` : facts.title;
  return {
    index: record.index,
    id: record.id,
    kind: record.recipe,
    title,
    review: reviewStateOf(record),
    principles: facts.principles.length ? names.get(facts.principles) : NONE,
    margin: p === null ? null : Math.abs(2 * p - 1),
    consistent: facts.consistent,
    paired: facts.paired,
    failed: facts.failed,
    truncated: recipe.finishes(record).includes('length'),
    unchanged: facts.unchanged,
    lengthBefore: facts.lengthBefore,
    lengthAfter: facts.lengthAfter,
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
    kind: 'critique-revision',
    title: `Unreadable record: ${message.slice(0, TITLE_CHARS)}`,
    problem: message,
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
