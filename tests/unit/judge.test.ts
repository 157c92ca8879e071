import { describe, expect, it, vi } from 'vitest';
import {
  clamp, combineOrders, labelOf, letterGrammar, letterOfToken, letterProbabilities, meanOf, orderPA, orderWinner,
  parseTopLogprobs, renormalise, scoreThenConstrain, verdictOf,
} from '../../src/core/judge';
import type { OrderJudgement, PrincipleJudgement } from '../../src/core/recipes/preference/types';
import { tops } from '../support/logprob-engine';

const cost = { forwardPasses: 1, decodeTokens: 1, promptTokens: 0, ms: 0 };

function order(candidateShownAsA: 0 | 1, pA: number | null, chosen?: 'A' | 'B'): OrderJudgement {
  return {
    candidateShownAsA,
    form: 'raw',
    method: pA === null ? 'constrained' : 'logprobs',
    letterProbabilities: pA === null ? [null, null] : [pA, 1 - pA],
    top: [],
    pA,
    cost,
    ...(chosen ? { chosen } : {}),
  };
}

function principle(forwardPA: number | null, swappedPA: number | null, letters: ['A' | 'B' | undefined, 'A' | 'B' | undefined] = [undefined, undefined]): PrincipleJudgement {
  const orders: [OrderJudgement, OrderJudgement] = [order(0, forwardPA, letters[0]), order(1, swappedPA, letters[1])];
  return { principleId: 'p', principleName: 'P', comparison: 'q', orders, ...combineOrders(orders) };
}

describe('reading letters out of top alternatives', () => {
  it('recognises the spellings of a letter a tokeniser produces, and nothing else', () => {
    for (const t of ['A', ' A', 'A ', '(A', 'A)', '(A)', '**A', 'A.', '\nA']) expect(letterOfToken(t)).toBe('A');
    for (const t of ['a', 'An', 'Apple', 'AB', '(', ' ', '']) expect(letterOfToken(t)).toBeNull();
  });

  it('sums the spellings both letters have, and reports a missing letter as null, not 0', () => {
    const probs = letterProbabilities(tops({ A: 0.3, ' A': 0.1, B: 0.2, ' B': 0.05, The: 0.3, a: 0.05 }), ['A', 'B']);
    expect(probs[0]).toBeCloseTo(0.4, 10);
    expect(probs[1]).toBeCloseTo(0.25, 10);
    // " B" listed but " A" cut off: counting " B" alone would favour B for no reason.
    const cut = letterProbabilities(tops({ A: 0.3, B: 0.2, ' B': 0.1, The: 0.4 }), ['A', 'B']);
    expect(cut[0]).toBeCloseTo(0.3, 10);
    expect(cut[1]).toBeCloseTo(0.2, 10);
    expect(letterProbabilities(tops({ A: 0.5, I: 0.5 }), ['A', 'B'])).toEqual([expect.closeTo(0.5, 10), null]);
  });

  it('parses both logprob shapes the engines return and drops non-finite values', () => {
    const chat = { content: [{ token: 'A', logprob: -0.1, top_logprobs: [{ token: 'A', logprob: -0.1 }, { token: 'B', logprob: -Infinity }, { token: 'C', logprob: null }] }] };
    expect(parseTopLogprobs(chat)).toEqual([{ token: 'A', logprob: -0.1 }]);
    expect(parseTopLogprobs({ top_logprobs: [{ A: -0.2, ' B': -1.5 }] })).toEqual([
      { token: 'A', logprob: -0.2 },
      { token: ' B', logprob: -1.5 },
    ]);
    expect(parseTopLogprobs(null)).toEqual([]);
    expect(parseTopLogprobs({ content: null })).toEqual([]);
  });

  it('writes a grammar that allows exactly the options', () => {
    expect(letterGrammar(['A', 'B'])).toBe('root ::= "A" | "B"');
  });
});

describe('judge maths', () => {
  it('renormalises P(A) over the two letters', () => {
    expect(renormalise(0.3, 0.1)).toBeCloseTo(0.75, 10);
    expect(renormalise(0.02, 0.06)).toBeCloseTo(0.25, 10);
    // One letter below the cut-off: its share is taken as 0.
    expect(renormalise(0.4, null)).toBe(1);
    expect(renormalise(null, 0.4)).toBe(0);
    expect(renormalise(null, null)).toBeNull();
    expect(renormalise(0, 0)).toBeNull();
  });

  it('clamps chain-of-thought probabilities to 40–60% and leaves plain ones alone', () => {
    expect(clamp(0.99, [0.4, 0.6])).toBe(0.6);
    expect(orderPA([0.99, 0.01], 'cot')).toBe(0.6);
    expect(orderPA([0.01, 0.99], 'cot')).toBe(0.4);
    expect(orderPA([0.55, 0.45], 'cot')).toBeCloseTo(0.55, 10);
    expect(orderPA([0.99, 0.01], 'plain')).toBeCloseTo(0.99, 10);
    expect(orderPA([null, null], 'cot')).toBeNull();
  });

  it('maps each order back to a candidate', () => {
    expect(orderWinner(order(0, 0.8))).toBe(0);
    expect(orderWinner(order(1, 0.8))).toBe(1);
    expect(orderWinner(order(1, 0.2))).toBe(0);
    expect(orderWinner(order(0, 0.5))).toBeNull();
    expect(orderWinner(order(1, null, 'A'))).toBe(1);
    expect(orderWinner(order(1, null))).toBeNull();
  });

  it('averages the two orders into P(answer 1 better), so a pure position bias cancels out', () => {
    // Answer 1 is preferred in both orders: 0.8 as (A); as (B) it gets 1 − 0.3 = 0.7.
    expect(principle(0.8, 0.3)).toMatchObject({ pAnswer1: expect.closeTo(0.75, 10), consistent: true });
    // Always (A): the orders disagree and the label lands on one half.
    expect(principle(0.9, 0.9)).toMatchObject({ pAnswer1: expect.closeTo(0.5, 10), consistent: false });
    // One order lost its probability: the other stands alone, and consistency is unknown.
    expect(principle(0.8, null)).toMatchObject({ pAnswer1: expect.closeTo(0.8, 10), consistent: null });
    expect(principle(0.8, null, [undefined, 'B'])).toMatchObject({ consistent: true });
  });

  it('ensembles principles by the mean of their labels', () => {
    const label = labelOf([principle(0.9, 0.1), principle(0.6, 0.4), principle(null, null)], 0.05);
    expect(label.pAnswer1).toBeCloseTo(0.75, 10);
    expect(label).toMatchObject({ verdict: 'answer1', basis: 'probabilities' });
    expect(meanOf([null, null])).toBeNull();
  });

  it('calls a label within the tie margin of one half a tie', () => {
    expect(verdictOf(0.53, 0.05)).toBe('tie');
    expect(verdictOf(0.47, 0.05)).toBe('tie');
    expect(verdictOf(0.56, 0.05)).toBe('answer1');
    expect(verdictOf(0.44, 0.05)).toBe('answer2');
    expect(verdictOf(0.5, 0)).toBe('tie');
    expect(verdictOf(0.501, 0)).toBe('answer1');
    expect(verdictOf(null, 0.05)).toBe('undecided');
  });

  it('with no probability at all, counts the fallback letters but never invents a soft label', () => {
    const agreeing = labelOf([principle(null, null, ['B', 'A'])], 0.05);
    expect(agreeing).toEqual({ pAnswer1: null, verdict: 'answer2', basis: 'letters' });
    const biased = labelOf([principle(null, null, ['A', 'A'])], 0.05);
    expect(biased).toEqual({ pAnswer1: null, verdict: 'tie', basis: 'letters' });
    expect(labelOf([principle(null, null)], 0.05)).toEqual({ pAnswer1: null, verdict: 'undecided', basis: 'none' });
  });
});

describe('score, then constrain only when needed', () => {
  const usage = { promptTokens: 10, completionTokens: 1 };

  it('returns the letters’ probabilities from one pass when a letter is listed', async () => {
    const constrain = vi.fn();
    const result = await scoreThenConstrain(['A', 'B'], 'raw', async () => ({ top: tops({ A: 0.6, B: 0.3 }), ...usage }), constrain, () => 0);
    expect(constrain).not.toHaveBeenCalled();
    expect(result).toMatchObject({ method: 'logprobs', form: 'raw', forwardPasses: 1 });
    expect(result.probabilities[0]).toBeCloseTo(0.6, 10);
    expect(result.chosen).toBeUndefined();
  });

  it('falls back to one constrained letter, keeping the probabilities null', async () => {
    const top = tops({ The: 0.5, I: 0.3 });
    const result = await scoreThenConstrain(['A', 'B'], 'chat', async () => ({ top, ...usage }), async () => ({ text: 'B', ...usage }), () => 0);
    expect(result).toMatchObject({ method: 'constrained', probabilities: [null, null], chosen: 'B', top, forwardPasses: 2, completionTokens: 2 });
  });

  it('leaves `chosen` out when even the fallback produced no option', async () => {
    const result = await scoreThenConstrain(['A', 'B'], 'chat', async () => ({ top: [], ...usage }), async () => ({ text: 'Hmm', ...usage }), () => 0);
    expect(result.method).toBe('constrained');
    expect('chosen' in result).toBe(false);
  });
});
