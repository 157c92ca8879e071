/**
 * The numbers behind the dataset plots, from record summaries, with the binning and grouping of
 * core/dataset-stats.ts, so a 100,000-record dataset is plotted without reading it again.
 */
import { histogram, niceEdges, throughput, type LengthComparison, type ThroughputPoint } from '../dataset-stats';
import type { RecordSummary } from './summary';
import { tallyOf, type NamedCount } from './tally';

export type { NamedCount };

export interface DatasetPlots {
  /** Critique records: initial answer vs the exported one, in words. */
  lengths: LengthComparison | null;
  /** Uses per principle (critique rounds, judge questions), most used first. */
  principles: NamedCount[];
  /** Preference records: histogram of judge margins on [0, 1]. */
  margins: { edges: number[]; counts: number[] } | null;
  /** Preference records: did both orders pick the same answer? */
  consistency: NamedCount[] | null;
  /** Completion tokens per second of generation, over the run. */
  throughput: { points: ThroughputPoint[]; overall: number } | null;
}

function lengths(summaries: readonly RecordSummary[], bins: number): LengthComparison | null {
  const before: number[] = [];
  const after: number[] = [];
  let max = 0;
  for (const s of summaries) {
    if (s.lengthBefore < 0) continue;
    before.push(s.lengthBefore);
    after.push(s.lengthAfter);
    max = Math.max(max, s.lengthBefore, s.lengthAfter);
  }
  if (before.length === 0) return null;
  const edges = niceEdges(max, bins);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { unit: 'words', edges, before: histogram(before, edges), after: histogram(after, edges), meanBefore: mean(before), meanAfter: mean(after) };
}

export function principleCounts(summaries: readonly RecordSummary[]): NamedCount[] {
  return tallyOf(summaries).principleCounts();
}

function preference(summaries: readonly RecordSummary[], bins: number) {
  const margins: number[] = [];
  const agree = { yes: 0, no: 0, unknown: 0 };
  let any = false;
  for (const s of summaries) {
    if (s.kind !== 'preference') continue;
    any = true;
    if (s.margin !== null) margins.push(s.margin);
    agree[s.consistent === null ? 'unknown' : s.consistent ? 'yes' : 'no']++;
  }
  if (!any) return { margins: null, consistency: null };
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const consistency = [
    { name: 'same answer in both orders', count: agree.yes },
    { name: 'answer changed with the order', count: agree.no },
    { name: 'could not tell', count: agree.unknown },
  ];
  return { margins: { edges, counts: histogram(margins, edges) }, consistency };
}

function speed(summaries: readonly RecordSummary[], maxPoints: number) {
  const timed = summaries.filter((s) => s.ms > 0).map((s) => ({ usage: { promptTokens: 0, completionTokens: s.completionTokens, ms: s.ms }, createdAt: s.createdAt }));
  return timed.length ? throughput(timed, maxPoints) : null;
}

export function datasetPlots(summaries: readonly RecordSummary[], { bins = 20, marginBins = 10, maxPoints = 120 } = {}): DatasetPlots {
  return {
    lengths: lengths(summaries, bins),
    principles: principleCounts(summaries),
    ...preference(summaries, marginBins),
    throughput: speed(summaries, maxPoints),
  };
}
