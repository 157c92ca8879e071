/**
 * Contrastiveness of a pair: the word-level Levenshtein distance divided by the longer text's
 * length in words (0 = the same words, 1 = nothing kept). Words are compared as written, so a
 * changed punctuation mark or case counts as an edit, which is what a minimal revision is judged on.
 */

function words(text: string): string[] {
  const t = text.trim();
  return t ? t.split(/\s+/) : [];
}

/** Edit distance between two word lists, with one rolling row (memory O(min)). */
function levenshtein(a: readonly string[], b: readonly string[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

export function editDistance(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 0 : levenshtein(x, y) / longest;
}

/** The middle value (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
