/**
 * Seeded train/test split. A record's side depends only on (seed, record id), never on the order
 * records arrive in, so re-exporting a dataset, or the same records merged into another, gives the
 * same test set, and a model is never evaluated on rows it was trained on.
 */
import { hash32 } from '../dedupe';
import { Random } from '../random';

export type SplitName = 'train' | 'test';

export interface SplitOptions {
  seed: number;
  /** Share of records in the test split, in [0, 1]. */
  testRatio: number;
}

function checkRatio(testRatio: number): void {
  if (!(testRatio >= 0 && testRatio <= 1)) throw new RangeError(`testRatio must be in [0, 1], got ${testRatio}`);
}

/** The record's draw in [0, 1): a per-id stream of the project's PRNG. */
export function splitKey(id: string, seed: number): number {
  return Random.forItem(seed, hash32(id)).next();
}

/**
 * Side of one record decided on its own (a coin weighted by testRatio). Use it when records stream
 * past once and cannot be counted first; the test share is then only about testRatio.
 */
export function splitSide(id: string, { seed, testRatio }: SplitOptions): SplitName {
  checkRatio(testRatio);
  return splitKey(id, seed) < testRatio ? 'test' : 'train';
}

/**
 * Ids of the test split with an exact size: the round(n × testRatio) ids with the lowest draws.
 * With at least two ids and a ratio strictly between 0 and 1, both splits get at least one id, so
 * a small dataset never yields an empty file that a trainer would choke on.
 */
export function testIds(ids: readonly string[], { seed, testRatio }: SplitOptions): Set<string> {
  checkRatio(testRatio);
  const unique = [...new Set(ids)];
  let size = Math.round(unique.length * testRatio);
  if (unique.length >= 2 && testRatio > 0 && testRatio < 1) size = Math.min(Math.max(size, 1), unique.length - 1);
  const keyed = unique.map((id) => ({ id, key: splitKey(id, seed) }));
  // Ties between equal draws are broken by id so the result never depends on input order.
  keyed.sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new Set(keyed.slice(0, size).map((k) => k.id));
}

/** Splits items (in input order within each side) with the exact-size rule of `testIds`. */
export function splitItems<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  options: SplitOptions,
): { train: T[]; test: T[] } {
  const test = testIds(items.map(idOf), options);
  const out = { train: [] as T[], test: [] as T[] };
  for (const item of items) (test.has(idOf(item)) ? out.test : out.train).push(item);
  return out;
}

/** The two halves of the prompts in Hugging Face's CAI layout: SFT rows and preference rows. */
export type Half = 'sft' | 'prefs';

/**
 * The half a prompt belongs to, by its text (trimmed), so records that share a prompt (a merged
 * dataset) always land in the same half and no prompt is in both.
 */
export function promptHalf(prompt: string, seed: number): Half {
  return Random.forItem(seed, hash32(`half:${prompt.trim()}`)).next() < 0.5 ? 'sft' : 'prefs';
}
