import { describe, expect, it } from 'vitest';
import { marginHistogram, suggestTieMargin } from '../../src/core/recipes/preference/margins';
import { verdictOf } from '../../src/core/judge';
import { emptyDownloadReason } from '../../src/core/run-health';

describe('when every comparison is a tie', () => {
  const margins = [0.004, 0.012, 0.02, 0.031, 0.049];

  it('bins the margins from 0 to 0.5', () => {
    expect(marginHistogram([...margins, 0.07, 0.5])).toEqual([5, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('suggests a tie margin that decides at least half, checked against the verdict rule', () => {
    const s = suggestTieMargin(margins)!;
    expect(s).toEqual({ margin: 0.02, decided: 3 });
    expect(margins.map((m) => verdictOf(0.5 + m, s.margin)).filter((v) => v !== 'tie')).toHaveLength(3);
    expect(suggestTieMargin([])).toBeNull();
    expect(suggestTieMargin([0, 0, 0.01])).toBeNull();
    expect(suggestTieMargin([0.00012, 0.0004, 0.003])).toEqual({ margin: 0.0004, decided: 2 });
  });

  it('a pairs download of a run with no pair is disabled with the reason', () => {
    expect(emptyDownloadReason({ recordCount: 4, pairedCount: 0 }, { needsPairs: true })).toMatch(/every comparison is a tie or undecided/);
    expect(emptyDownloadReason({ recordCount: 4, pairedCount: 0 }, {})).toBeNull();
    expect(emptyDownloadReason({ recordCount: 4 }, { needsPairs: true })).toBeNull(); // older run: unknown, left enabled
  });
});
