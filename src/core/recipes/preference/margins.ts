/**
 * The margins of a preference run's soft labels (|P(answer 1 better) − 0.5|, from 0 to 0.5) against
 * its tie margin: a histogram to show beside it, and a margin that would decide some comparisons
 * when the one used made every comparison a tie.
 */

export const MARGIN_EDGES: readonly number[] = Array.from({ length: 11 }, (_, i) => i * 0.05);

/** Counts per bin of MARGIN_EDGES; the last bin holds 0.5 itself. */
export function marginHistogram(margins: readonly number[]): number[] {
  const counts = new Array<number>(MARGIN_EDGES.length - 1).fill(0);
  for (const m of margins) counts[Math.min(counts.length - 1, Math.max(0, Math.floor(m / 0.05)))]++;
  return counts;
}

/**
 * A tie margin under which at least half of the labels are decided (the median margin, rounded down
 * to 0.0001, since a label is a tie only when its margin is below the tie margin); null when there
 * are no labels, or the median is 0 (the judge gives no signal at all).
 */
export function suggestTieMargin(margins: readonly number[]): { margin: number; decided: number } | null {
  if (margins.length === 0) return null;
  const sorted = [...margins].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const margin = Math.floor(median * 10_000) / 10_000;
  if (margin <= 0) return null;
  return { margin, decided: sorted.filter((m) => m >= margin).length };
}
