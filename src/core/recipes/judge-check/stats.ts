/**
 * The statistics of a judge check, pure and small: agreement with a Wilson interval, Cohen's κ,
 * calibration (reliability bins, expected calibration error, Brier score) and accuracy against
 * coverage as the margin of the soft label grows. Answers are 0 (answer 1) or 1 (answer 2); a judge
 * that gave no verdict says null.
 */

const Z95 = 1.959963984540054;

/** Wilson score interval for k successes in n trials (95% unless z says otherwise); null with n = 0. */
export function wilson(k: number, n: number, z = Z95): [number, number] | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Cohen's κ between people (always 0 or 1) and the judge (0, 1 or null: no verdict is a category of
 * its own, so it counts as disagreement). 0 is chance agreement, 1 perfect; null when it is undefined
 * (every verdict in one category on both sides).
 */
export function cohensKappa(human: readonly (0 | 1)[], judge: readonly (0 | 1 | null)[]): number | null {
  const n = human.length;
  if (n === 0 || judge.length !== n) return null;
  const observed = human.filter((h, i) => judge[i] === h).length / n;
  const share = (list: readonly (0 | 1 | null)[], v: 0 | 1) => list.filter((x) => x === v).length / n;
  const expected = share(human, 0) * share(judge, 0) + share(human, 1) * share(judge, 1);
  return expected === 1 ? null : (observed - expected) / (1 - expected);
}

export interface Agreement {
  /** Pairs counted (every pair of the check). */
  n: number;
  /** Pairs where the judge picked the answer people picked. */
  agreed: number;
  /** Pairs where the judge gave no verdict (no probability, or exactly one half). */
  noVerdict: number;
  rate: number | null;
  interval: [number, number] | null;
  kappa: number | null;
}

export function agreement(human: readonly (0 | 1)[], judge: readonly (0 | 1 | null)[]): Agreement {
  const n = human.length;
  const agreed = human.filter((h, i) => judge[i] === h).length;
  return {
    n,
    agreed,
    noVerdict: judge.filter((j) => j === null).length,
    rate: n ? agreed / n : null,
    interval: wilson(agreed, n),
    kappa: cohensKappa(human, judge),
  };
}

/** The judge's verdict from a soft label P(answer 1 better): 0, 1, or null at exactly one half. */
export function pickOf(pAnswer1: number | null): 0 | 1 | null {
  if (pAnswer1 === null || pAnswer1 === 0.5) return null;
  return pAnswer1 > 0.5 ? 0 : 1;
}

export interface ReliabilityBin {
  /** Bin edges on P(answer 1 better). */
  from: number;
  to: number;
  count: number;
  /** Mean soft label in the bin. */
  meanPredicted: number;
  /** Share of the bin's pairs where people preferred answer 1. */
  observed: number;
}

export interface Calibration {
  /** Pairs with a soft label (the others are left out). */
  n: number;
  bins: ReliabilityBin[];
  /** Expected calibration error: bin-weighted |mean predicted − observed|. */
  ece: number | null;
  /** Mean squared error of the soft label against people's choice (1 = answer 1). */
  brier: number | null;
}

/** Reliability of soft labels P(answer 1 better) against people's choices, in `binCount` equal bins. */
export function calibration(soft: readonly (number | null)[], human: readonly (0 | 1)[], binCount = 10): Calibration {
  const known = soft.flatMap((p, i) => (p === null ? [] : [{ p, y: human[i] === 0 ? 1 : 0 }]));
  const n = known.length;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const [from, to] = [b / binCount, (b + 1) / binCount];
    const inBin = known.filter(({ p }) => p >= from && (p < to || (b === binCount - 1 && p <= to)));
    if (inBin.length === 0) continue;
    const mean = (f: (x: { p: number; y: number }) => number) => inBin.reduce((s, x) => s + f(x), 0) / inBin.length;
    bins.push({ from, to, count: inBin.length, meanPredicted: mean((x) => x.p), observed: mean((x) => x.y) });
  }
  return {
    n,
    bins,
    ece: n ? bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.meanPredicted - b.observed), 0) : null,
    brier: n ? known.reduce((s, { p, y }) => s + (p - y) ** 2, 0) / n : null,
  };
}

export interface CoveragePoint {
  /** Labels with |P(answer 1 better) − 0.5| at or above this margin are kept. */
  margin: number;
  kept: number;
  /** Kept pairs as a share of all pairs. */
  coverage: number;
  /** Share of kept pairs the judge got right; null when none is kept. */
  accuracy: number | null;
  /** Lower end of the accuracy's 95% Wilson interval. */
  lower: number | null;
}

/** Margins the curve is computed at: 0 to 0.45 in steps of 0.025 (the tie margin must stay below 0.5). */
export const MARGIN_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => +(i * 0.025).toFixed(3));

/** Accuracy against coverage: what keeping only labels with a margin of at least m gives. */
export function coverageCurve(soft: readonly (number | null)[], human: readonly (0 | 1)[], margins: readonly number[] = MARGIN_GRID): CoveragePoint[] {
  const total = human.length;
  return margins.map((margin) => {
    const kept = soft.flatMap((p, i) => (p !== null && p !== 0.5 && Math.abs(p - 0.5) >= margin - 1e-12 ? [pickOf(p) === human[i]] : []));
    const right = kept.filter(Boolean).length;
    return {
      margin,
      kept: kept.length,
      coverage: total ? kept.length / total : 0,
      accuracy: kept.length ? right / kept.length : null,
      lower: wilson(right, kept.length)?.[0] ?? null,
    };
  });
}

/** At least this share of pairs must stay for a margin to be suggested. */
export const MIN_SUGGESTED_COVERAGE = 0.25;

/**
 * The margin to suggest as the tie margin: the one whose accuracy is best at the bottom of its 95%
 * interval, among those that keep at least a quarter of the pairs. A bare best accuracy would favour
 * margins that keep a handful of lucky pairs; the lower bound weighs accuracy against how many remain.
 */
export function suggestedMargin(curve: readonly CoveragePoint[]): CoveragePoint | null {
  let best: CoveragePoint | null = null;
  for (const point of curve) {
    if (point.coverage < MIN_SUGGESTED_COVERAGE || point.lower === null) continue;
    if (!best || point.lower > (best.lower ?? -1) + 1e-12) best = point;
  }
  return best;
}
