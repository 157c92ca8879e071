/** Figures of a CLAIR run: how many pairs were kept and dropped, and how contrastive they are. */
import { median } from './distance';
import type { ClairRecord } from './types';

export interface ClairSummary {
  pairs: number;
  kept: number;
  noOps: number;
  rewrites: number;
  /** Median edit distance of answer → minimal revision, over every pair made. */
  medianDistance: number | null;
  /** Median edit distance of two independent answers to the same prompt (the baseline). */
  medianIndependent: number | null;
}

export function clairSummary(records: readonly ClairRecord[]): ClairSummary {
  const made = records.filter((r) => !r.error);
  return {
    pairs: made.length,
    kept: made.filter((r) => !r.dropReason).length,
    noOps: made.filter((r) => r.dropReason === 'no-op').length,
    rewrites: made.filter((r) => r.dropReason === 'rewrite').length,
    medianDistance: median(made.map((r) => r.distance)),
    medianIndependent: median(made.flatMap((r) => (r.independent ? [r.independent.distance] : []))),
  };
}

/** Edges of the distance histogram: ten bins over [0, 1]. */
export const DISTANCE_EDGES = Array.from({ length: 11 }, (_, i) => i / 10);

/** How many values fall in each bin of DISTANCE_EDGES (1 itself in the last bin). */
export function distanceCounts(values: readonly number[]): number[] {
  const counts = new Array(DISTANCE_EDGES.length - 1).fill(0);
  for (const v of values) counts[Math.min(counts.length - 1, Math.max(0, Math.floor(v * 10)))]++;
  return counts;
}
