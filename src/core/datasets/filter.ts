/**
 * Which records the datasets screen shows: filters over the light summaries, plus a text search
 * that runs over full records (read chunk by chunk) and hands back the matching indexes.
 */
import type { ReviewCounts } from '../dataset-stats';
import type { PreferenceFigures } from '../formats/card';
import { recipeOf } from '../recipes/index';
import type { RunRecord } from '../run';
import { tallyOf } from './tally';
import type { RecordSummary, ReviewState } from './summary';

export type ConsistencyFilter = 'all' | 'consistent' | 'inconsistent' | 'unknown';

export interface DatasetFilter {
  review: 'all' | ReviewState;
  /** A principle name, or '' for any. */
  principle: string;
  /** Judge margin range, inclusive; [0, 1] lets every record through, a narrower one only judged pairs. */
  minMargin: number;
  maxMargin: number;
  consistency: ConsistencyFilter;
}

export const NO_FILTER: DatasetFilter = { review: 'all', principle: '', minMargin: 0, maxMargin: 1, consistency: 'all' };

export function isFiltering(filter: DatasetFilter): boolean {
  return (
    filter.review !== 'all' ||
    filter.principle !== '' ||
    filter.minMargin > 0 ||
    filter.maxMargin < 1 ||
    filter.consistency !== 'all'
  );
}

function marginOk(s: RecordSummary, f: DatasetFilter): boolean {
  if (f.minMargin <= 0 && f.maxMargin >= 1) return true;
  return s.margin !== null && s.margin >= f.minMargin && s.margin <= f.maxMargin;
}

function consistencyOk(s: RecordSummary, c: ConsistencyFilter): boolean {
  if (c === 'all') return true;
  if (s.kind !== 'preference') return false;
  return c === 'unknown' ? s.consistent === null : s.consistent === (c === 'consistent');
}

export function matchesFilter(s: RecordSummary, f: DatasetFilter, text: ReadonlySet<number> | null = null): boolean {
  return (
    (f.review === 'all' || s.review === f.review) &&
    (f.principle === '' || s.principles.includes(f.principle)) &&
    marginOk(s, f) &&
    consistencyOk(s, f.consistency) &&
    (text === null || text.has(s.index))
  );
}

/** Positions (into `summaries`) of the records that pass; a plain array of numbers, cheap at 100k. */
export function filterPositions(summaries: readonly RecordSummary[], f: DatasetFilter, text: ReadonlySet<number> | null = null): number[] {
  const out: number[] = [];
  if (!isFiltering(f) && text === null) {
    for (let i = 0; i < summaries.length; i++) out.push(i);
    return out;
  }
  for (let i = 0; i < summaries.length; i++) if (matchesFilter(summaries[i]!, f, text)) out.push(i);
  return out;
}

/** The texts a search looks in: prompt, answers, critiques, revisions, edits, candidates. */
export function recordTexts(record: RunRecord): string[] {
  return recipeOf(record).texts(record);
}

/** Case-insensitive substring search; `needle` must already be lower-cased and non-empty. */
export function recordMatches(record: RunRecord, needle: string): boolean {
  return recordTexts(record).some((t) => t.toLowerCase().includes(needle));
}

export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase();
}

/** The review counts of the card and the list, from summaries (same rules as reviewCounts). */
export function summaryCounts(summaries: Iterable<RecordSummary>): ReviewCounts {
  return tallyOf(summaries).counts();
}

/** The card's preference figures, from summaries (same rules as preferenceFigures). */
export function summaryFigures(summaries: Iterable<RecordSummary>): PreferenceFigures | undefined {
  return tallyOf(summaries).figures();
}
