/**
 * How varied a set of prompts is: distinct n-grams (unique over total, across the set) and the
 * mean similarity of pairs (the same measure the near-duplicate filter uses). Higher distinct-n and
 * lower mean similarity mean a more varied set.
 */
import { similarity, tokenize, type SimilarityOptions } from '../../similarity';

export interface Diversity {
  count: number;
  distinct1: number | null;
  distinct2: number | null;
  /** Mean pairwise similarity over at most `MAX_TEXTS` texts; null with fewer than two. */
  meanSimilarity: number | null;
}

/** Pairs grow with the square of the count: the mean is taken over the first texts only. */
export const MAX_TEXTS = 150;

function distinct(tokenLists: readonly string[][], n: number): number | null {
  const seen = new Set<string>();
  let total = 0;
  for (const tokens of tokenLists) {
    for (let i = 0; i + n <= tokens.length; i++) {
      seen.add(tokens.slice(i, i + n).join(' '));
      total++;
    }
  }
  return total ? seen.size / total : null;
}

export function diversity(texts: readonly string[], opts: SimilarityOptions = { metric: 'rouge-l' }): Diversity {
  const tokenLists = texts.map(tokenize);
  const sample = texts.slice(0, MAX_TEXTS);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < sample.length; i++) {
    for (let j = i + 1; j < sample.length; j++) {
      sum += similarity(sample[i], sample[j], opts);
      pairs++;
    }
  }
  return { count: texts.length, distinct1: distinct(tokenLists, 1), distinct2: distinct(tokenLists, 2), meanSimilarity: pairs ? sum / pairs : null };
}
