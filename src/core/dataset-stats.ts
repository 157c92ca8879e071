/**
 * Numbers behind the dataset plots and the dataset card. Everything is one pass over the records
 * and returns small arrays (bins, points), so the UI can draw 100k records without holding more.
 */
import { effectiveFinal, isEdited } from './formats/review';
import type { PreferenceRecord } from './recipes/preference/types';
import { recipeOf } from './recipes/index';
import type { Usage } from './types';
import type { CritiqueRecord } from './recipes/critique-revision/types';
import type { RunRecord } from './run';

export type LengthUnit = 'words' | 'chars';

export function textLength(text: string, unit: LengthUnit): number {
  if (unit === 'chars') return [...text].length; // code points, so an emoji counts once
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

/** Bin edges at a round step (1, 2 or 5 × 10^k) from 0, enough to cover `max` in about `bins` bins. */
export function niceEdges(max: number, bins = 20): number[] {
  const target = Math.max(max, 1) / Math.max(bins, 1);
  const power = Math.pow(10, Math.floor(Math.log10(target)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= target) ?? 10 * power;
  const edges = [0];
  while (edges[edges.length - 1]! <= max) edges.push(edges[edges.length - 1]! + step);
  return edges;
}

/** Counts per bin [edges[i], edges[i+1]); values past the last edge fall in the last bin. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(edges.length - 1, 0)).fill(0);
  if (counts.length === 0) return counts;
  const step = edges[1]! - edges[0]!;
  for (const v of values) {
    const bin = Math.min(Math.max(Math.floor((v - edges[0]!) / step), 0), counts.length - 1);
    counts[bin]!++;
  }
  return counts;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export interface LengthComparison {
  unit: LengthUnit;
  /** Shared edges, so the two histograms overlay on one axis. */
  edges: number[];
  before: number[];
  after: number[];
  meanBefore: number;
  meanAfter: number;
}

/** Initial answer vs exported answer (final revision, or the reviewer's edit). */
export function lengthBeforeAfter(
  records: Iterable<CritiqueRecord>,
  { unit = 'words', bins = 20 }: { unit?: LengthUnit; bins?: number } = {},
): LengthComparison {
  const before: number[] = [];
  const after: number[] = [];
  for (const r of records) {
    before.push(textLength(r.initial, unit));
    after.push(textLength(effectiveFinal(r), unit));
  }
  // A loop, not Math.max(...xs): spreading 100k values overflows the argument limit.
  let max = 0;
  for (const x of before) if (x > max) max = x;
  for (const x of after) if (x > max) max = x;
  const edges = niceEdges(max, bins);
  return { unit, edges, before: histogram(before, edges), after: histogram(after, edges), meanBefore: mean(before), meanAfter: mean(after) };
}

export interface PrincipleCount {
  principleId: string;
  name: string;
  count: number;
}

/**
 * How often each principle was used, most used first (ties by name): drawn for a critique round,
 * or asked by the judge of a preference comparison.
 */
export function principleUsage(records: Iterable<RunRecord>): PrincipleCount[] {
  const counts = new Map<string, PrincipleCount>();
  const count = (principleId: string, name: string) => {
    const c = counts.get(principleId) ?? { principleId, name, count: 0 };
    c.count++;
    counts.set(principleId, c);
  };
  for (const r of records) for (const use of recipeOf(r).principleUses(r)) count(use.id, use.name);
  return [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

export interface ThroughputPoint {
  /** createdAt of the last record in the group (ms since epoch). */
  at: number;
  /** Completion tokens per second of generation time within the group. */
  tokensPerSecond: number;
  records: number;
}

/**
 * Generation speed over the run, from each record's usage, in at most `maxPoints` groups of
 * consecutive records (by createdAt). Groups sum tokens and milliseconds before dividing, so a
 * record that took 1 ms does not spike the line. Records without timing are skipped.
 */
export function throughput(
  records: Iterable<{ usage: Usage; createdAt: number }>,
  maxPoints = 200,
): { points: ThroughputPoint[]; overall: number } {
  const timed = [...records].filter((r) => r.usage.ms > 0).sort((a, b) => a.createdAt - b.createdAt);
  const size = Math.max(1, Math.ceil(timed.length / Math.max(1, maxPoints)));
  const points: ThroughputPoint[] = [];
  let tokens = 0;
  let ms = 0;
  for (let i = 0; i < timed.length; i += size) {
    const group = timed.slice(i, i + size);
    const t = group.reduce((n, r) => n + r.usage.completionTokens, 0);
    const m = group.reduce((n, r) => n + r.usage.ms, 0);
    points.push({ at: group[group.length - 1]!.createdAt, tokensPerSecond: (t * 1000) / m, records: group.length });
    tokens += t;
    ms += m;
  }
  return { points, overall: ms > 0 ? (tokens * 1000) / ms : 0 };
}

export interface ReviewCounts {
  total: number;
  accepted: number;
  rejected: number;
  edited: number;
  unreviewed: number;
  /** Records where some generation stopped at the token limit rather than finishing. */
  truncated: number;
  /** Critique→revision records whose revisions left the initial answer as it was. */
  unchanged: number;
}

export function reviewCounts(records: Iterable<RunRecord>): ReviewCounts {
  const c: ReviewCounts = { total: 0, accepted: 0, rejected: 0, edited: 0, unreviewed: 0, truncated: 0, unchanged: 0 };
  for (const r of records) {
    c.total++;
    if (isEdited(r)) c.edited++;
    else if (r.review?.state === 'rejected') c.rejected++;
    else if (r.review) c.accepted++;
    else c.unreviewed++;
    const recipe = recipeOf(r);
    if (recipe.finishes(r).includes('length')) c.truncated++;
    if (recipe.facts(r).unchanged) c.unchanged++;
  }
  return c;
}

/** How sure the judge was: |P(answer 1) − P(answer 2)|, 0 for a coin toss, 1 for certainty. */
export function judgeMargin(record: PreferenceRecord): number | null {
  const p = record.label.pAnswer1;
  return p === null ? null : Math.abs(2 * p - 1);
}

/** Margin histogram on fixed [0, 1] edges, so plots of different runs compare directly. */
export function marginHistogram(records: Iterable<PreferenceRecord>, bins = 10): { edges: number[]; counts: number[] } {
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const margins: number[] = [];
  for (const r of records) {
    const m = judgeMargin(r);
    if (m !== null) margins.push(m);
  }
  return { edges, counts: histogram(margins, edges) };
}

/** What a preference dataset's card reports about its judge. */
export interface PreferenceFigures {
  pairs: number;
  /** Share of pairs where the judge picked the same answer in both orders (0..1). */
  positionConsistency?: number;
  /** Mean |P(answer 1) − P(answer 2)| of the judge (0..1). */
  meanMargin?: number;
}

/** The card's preference figures: usable pairs, position consistency and mean margin. */
export function preferenceFigures(records: Iterable<PreferenceRecord>): PreferenceFigures {
  let pairs = 0;
  let judged = 0;
  let consistent = 0;
  const margins: number[] = [];
  for (const r of records) {
    if (r.chosen !== null && r.rejected !== null && r.review?.state !== 'rejected') pairs++;
    if (r.positionConsistent !== null) {
      judged++;
      if (r.positionConsistent) consistent++;
    }
    const m = judgeMargin(r);
    if (m !== null) margins.push(m);
  }
  const figures: PreferenceFigures = { pairs };
  if (judged > 0) figures.positionConsistency = consistent / judged;
  if (margins.length > 0) figures.meanMargin = mean(margins);
  return figures;
}
