/**
 * Drops exact and near duplicates from a dataset (after a merge, or from a model that repeats
 * itself). Exact: the same prompt and answer after normalising case, width and spacing.
 * Near: word n-gram ("shingle") sets whose Jaccard similarity reaches a threshold.
 *
 * Comparing every pair is O(n²), hopeless at 100k records, so near duplicates are found with
 * MinHash signatures and locality-sensitive hashing: only records sharing a band of their
 * signature are compared, and each candidate is then checked with the exact Jaccard of its
 * shingles, so the estimate never drops a record on its own.
 */
import { effectiveFinal, isExcluded } from './formats/review';
import type { CritiqueRecord } from './recipes/critique-revision/types';

export interface DedupeOptions {
  /** Jaccard similarity at or above which two records are near duplicates (0..1]; default 0.8. */
  threshold?: number;
  /** Words per shingle; default 3. */
  shingleSize?: number;
  /** Set false to drop exact duplicates only. */
  near?: boolean;
}

export interface Duplicate {
  /** Position of the dropped item in the input. */
  index: number;
  /** Position of the kept item it duplicates. */
  of: number;
  kind: 'exact' | 'near';
  similarity: number;
}

/** FNV-1a over UTF-16 code units with a final avalanche; a stable 32-bit hash for ids and keys. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return avalanche(h);
}

function avalanche(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Case, Unicode width forms and runs of white space do not make two texts different. */
export function normalizeText(text: string): string {
  // NFKC is the costliest step and cannot change pure ASCII, which most answers are.
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKC') : text;
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Hashed word n-grams of each part, sorted and unique; shingles never span two parts (e.g. prompt
 * and answer). A sorted typed array rather than a Set: 32-bit hashes are not small integers to V8,
 * so a Set would box every one, and the merge in `jaccard` needs no lookups.
 */
export function shingles(parts: readonly string[], size = 3): Uint32Array {
  return shinglesOfNormalized(parts.map(normalizeText), size);
}

/** Each word is hashed once and a shingle's hash chains its words' hashes, with no joined strings. */
function shinglesOfNormalized(parts: readonly string[], size: number): Uint32Array {
  const hashes: number[] = [];
  parts.forEach((part, p) => {
    const words = (part.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => hash32(w, p));
    // A text shorter than one shingle still needs a fingerprint, or it would match nothing.
    const last = Math.max(words.length - size, words.length > 0 ? 0 : -1);
    for (let i = 0; i <= last; i++) {
      let h = words[i]!;
      for (let j = 1; j < size && i + j < words.length; j++) h = avalanche(Math.imul(h, 0x9e3779b1) ^ words[i + j]!);
      hashes.push(h);
    }
  });
  const sorted = Uint32Array.from(hashes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** Jaccard similarity of two sorted, unique hash lists (as `shingles` returns). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (shared++, i++, j++);
    else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

const NUM_HASHES = 64;

/** Bands × rows = NUM_HASHES. More bands catch lower similarities at the cost of more candidates. */
function bandsFor(threshold: number): { bands: number; rows: number } {
  // The LSH curve's midpoint is about (1/bands)^(1/rows); pick the steepest layout whose midpoint
  // sits well below the threshold, so pairs at the threshold are found with near certainty.
  for (const rows of [8, 4, 2]) {
    const bands = NUM_HASHES / rows;
    if (Math.pow(1 / bands, 1 / rows) <= threshold - 0.2) return { bands, rows };
  }
  return { bands: NUM_HASHES, rows: 1 };
}

const BIN_SHIFT = 32 - Math.log2(NUM_HASHES);
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
const EMPTY = 0xffffffff;

/**
 * MinHash signature by one-permutation hashing: each shingle hash goes to one of NUM_HASHES bins
 * by its top bits and each bin keeps its smallest value. That costs one step per shingle instead
 * of NUM_HASHES (the classic scheme took most of the time at 100k records). Empty bins borrow the
 * next filled bin's value, shifted by the distance ("rotation" densification), so two sets still
 * agree in a bin with probability close to their Jaccard similarity.
 */
function minhash(set: Uint32Array): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(EMPTY);
  for (let k = 0; k < set.length; k++) {
    const x = set[k]!;
    const bin = x >>> BIN_SHIFT;
    const value = x & VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  }
  if (set.length === 0) return sig;
  const filled = sig.slice();
  for (let i = 0; i < NUM_HASHES; i++) {
    if (filled[i] !== EMPTY) continue;
    let d = 1;
    while (filled[(i + d) % NUM_HASHES] === EMPTY) d++;
    // The distance goes in the top bits, which real values leave at zero, so a borrowed value never equals a real one.
    sig[i] = (filled[(i + d) % NUM_HASHES]! + d * (VALUE_MASK + 1)) >>> 0;
  }
  return sig;
}

/** Keys of each band; the band number is mixed in so equal values in different bands do not meet. */
function bandKeys(sig: Uint32Array, bands: number, rows: number): number[] {
  const keys: number[] = [];
  for (let b = 0; b < bands; b++) {
    let h = avalanche(b + 0x9e3779b9);
    for (let r = 0; r < rows; r++) h = avalanche(h ^ sig[b * rows + r]!);
    keys.push(h);
  }
  return keys;
}

/** Map of key → kept positions; a single position is stored bare since most buckets hold one. */
class Buckets {
  private map = new Map<number, number | number[]>();
  get(key: number): readonly number[] {
    const v = this.map.get(key);
    return v === undefined ? [] : typeof v === 'number' ? [v] : v;
  }
  add(key: number, index: number): void {
    const v = this.map.get(key);
    if (v === undefined) this.map.set(key, index);
    else if (typeof v === 'number') this.map.set(key, [v, index]);
    else v.push(index);
  }
}

/**
 * Visits items one at a time (the first of each group is kept); `dropped` lists the duplicates
 * found so far. findDuplicates runs it in one go; findDuplicatesInSlices pauses between slices.
 */
function duplicateFinder<T>(items: readonly T[], partsOf: (item: T) => readonly string[], options: DedupeOptions) {
  const { threshold = 0.8, shingleSize = 3, near = true } = options;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  const { bands, rows } = bandsFor(threshold);
  const exact = new Buckets();
  const lsh = new Buckets();
  const normalized = (i: number): string[] => partsOf(items[i]!).map(normalizeText);
  // Kept items are compared again and again when many share bands (templated texts): their
  // shingles are made once, not once per comparison (that made 3,000 such records take minutes).
  const keptShingles = new Map<number, Uint32Array>();
  const shinglesOfKept = (j: number): Uint32Array => keptShingles.get(j) ?? shinglesOfNormalized(normalized(j), shingleSize);
  const dropped: Duplicate[] = [];
  const visit = (i: number): void => {
    const norm = normalized(i);
    const key = norm.join('\u0000');
    const hash = hash32(key);
    // The hash only finds candidates; the normalised texts decide, so a collision drops nothing.
    const same = exact.get(hash).find((j) => normalized(j).join('\u0000') === key);
    if (same !== undefined) {
      dropped.push({ index: i, of: same, kind: 'exact', similarity: 1 });
      return;
    }
    if (near) {
      const set = shinglesOfNormalized(norm, shingleSize);
      const keys = bandKeys(minhash(set), bands, rows);
      const match = nearestKept(keys, lsh, set, shinglesOfKept, threshold);
      if (match) {
        dropped.push({ index: i, of: match.index, kind: 'near', similarity: match.similarity });
        return;
      }
      for (const k of keys) lsh.add(k, i);
      keptShingles.set(i, set);
    }
    exact.add(hash, i);
  };
  return { visit, dropped };
}

/**
 * The duplicates among `items`, visited in `order` (default: input order), where the first of each
 * group is kept. `partsOf` gives the texts that define an item, e.g. [prompt, answer].
 */
export function findDuplicates<T>(
  items: readonly T[],
  partsOf: (item: T) => readonly string[],
  options: DedupeOptions = {},
  order: readonly number[] = items.map((_, i) => i),
): Duplicate[] {
  const finder = duplicateFinder(items, partsOf, options);
  for (const i of order) finder.visit(i);
  return finder.dropped;
}

/**
 * The same result as findDuplicates, awaiting `pause()` whenever `sliceMs` have passed since the
 * last one, so a worker deduplicating 200,000 records (or a few thousand that all look alike, where
 * one item costs far more than usual) still answers other calls and its supervisor's heartbeat.
 */
export async function findDuplicatesInSlices<T>(
  items: readonly T[],
  partsOf: (item: T) => readonly string[],
  options: DedupeOptions,
  order: readonly number[],
  pause: () => Promise<unknown>,
  sliceMs = 25,
  now: () => number = () => performance.now(),
): Promise<Duplicate[]> {
  const finder = duplicateFinder(items, partsOf, options);
  let since = now();
  for (const i of order) {
    finder.visit(i);
    if (now() - since >= sliceMs) {
      await pause();
      since = now();
    }
  }
  await pause();
  return finder.dropped;
}

/** The first kept item sharing a band whose exact similarity reaches the threshold. */
function nearestKept(
  keys: readonly number[],
  lsh: Buckets,
  set: Uint32Array,
  shinglesOf: (j: number) => Uint32Array,
  threshold: number,
): { index: number; similarity: number } | null {
  const seen = new Set<number>();
  for (const k of keys) {
    for (const j of lsh.get(k)) {
      if (seen.has(j)) continue;
      seen.add(j);
      const similarity = jaccard(set, shinglesOf(j));
      if (similarity >= threshold) return { index: j, similarity };
    }
  }
  return null;
}

export interface RecordDuplicate extends Duplicate {
  id: string;
  ofId: string;
}

/**
 * Records without duplicates, in input order. A record is defined by its prompt and the answer it
 * would export (review edits included). Records the reviewer did not reject are visited first, so
 * when a rejected and a kept record duplicate each other the kept one survives.
 */
export function dedupeRecords<T extends CritiqueRecord>(
  records: readonly T[],
  options: DedupeOptions = {},
): { kept: T[]; dropped: RecordDuplicate[] } {
  const order = records.map((_, i) => i);
  order.sort((a, b) => Number(isExcluded(records[a]!)) - Number(isExcluded(records[b]!)) || a - b);
  const found = findDuplicates(records, (r) => [r.prompt, effectiveFinal(r)], options, order);
  const gone = new Set(found.map((d) => d.index));
  return {
    kept: records.filter((_, i) => !gone.has(i)),
    dropped: found.map((d) => ({ ...d, id: records[d.index]!.id, ofId: records[d.of]!.id })),
  };
}
