/**
 * Model files by URL for the CPU engine, cached only when whole and valid. wllama streams a
 * download straight into its cache and writes the entry's metadata (source URL, size) last, so a
 * cut download leaves a nameless partial file that it would later open as if complete, and an HTML
 * page served in a model's place is cached like a model. Here a cached entry counts only with its
 * metadata and full size, a download is checked (GGUF header and tensor sizes) before it is used,
 * and whatever fails is removed, so a retry downloads again.
 */
import type { Wllama } from '@wllama/wllama';
import type { WllamaRef } from '../../core/engines/wllama';
import { assertGguf } from './wllama-gguf';

type UrlRef = Extract<WllamaRef, { kind: 'url' }>;
type Progress = (p: { loaded: number; total: number }) => void;

/** A download the host refused; its message says what happened and where. */
export class ModelDownloadError extends Error {
  override name = 'ModelDownloadError';
}

/** The cached file of `url` if it is complete (metadata says so); a partial one is deleted. */
async function completeEntry(w: Wllama, url: string): Promise<Blob | null> {
  const blob = await w.cacheManager.open(url);
  if (!blob) return null;
  const meta = await w.cacheManager.getMetadata(await w.cacheManager.getNameFromURL(url));
  if (meta?.originalURL === url && meta.originalSize === blob.size) return blob;
  await w.cacheManager.delete(url);
  return null;
}

/** Rejects as soon as `signal` aborts, whatever step `work` is in (some steps take no signal). */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('The model load was cancelled.', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** "not found (HTTP 404) at <url>" instead of wllama's "Failed to fetch …: HTTP 404". */
function hostError(error: unknown, url: string): unknown {
  const status = /HTTP (\d{3})/.exec(error instanceof Error ? error.message : '')?.[1];
  if (!status) return error;
  const what = status === '404' ? 'not found' : status === '401' || status === '403' ? 'not allowed' : 'refused by the host';
  return new ModelDownloadError(`${what} (HTTP ${status}) at ${url}`);
}

/** The model file of `ref`, from the cache when it is whole and valid, else downloaded and checked. */
export async function modelBlob(w: Wllama, ref: UrlRef, progressCallback: Progress, signal?: AbortSignal): Promise<Blob> {
  const cached = await completeEntry(w, ref.url);
  if (cached) {
    try {
      await assertGguf(cached, ref.name);
      return cached;
    } catch {
      await w.cacheManager.delete(ref.url); // cached by an older version that did not check: fetch again
    }
  }
  try {
    await untilAborted(w.cacheManager.download(ref.url, { progressCallback, ...(signal ? { signal } : {}) }), signal);
    const blob = await completeEntry(w, ref.url);
    if (!blob) throw new ModelDownloadError(`the download from ${ref.url} did not complete`);
    await assertGguf(blob, ref.name);
    return blob;
  } catch (error) {
    await w.cacheManager.delete(ref.url).catch(() => undefined);
    throw hostError(error, ref.url);
  }
}
