import { describe, expect, it } from 'vitest';
import { nearDuplicates, ngramJaccard, rougeL, SimilarityIndex, similarity, tokenize, type SimilarityOptions } from '../../src/core/similarity';
import { Random } from '../../src/core/random';

/** Textbook LCS, as an independent reference for the optimised one. */
function referenceLcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
  }
  return t[a.length][b.length];
}

function randomText(random: Random, words: string[], min: number, max: number): string {
  const n = min + random.int(max - min + 1);
  return Array.from({ length: n }, () => random.pick(words)).join(' ');
}

const WORDS = 'the a cat dog sat ran on under mat rug red blue quickly slowly and'.split(' ');

describe('tokenize', () => {
  it('lower-cases words and drops punctuation', () => {
    expect(tokenize("Hello, World! It's 2024.")).toEqual(['hello', 'world', 'it', 's', '2024']);
    expect(tokenize('Ünïcode café')).toEqual(['ünïcode', 'café']);
    expect(tokenize('')).toEqual([]);
  });

  it('splits scripts without spaces into characters', () => {
    expect(tokenize('我喜欢猫 and 犬')).toEqual(['我', '喜', '欢', '猫', 'and', '犬']);
    expect(tokenize('カタカナ')).toHaveLength(4);
  });
});

describe('ROUGE-L', () => {
  it('computes the F-measure from the longest common subsequence', () => {
    // LCS "the cat on the mat" = 5 of 6 and 6 tokens: F = 2·5 / 12.
    expect(rougeL('The cat sat on the mat.', 'the cat lay on the mat')).toBeCloseTo(10 / 12, 10);
    // LCS 2 ("a c") of lengths 3 and 4: F = 4 / 7.
    expect(rougeL('a b c', 'a c d e')).toBeCloseTo(4 / 7, 10);
    expect(rougeL('same words here', 'Same words, here!')).toBe(1);
    expect(rougeL('one two', 'three four')).toBe(0);
    expect(rougeL('', '')).toBe(1);
    expect(rougeL('', 'x')).toBe(0);
  });

  it('matches a reference LCS on random texts and is symmetric', () => {
    const random = new Random(1);
    for (let k = 0; k < 200; k++) {
      const a = randomText(random, WORDS, 0, 30);
      const b = randomText(random, WORDS, 0, 30);
      const [ta, tb] = [tokenize(a), tokenize(b)];
      const expected = ta.length + tb.length === 0 ? 1 : (2 * referenceLcs(ta, tb)) / (ta.length + tb.length);
      expect(rougeL(a, b)).toBeCloseTo(expected, 12);
      expect(rougeL(b, a)).toBeCloseTo(expected, 12);
    }
  });

  it('bounds the work on very long texts', () => {
    const random = new Random(2);
    const a = randomText(random, WORDS, 100_000, 100_000);
    const b = randomText(random, WORDS, 100_000, 100_000);
    const started = performance.now();
    const score = rougeL(a, b);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
  }, 30_000);
});

describe('n-gram Jaccard', () => {
  it('compares sets of word n-grams', () => {
    // Bigrams {a b, b c, c d} and {a b, b c, c e}: 2 shared of 4.
    expect(ngramJaccard('a b c d', 'a b c e')).toBe(0.5);
    // Unigrams {a, b, c, d} and {a, b, c, e}: 3 of 5.
    expect(ngramJaccard('a b c d', 'a b c e', 1)).toBe(0.6);
    expect(ngramJaccard('x', 'x')).toBe(1);
    expect(ngramJaccard('x', 'y z')).toBe(0);
    expect(ngramJaccard('', '')).toBe(1);
    expect(similarity('a b c d', 'a b c e', { metric: 'jaccard', n: 1 })).toBe(0.6);
  });
});

describe('SimilarityIndex and nearDuplicates', () => {
  it('finds the same nearest score as brute force (the pruning never hides a better match)', () => {
    for (const opts of [{ metric: 'rouge-l' }, { metric: 'jaccard', n: 2 }] as SimilarityOptions[]) {
      const random = new Random(3);
      const stored = Array.from({ length: 300 }, () => randomText(random, WORDS, 1, 25));
      const index = new SimilarityIndex(opts);
      stored.forEach((s) => index.add(s));
      for (let k = 0; k < 50; k++) {
        const probe = randomText(random, WORDS, 1, 25);
        const best = Math.max(...stored.map((s) => similarity(probe, s, opts)));
        const near = index.nearest(probe);
        expect(near?.score).toBeCloseTo(best, 12);
        expect(similarity(probe, near!.text, opts)).toBeCloseTo(best, 12);
      }
    }
  });

  it('drops candidates at or above the threshold against references and earlier kept ones', () => {
    const refs = ['How do I bake sourdough bread at home?'];
    const candidates = [
      'How do I bake sourdough bread at home quickly?',
      'What is the capital of Mongolia?',
      'what is the capital of mongolia',
      'Explain how vaccines train the immune system.',
    ];
    const { kept, dropped } = nearDuplicates(candidates, refs, 0.7);
    expect(kept.map((k) => k.text)).toEqual([candidates[1], candidates[3]]);
    expect(dropped.map((d) => [d.text, d.similarTo])).toEqual([
      [candidates[0], refs[0]],
      [candidates[2], candidates[1]],
    ]);
    expect(dropped[0].score).toBeCloseTo(rougeL(candidates[0], refs[0]), 12);
    expect(dropped[1].score).toBe(1);
    expect(kept[0].score).toBeLessThan(0.7);
  });

  it('lets the threshold decide', () => {
    const refs = ['write a short poem about the sea'];
    const cand = ['write a short poem about the mountains'];
    const score = rougeL(refs[0], cand[0]);
    expect(nearDuplicates(cand, refs, score).kept).toHaveLength(0);
    expect(nearDuplicates(cand, refs, score + 0.01).kept).toHaveLength(1);
    expect(nearDuplicates(cand, refs, 0.3, { metric: 'jaccard' }).kept).toHaveLength(0);
    expect(nearDuplicates(cand, refs, 0.9, { metric: 'jaccard' }).kept).toHaveLength(1);
  });

  it('filters a batch against thousands of prompts quickly', () => {
    const random = new Random(4);
    const vocab = Array.from({ length: 3000 }, (_, i) => `w${i}`);
    const refs = Array.from({ length: 3000 }, () => randomText(random, vocab, 8, 30));
    const candidates = Array.from({ length: 200 }, () => randomText(random, vocab, 8, 30));
    const started = performance.now();
    const { kept } = nearDuplicates(candidates, refs, 0.7);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(kept.length).toBeGreaterThan(190);
  }, 30_000);
});
