/**
 * The model loaded last, remembered so the next visit can load it again from the browser's cache
 * (pure: the page stores the text, the worker lists the cache).
 */
import { readerFor } from '../schema/validate';
import { readModelRef, type ModelRef } from './index';

/** Reads a remembered model reference; anything unreadable (an older version, damage) is forgotten. */
export function readRememberedModel(text: string | null): ModelRef | null {
  if (!text) return null;
  try {
    return readModelRef(readerFor('last model', JSON.parse(text)));
  } catch {
    return null;
  }
}

/** Two references name the same model when every field agrees (key order aside). */
export function sameModelRef(a: ModelRef, b: ModelRef): boolean {
  const fields = (ref: ModelRef) => JSON.stringify(Object.entries(ref).sort(([x], [y]) => x.localeCompare(y)));
  return fields(a) === fields(b);
}

/**
 * The cached copy of a remembered model, or null when the cache no longer holds it. Only models
 * found in an engine's cache load again on their own, so nothing is downloaded and nothing that
 * needs a key or a server is ever reached without a click.
 */
export function cachedCopyOf<T extends { ref: ModelRef }>(ref: ModelRef, cached: readonly T[]): T | null {
  return cached.find((entry) => sameModelRef(entry.ref, ref)) ?? null;
}
