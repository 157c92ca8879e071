/**
 * What the dataset view says about all of a dataset's records (review counts, preference figures,
 * principles, kinds, unreadable chunks), kept up to date one summary at a time. Opening 100,000
 * records adds each batch as it arrives, and a review swaps one summary out and its new one in, so
 * no screen update ever walks the whole list again (a pass over 100,000 summaries per figure was
 * the longest task of opening a large dataset). The one place these rules live: summaryCounts,
 * summaryFigures and principleCounts sum a whole list with it.
 */
import type { PreferenceFigures } from '../formats/card';
import type { ReviewCounts } from '../dataset-stats';
import type { RecordKind, RecordSummary } from './summary';

/** A name and how often it occurs (principles in the list and the plots). */
export interface NamedCount {
  name: string;
  count: number;
}

/** Records of one stored chunk that could not be read, with the first reason given. */
export interface ChunkLoss {
  chunkNo: number;
  records: number;
  reason: string;
}

export interface TallyFacts {
  counts: ReviewCounts;
  figures: PreferenceFigures | undefined;
  /** Principle names, most used first (ties by name). */
  principles: string[];
  kinds: ReadonlySet<RecordKind>;
  losses: ChunkLoss[];
}

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

export class SummaryTally {
  readonly #counts: ReviewCounts = { total: 0, accepted: 0, rejected: 0, edited: 0, unreviewed: 0, truncated: 0, unchanged: 0 };
  /** Preference records: all, paired (not rejected), judged in both orders, consistent, with a margin. */
  readonly #pref = { records: 0, pairs: 0, judged: 0, consistent: 0, margins: 0 };
  #marginSum = 0;
  /** Summaries share their principle arrays (NameLists), so counting per array is cheap. */
  readonly #perList = new Map<readonly string[], number>();
  readonly #kinds = new Map<RecordKind, number>();
  readonly #losses = new Map<number, ChunkLoss>();

  constructor(private readonly chunkSize: number) {}

  addAll(summaries: Iterable<RecordSummary>): void {
    for (const s of summaries) this.#add(s, 1, true);
  }

  /** One record's summary changed (a review): counts move, a margin it kept is not re-added (no rounding drift). */
  replace(old: RecordSummary, next: RecordSummary): void {
    const sameMargin = old.margin === next.margin && old.kind === next.kind;
    this.#add(old, -1, !sameMargin);
    this.#add(next, 1, !sameMargin);
  }

  #add(s: RecordSummary, sign: 1 | -1, margin: boolean): void {
    const c = this.#counts;
    c.total += sign;
    c[s.review] += sign;
    if (s.truncated) c.truncated += sign;
    if (s.unchanged) c.unchanged += sign;
    if (s.kind === 'preference') this.#addPreference(s, sign, margin);
    bump(this.#perList, s.principles, sign);
    bump(this.#kinds, s.kind, sign);
    if (s.problem !== undefined) this.#addLoss(s, sign);
  }

  #addPreference(s: RecordSummary, sign: 1 | -1, margin: boolean): void {
    const p = this.#pref;
    p.records += sign;
    if (s.paired && s.review !== 'rejected') p.pairs += sign;
    if (s.consistent !== null) (p.judged += sign, s.consistent && (p.consistent += sign));
    if (s.margin !== null && margin) (p.margins += sign, (this.#marginSum += sign * s.margin));
  }

  #addLoss(s: RecordSummary, sign: 1 | -1): void {
    const chunkNo = Math.floor(s.index / this.chunkSize);
    const loss = this.#losses.get(chunkNo) ?? { chunkNo, records: 0, reason: s.problem! };
    loss.records += sign;
    if (loss.records > 0) this.#losses.set(chunkNo, loss);
    else this.#losses.delete(chunkNo);
  }

  /** Fresh objects each time, for a screen to hold while the tally moves on. */
  facts(): TallyFacts {
    return {
      counts: this.counts(),
      figures: this.figures(),
      principles: this.principleCounts().map((c) => c.name),
      kinds: new Set(this.#kinds.keys()),
      losses: this.losses(),
    };
  }

  counts(): ReviewCounts {
    return { ...this.#counts };
  }

  losses(): ChunkLoss[] {
    return [...this.#losses.values()].sort((a, b) => a.chunkNo - b.chunkNo).map((l) => ({ ...l }));
  }

  figures(): PreferenceFigures | undefined {
    const p = this.#pref;
    if (p.records === 0) return undefined;
    const figures: PreferenceFigures = { pairs: p.pairs };
    if (p.judged > 0) figures.positionConsistency = p.consistent / p.judged;
    if (p.margins > 0) figures.meanMargin = this.#marginSum / p.margins;
    return figures;
  }

  /** How often each principle was used, most used first (ties by name). */
  principleCounts(): NamedCount[] {
    const counts = new Map<string, number>();
    for (const [list, n] of this.#perList) for (const name of list) counts.set(name, (counts.get(name) ?? 0) + n);
    return [...counts.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }
}

/** A tally of a whole list at once (one pass; chunk size 1: losses are not asked for). */
export function tallyOf(summaries: Iterable<RecordSummary>, chunkSize = 1): SummaryTally {
  const tally = new SummaryTally(chunkSize);
  tally.addAll(summaries);
  return tally;
}
