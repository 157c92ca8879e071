import { describe, expect, it } from 'vitest';
import type { TopToken } from '../../src/core/engine';
import { LETTER_BIAS, letterLogitBias, letterProbabilities, renormalise } from '../../src/core/judge';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { judgeCheckSpec } from '../../src/core/recipes/judge-check/spec';
import { checkPair } from '../../src/core/recipes/judge-check/make';
import { LogprobEngine, tops } from '../support/logprob-engine';

/**
 * What WebLLM does with a scoring request: logits plus logit_bias, softmax at temperature 1, and
 * the 5 most likely tokens reported with their log-probabilities (token strings as decoded).
 */
function webLlmTop(table: string[], logits: number[], bias: Record<string, number>, k = 5): TopToken[] {
  const biased = logits.map((l, id) => l + (bias[String(id)] ?? 0));
  const max = Math.max(...biased);
  const logZ = max + Math.log(biased.reduce((s, l) => s + Math.exp(l - max), 0));
  return biased
    .map((l, id) => ({ token: table[id].replace(/^\u2581/, ' '), logprob: l - logZ }))
    .sort((a, b) => b.logprob - a.logprob)
    .slice(0, k);
}

/** The true P(A | A or B) over every spelling the bias lifts, from the unbiased logits. */
function trueShare(table: string[], logits: number[]): number {
  const mass = (letter: string) => table.reduce((s, t, id) => s + (t === letter || t === `\u2581${letter}` ? Math.exp(logits[id]) : 0), 0);
  return mass('A') / (mass('A') + mass('B'));
}

describe('WebLLM logit_bias on the letter tokens', () => {
  const table = ['The', '\u2581I', '\u2581It', 'Once', '\u2581The', '\u2581A', 'A', '\u2581B', 'B', '(A', '.', '\u2581a'];
  // Story words lead; the letters are far below the top 5, as with a small model that barely expects a letter.
  const logits = [6, 5.5, 5.2, 5, 4.8, -1.3, -2.9, -0.4, -3.6, -0.2, 4.5, 4];

  it('biases both letters in the shapes both have, and nothing else', () => {
    expect(letterLogitBias(table, ['A', 'B'])).toEqual({ 5: LETTER_BIAS, 6: LETTER_BIAS, 7: LETTER_BIAS, 8: LETTER_BIAS });
    // "(A" has no "(B" partner, so it is left alone; a letter with no shape at all gives no bias.
    expect(letterLogitBias(['\u2581A', 'B'], ['A', 'B'])).toEqual({});
    expect(letterLogitBias(['\u0120A', '\u0120B'], ['A', 'B'])).toEqual({ 0: LETTER_BIAS, 1: LETTER_BIAS });
  });

  it('leaves the renormalised P(A) unchanged while bringing the letters into the top 5', () => {
    const unbiased = webLlmTop(table, logits, {});
    expect(letterProbabilities(unbiased, ['A', 'B'])).toEqual([null, null]);
    const top = webLlmTop(table, logits, letterLogitBias(table, ['A', 'B']));
    const [pA, pB] = letterProbabilities(top, ['A', 'B']);
    expect(pA).not.toBeNull();
    expect(pB).not.toBeNull();
    expect(renormalise(pA, pB)).toBeCloseTo(trueShare(table, logits), 12);
    // The same holds for any bias size: only the common factor changes.
    const small = webLlmTop(table, logits, letterLogitBias(table, ['A', 'B'], 20));
    const [sA, sB] = letterProbabilities(small, ['A', 'B']);
    expect(renormalise(sA, sB)).toBeCloseTo(trueShare(table, logits), 12);
  });
});

describe('question order', () => {
  const sharedPrefix = (a: string, b: string) => {
    let n = 0;
    while (n < a.length && a[n] === b[n]) n++;
    return n;
  };

  it('asks every principle in one order, then in the other, so consecutive prompts share the longest prefix', async () => {
    const base = harmlessConstitution.principles[0];
    const constitution = { ...harmlessConstitution, principles: [1, 2, 3].map((i) => ({ ...base, id: `p${i}`, name: `P${i}`, comparison: `Which reply is better by rule ${i}?`, enabled: true })) };
    const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'j' };
    const spec = judgeCheckSpec({
      name: 'f', constitution, seed: 1,
      pairs: [{ shape: 'answers', prompt: 'Say something kind.', answerA: 'You did well today.', answerB: 'Whatever.', better: 0 }],
      judge: { model, principlesPerComparison: 3, mode: 'plain', tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 8 },
    });
    const engine = new LogprobEngine(() => tops({ A: 0.6, B: 0.4 }));
    const record = await checkPair(0, { runId: 'r', spec, engine });
    const prompts = engine.choices.map((c) => c.prompt as string);
    const shownFirst = prompts.map((p) => /Option \(A\):\n(.*)/.exec(p)![1]);
    expect(shownFirst).toEqual([0, 0, 0, 1, 1, 1].map((o) => [spec.source.pairs[0].answerA, spec.source.pairs[0].answerB][o]));
    // The record still keeps each principle's two orders together.
    expect(record.judgements.map((j) => j.orders.map((o) => o.candidateShownAsA))).toEqual([[0, 1], [0, 1], [0, 1]]);
    // New characters to prefill with a one-conversation cache: each prompt minus what it shares with the one before.
    const fresh = (list: string[]) => list.reduce((s, p, i) => s + p.length - (i ? sharedPrefix(p, list[i - 1]) : 0), 0);
    const interleaved = [0, 3, 1, 4, 2, 5].map((i) => prompts[i]);
    expect(fresh(prompts)).toBeLessThan(fresh(interleaved));
  });
});
