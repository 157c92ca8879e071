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
    kept: made.filter((r) => !r.drop).length,
    noOps: made.filter((r) => r.drop === 'no-op').length,
    rewrites: made.filter((r) => r.drop === 'rewrite').length,
    medianDistance: median(made.map((r) => r.distance)),
    medianIndependent: median(made.flatMap((r) => (r.independent ? [r.independent.distance] : []))),
  };
}
