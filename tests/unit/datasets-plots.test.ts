import { describe, expect, it } from 'vitest';
import { linear, niceStep, thin, tickLabel, ticks } from '../../src/components/plot-scale';
import { lengthBeforeAfter, marginHistogram, principleUsage, throughput } from '../../src/core/dataset-stats';
import { datasetPlots } from '../../src/core/datasets/plots';
import { summarize } from '../../src/core/datasets/summary';
import { ownRecords } from '../../src/core/recipes/index';
import type { RunRecord } from '../../src/core/run';
import { critique, preference, round } from './datasets-fixtures';

const records: RunRecord[] = [
  critique(0),
  critique(1, { review: { state: 'edited', editedText: 'a much longer edited answer than the model wrote, with many more words in it' } }),
  critique(2, { rounds: [round('Honest', 'x'), round('Honest', 'y')] }),
  critique(3, { usage: { promptTokens: 0, completionTokens: 0, ms: 0 } }),
  preference(4, 0.9, true),
  preference(5, 0.55, false),
  preference(6, null, null),
];
const summaries = records.map((r) => summarize(r));

describe('dataset plots from summaries', () => {
  it('match dataset-stats on the full records', () => {
    const plots = datasetPlots(summaries);
    expect(plots.lengths).toEqual(lengthBeforeAfter(ownRecords('critique-revision', records)));
    expect(plots.principles).toEqual(principleUsage(records).map((p) => ({ name: p.name, count: p.count })));
    expect(plots.margins).toEqual(marginHistogram(ownRecords('preference', records)));
    expect(plots.consistency!.map((c) => c.count)).toEqual([1, 1, 1]);
    expect(plots.throughput).toEqual(throughput(records));
  });

  it('leave out what a dataset has no data for', () => {
    const only = datasetPlots(summaries.slice(0, 2));
    expect(only.margins).toBeNull();
    expect(only.consistency).toBeNull();
    expect(datasetPlots([])).toEqual({ lengths: null, principles: [], margins: null, consistency: null, throughput: null });
  });
});

describe('plot scales', () => {
  it('map linearly, and a flat domain to the middle', () => {
    expect(linear([0, 10], [100, 200])(5)).toBe(150);
    expect(linear([0, 10], [200, 100])(10)).toBe(100);
    expect(linear([3, 3], [0, 10])(3)).toBe(5);
  });

  it('give round ticks that end at or above the maximum', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(ticks(95, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(1, 4)).toEqual([0, 0.5, 1]);
    expect(ticks(0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(tickLabel(1500)).toBe('1.5k');
    expect(tickLabel(2_000_000)).toBe('2M');
    expect(tickLabel(0.25)).toBe('0.25');
    expect(thin([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
  });
});
