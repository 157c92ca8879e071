import { describe, expect, it } from 'vitest';
import { preferenceFigures, reviewCounts, textLength } from '../../src/core/dataset-stats';
import { NO_FILTER, filterPositions, isFiltering, recordMatches, summaryCounts, summaryFigures } from '../../src/core/datasets/filter';
import { principleCounts } from '../../src/core/datasets/plots';
import { NameLists, TITLE_CHARS, summarize, unreadableSummary } from '../../src/core/datasets/summary';
import { countWords } from '../../src/core/text';
import { Random } from '../../src/core/random';
import { ownRecords } from '../../src/core/recipes/index';
import { backTranslate, critique, preference, round, selfInstruct } from './datasets-fixtures';

describe('record summaries', () => {
  it('summarise a critique record: title, principles, lengths, review', () => {
    const r = critique(1, { review: { state: 'edited', editedText: 'my own three words' }, rounds: [round('Harmless', 'x', 'length'), round('Honest', 'y')] });
    const s = summarize(r);
    expect(s).toMatchObject({
      index: 1, id: 'run:1', kind: 'critique-revision', title: 'Prompt number 1 about gardens', review: 'edited', principles: ['Harmless', 'Honest'],
      margin: null, consistent: null, paired: false, failed: false, truncated: true, unchanged: false, lengthBefore: 3, lengthAfter: 4,
    });
    expect(summarize(critique(2, { final: ' first answer 2 ' })).unchanged).toBe(true);
    expect(summarize(critique(3, { error: 'too long' })).failed).toBe(true);
  });

  it('summarise preference, self-instruct and back-translation records', () => {
    expect(summarize(preference(0, 0.9, true))).toMatchObject({ kind: 'preference', principles: ['Helpful'], consistent: true, paired: true, lengthBefore: -1 });
    expect(summarize(preference(0, 0.9, true)).margin).toBeCloseTo(0.8);
    expect(summarize(preference(1, 0.5, null))).toMatchObject({ paired: false, consistent: null, margin: 0 });
    expect(summarize(selfInstruct(4))).toMatchObject({ kind: 'self-instruct', title: 'Batch 5 · cooking', truncated: true });
    expect(summarize(backTranslate(2))).toMatchObject({ kind: 'back-translate', title: 'Original 2', truncated: false });
  });

  it('cut long titles and share equal principle lists', () => {
    const long = summarize(critique(0, { prompt: 'x'.repeat(500) }));
    expect(long.title).toHaveLength(TITLE_CHARS);
    expect(long.title.endsWith('…')).toBe(true);
    const names = new NameLists();
    expect(summarize(critique(1), names).principles).toBe(summarize(critique(3), names).principles);
    expect(unreadableSummary(7, 'bad').failed).toBe(true);
  });

  it('count words exactly as textLength does', () => {
    const rng = new Random(3);
    const alphabet = ['a', 'b', ' ', '\n', '\t', '\u00a0', '\u2003', '\u3000', 'é', '😀', '\ufeff', '\u200b'];
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: Math.floor(rng.next() * 30) }, () => alphabet[Math.floor(rng.next() * alphabet.length)]).join('');
      expect(countWords(text), JSON.stringify(text)).toBe(textLength(text, 'words'));
    }
  });
});

describe('filters', () => {
  const records = [
    critique(0, { review: { state: 'accepted' } }),
    critique(1, { review: { state: 'rejected' } }),
    critique(2, { review: { state: 'edited', editedText: 'mine' } }),
    critique(3),
    preference(4, 0.95, true),
    preference(5, 0.6, false),
    preference(6, null, null, { review: { state: 'rejected' } }),
  ];
  const summaries = records.map((r) => summarize(r));
  const indexes = (positions: number[]) => positions.map((p) => summaries[p]!.index);

  it('pass everything without a filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(indexes(filterPositions(summaries, NO_FILTER))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('filter by review state, principle, margin, consistency and text matches', () => {
    const f = (patch: Partial<typeof NO_FILTER>, text: Set<number> | null = null) => indexes(filterPositions(summaries, { ...NO_FILTER, ...patch }, text));
    expect(f({ review: 'rejected' })).toEqual([1, 6]);
    expect(f({ review: 'unreviewed' })).toEqual([3, 4, 5]);
    expect(f({ principle: 'Harmless' })).toEqual([1, 3]);
    expect(f({ minMargin: 0.5 })).toEqual([4]);
    expect(f({ maxMargin: 0.5 })).toEqual([5]);
    expect(f({ consistency: 'inconsistent' })).toEqual([5]);
    expect(f({ consistency: 'unknown' })).toEqual([6]);
    expect(f({ review: 'unreviewed' }, new Set([3, 5, 6]))).toEqual([3, 5]);
  });

  it('list principles by use and search record texts', () => {
    expect(principleCounts(summaries).map((c) => c.name)).toEqual(['Helpful', 'Harmless', 'Honest']); // most used first, ties by name
    expect(recordMatches(records[2]!, 'mine')).toBe(true);
    expect(recordMatches(records[0]!, 'better answer number 0')).toBe(true);
    expect(recordMatches(records[4]!, 'answer two 4')).toBe(true);
    expect(recordMatches(records[4]!, 'gardens')).toBe(false);
    expect(recordMatches(selfInstruct(0), 'boil an egg')).toBe(true);
    expect(recordMatches(backTranslate(0), 'paraphrase 0')).toBe(true);
  });

  it('count and figure as dataset-stats does on the full records', () => {
    expect(summaryCounts(summaries)).toEqual(reviewCounts(records));
    expect(summaryFigures(summaries)).toEqual(preferenceFigures(ownRecords('preference', records)));
    expect(summaryFigures(summaries.slice(0, 4))).toBeUndefined();
  });
});
