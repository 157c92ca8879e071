/**
 * Text similarity for prompt augmentation: ROUGE-L F-measure (longest common subsequence of word
 * tokens, as self-instruct filtering uses) and word n-gram Jaccard overlap. Texts are tokenised once
 * into integer ids, and a cheap upper bound skips most exact computations, so filtering a batch
 * against thousands of seeds and accepted prompts stays fast.
 */

export type SimilarityMetric = 'rouge-l' | 'jaccard';

export interface SimilarityOptions {
  metric: SimilarityMetric;
  /** Jaccard n-gram size (default 2). */
  n?: number;
}

/** LCS is O(n·m); longer texts are compared on their first MAX_TOKENS tokens. */
export const MAX_TOKENS = 2000;

/**
 * Lower-cased word tokens. Scripts written without spaces (Chinese, Japanese, Thai) are split
 * into single characters, so they compare by character instead of as one giant "word".
 */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}])[\p{L}\p{N}\p{M}])+/gu;

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Length of the longest common subsequence, with two rolling rows (memory O(m)). */
function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length < b.length) [a, b] = [b, a];
  const m = b.length;
  let prev = new Uint16Array(m + 1);
  let cur = new Uint16Array(m + 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    for (let j = 0; j < m; j++) {
      cur[j + 1] = ai === b[j] ? prev[j] + 1 : Math.max(prev[j + 1], cur[j]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m];
}

function rougeOfIds(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  // With equal weight on precision and recall, F = 2·LCS / (|a| + |b|).
  return (2 * lcsLength(a, b)) / (a.length + b.length);
}

function jaccardOfSets(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let both = 0;
  for (const g of small) if (large.has(g)) both++;
  return both / (a.size + b.size - both);
}

/** Word n-grams (falling back to shorter grams for texts shorter than n). */
function ngrams(tokens: readonly string[], n: number): Set<string> {
  const k = Math.max(1, Math.min(n, tokens.length));
  const grams = new Set<string>();
  for (let i = 0; i + k <= tokens.length; i++) grams.add(tokens.slice(i, i + k).join(' '));
  return grams;
}

/** ROUGE-L F-measure of two texts, in [0, 1]. */
export function rougeL(a: string, b: string): number {
  const ids = new Vocabulary();
  return rougeOfIds(ids.encode(tokenize(a)), ids.encode(tokenize(b)));
}

/** Jaccard overlap of the two texts' word n-grams, in [0, 1]. */
export function ngramJaccard(a: string, b: string, n = 2): number {
  return jaccardOfSets(ngrams(tokenize(a), n), ngrams(tokenize(b), n));
}

export function similarity(a: string, b: string, opts: SimilarityOptions): number {
  return opts.metric === 'rouge-l' ? rougeL(a, b) : ngramJaccard(a, b, opts.n ?? 2);
}

/** Maps tokens to small integers so the LCS inner loop compares numbers, not strings. */
class Vocabulary {
  private readonly ids = new Map<string, number>();
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(Math.min(tokens.length, MAX_TOKENS));
    for (let i = 0; i < out.length; i++) {
      let id = this.ids.get(tokens[i]);
      if (id === undefined) this.ids.set(tokens[i], (id = this.ids.size));
      out[i] = id;
    }
    return out;
  }
}

interface Entry {
  text: string;
  ids: Int32Array;
  /** The ids sorted: a merge gives the bag-of-words overlap, an upper bound on the LCS. */
  sorted: Int32Array;
  grams: Set<string>;
}

/** Size of the multiset intersection of two sorted id lists. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

export interface Nearest {
  score: number;
  /** Index in insertion order. */
  index: number;
  text: string;
}

/** Texts to compare new candidates against; candidates that pass can be added in turn. */
export class SimilarityIndex {
  private readonly vocab = new Vocabulary();
  private readonly entries: Entry[] = [];

  constructor(readonly opts: SimilarityOptions = { metric: 'rouge-l' }) {}

  get size(): number {
    return this.entries.length;
  }

  add(text: string): void {
    this.entries.push(this.entry(text));
  }

  /** The most similar stored text, or null when the index is empty. */
  nearest(text: string): Nearest | null {
    const probe = this.entry(text);
    let best: Nearest | null = null;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      // Skip texts that cannot beat the best so far (a cheap upper bound on each metric).
      if (best && this.bound(probe, e) <= best.score) continue;
      const score = this.score(probe, e);
      if (!best || score > best.score) best = { score, index: i, text: e.text };
      if (score === 1) break;
    }
    return best;
  }

  private entry(text: string): Entry {
    const tokens = tokenize(text);
    const ids = this.vocab.encode(tokens);
    const jaccard = this.opts.metric === 'jaccard';
    return {
      text,
      ids,
      sorted: jaccard ? ids : ids.slice().sort(),
      grams: jaccard ? ngrams(tokens, this.opts.n ?? 2) : new Set(),
    };
  }

  private bound(a: Entry, b: Entry): number {
    if (this.opts.metric === 'jaccard') {
      const [x, y] = [a.grams.size, b.grams.size];
      return x === 0 || y === 0 ? 1 : Math.min(x, y) / Math.max(x, y);
    }
    const [x, y] = [a.ids.length, b.ids.length];
    return x === 0 || y === 0 ? 1 : (2 * overlap(a.sorted, b.sorted)) / (x + y);
  }

  private score(a: Entry, b: Entry): number {
    return this.opts.metric === 'jaccard' ? jaccardOfSets(a.grams, b.grams) : rougeOfIds(a.ids, b.ids);
  }
}

export interface NearDuplicate {
  text: string;
  score: number;
  /** The seed/reference or earlier candidate it resembles. */
  similarTo: string;
}

/**
 * Keeps candidates whose similarity to every reference and every earlier kept candidate is below
 * `threshold`; the rest are returned as near-duplicates with the score that dropped them.
 */
export function nearDuplicates(
  candidates: readonly string[],
  references: readonly string[],
  threshold: number,
  opts: SimilarityOptions = { metric: 'rouge-l' },
): { kept: { text: string; score: number }[]; dropped: NearDuplicate[] } {
  const index = new SimilarityIndex(opts);
  for (const r of references) index.add(r);
  const kept: { text: string; score: number }[] = [];
  const dropped: NearDuplicate[] = [];
  for (const text of candidates) {
    const near = index.nearest(text);
    const score = near?.score ?? 0;
    if (near && score >= threshold) {
      dropped.push({ text, score, similarTo: near.text });
    } else {
      kept.push({ text, score });
      index.add(text);
    }
  }
  return { kept, dropped };
}
