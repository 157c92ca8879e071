/** Maps low-level IndexedDB write failures to errors the UI can show as-is. */
import { storageEstimate } from './persist';

export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

export function isQuotaError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && QUOTA_NAMES.has(String((err as { name?: unknown }).name));
}

const MB = 1024 * 1024;

export async function storageFullError(cause: unknown): Promise<StorageFullError> {
  const est = await storageEstimate();
  const usage = est
    ? ` (${(est.usage / MB).toFixed(1)} MB used of the ${(est.quota / MB).toFixed(1)} MB this browser allows this site)`
    : '';
  return new StorageFullError(
    `Browser storage is full${usage}. Nothing was saved by this step; ` +
      'delete old runs or downloaded models to free space, then try again.',
    { cause },
  );
}

/** Wraps a write so a quota failure surfaces as StorageFullError; other errors pass through. */
export async function withWriteErrors<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isQuotaError(err)) throw await storageFullError(err);
    throw err;
  }
}
