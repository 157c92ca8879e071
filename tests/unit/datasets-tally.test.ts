import { describe, expect, it } from 'vitest';
import { NameLists, summarize, unreadableSummary, type RecordSummary } from '../../src/core/datasets/summary';
import { SummaryTally, type TallyFacts } from '../../src/core/datasets/tally';
import { Random } from '../../src/core/random';
import { critique, preference, round, selfInstruct } from './datasets-fixtures';

/** A mixed list: critiques with principles and reviews, preferences with margins, unreadable records. */
function mixed(n: number, seed: number): RecordSummary[] {
  const rng = new Random(seed);
  const names = new NameLists();
  const principles = ['Harmless', 'Honest', 'Helpful'];
  return Array.from({ length: n }, (_, i) => {
    const pick = rng.next();
    if (pick < 0.1) return unreadableSummary(i, `bad ${Math.floor(i / 10)}`);
    if (pick < 0.4) return summarize(preference(i, rng.next(), rng.next() < 0.3 ? null : rng.next() < 0.5), names);
    if (pick < 0.5) return summarize(selfInstruct(i), names);
    const review = rng.next() < 0.3 ? { review: { state: 'rejected' as const } } : rng.next() < 0.2 ? { review: { state: 'edited' as const, editedText: 'mine' } } : {};
    return summarize(critique(i, { ...review, rounds: [round(principles[i % 3]!, 'x', rng.next() < 0.2 ? 'length' : 'stop')] }), names);
  });
}

/** The same figures by plain passes over the whole list, written apart from the tally (the oracle). */
function passes(list: readonly RecordSummary[], chunkSize: number) {
  const counts = { total: 0, accepted: 0, rejected: 0, edited: 0, unreviewed: 0, truncated: 0, unchanged: 0 };
  const names = new Map<string, number>();
  const losses = new Map<number, { chunkNo: number; records: number; reason: string }>();
  const prefs = list.filter((s) => s.kind === 'preference');
  for (const s of list) {
    counts.total++;
    counts[s.review]++;
    if (s.truncated) counts.truncated++;
    if (s.unchanged) counts.unchanged++;
    for (const name of s.principles) names.set(name, (names.get(name) ?? 0) + 1);
    if (s.problem === undefined) continue;
    const chunkNo = Math.floor(s.index / chunkSize);
    const loss = losses.get(chunkNo) ?? { chunkNo, records: 0, reason: s.problem };
    loss.records++;
    losses.set(chunkNo, loss);
  }
  const judged = prefs.filter((s) => s.consistent !== null);
  const margins = prefs.filter((s) => s.margin !== null).map((s) => s.margin!);
  const figures = prefs.length === 0 ? undefined : {
    pairs: prefs.filter((s) => s.paired && s.review !== 'rejected').length,
    ...(judged.length ? { positionConsistency: judged.filter((s) => s.consistent).length / judged.length } : {}),
    ...(margins.length ? { meanMargin: margins.reduce((a, b) => a + b, 0) / margins.length } : {}),
  };
  const principles = [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  return { counts, figures, principles, kinds: new Set(list.map((s) => s.kind)), losses: [...losses.values()] };
}

/** Counts, preference figures (to rounding) and principles agree with the oracle's. */
function expectSameFigures(facts: TallyFacts, expected: ReturnType<typeof passes>) {
  expect(facts.counts).toEqual(expected.counts);
  expect(facts.figures!.pairs).toBe(expected.figures!.pairs);
  expect(facts.figures!.positionConsistency).toBeCloseTo(expected.figures!.positionConsistency!, 12);
  expect(facts.figures!.meanMargin).toBeCloseTo(expected.figures!.meanMargin!, 12);
  expect(facts.principles).toEqual(expected.principles);
}

describe('the summary tally', () => {
  it('adds batches to the same figures one pass over the whole list gives', () => {
    const list = mixed(2_000, 5);
    const tally = new SummaryTally(10);
    for (let from = 0; from < list.length; from += 300) tally.addAll(list.slice(from, from + 300));
    const facts = tally.facts();
    const expected = passes(list, 10);
    expectSameFigures(facts, expected);
    expect([...facts.kinds].sort()).toEqual([...expected.kinds].sort());
    expect(facts.losses).toEqual(expected.losses);
  });

  it('follows reviews one summary at a time, and an emptied figure goes away', () => {
    const list = mixed(500, 9);
    const tally = new SummaryTally(10);
    tally.addAll(list);
    const rng = new Random(2);
    const states = ['accepted', 'rejected', 'unreviewed'] as const;
    for (let k = 0; k < 300; k++) {
      const at = Math.floor(rng.next() * list.length);
      const old = list[at]!;
      if (old.problem !== undefined) continue;
      list[at] = { ...old, review: states[k % 3]! };
      tally.replace(old, list[at]!);
    }
    const facts = tally.facts();
    const expected = passes(list, 10);
    expectSameFigures(facts, expected);

    const one = new SummaryTally(10);
    const only = summarize(preference(0, 0.9, true));
    one.addAll([only]);
    one.replace(only, { ...only, kind: 'critique-revision', margin: null, consistent: null, paired: false });
    expect(one.facts().figures).toBeUndefined();
    expect([...one.facts().kinds]).toEqual(['critique-revision']);
  });
});
