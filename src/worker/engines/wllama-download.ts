/**
 * Downloads a GGUF model by URL into wllama's cache (OPFS), instead of wllama's own download:
 * that one first asks the host for the file's hash with no way to cancel it and no time limit, and
 * it caches whatever arrived, so a cut or wrong download was loaded again on every retry.
 * Here every network step honours Cancel and gives up when the host sends nothing for a while, and
 * only a complete file whose GGUF header checks out stays in the cache.
 */
import type { CacheEntryMetadata } from '@wllama/wllama';
import { checkGguf } from '../../core/gguf';

/** The host may pause, but sending nothing at all for this long means it stalled. */
export const STALL_MS = 30_000;
/** Enough of the file to check its header (huge vocabularies make headers of several MB). */
const HEADER_BYTES = 64 * 1024 * 1024;

/** The parts of wllama's CacheManager this uses (an interface, so tests can hand in their own). */
export interface ModelCache {
  getNameFromURL(url: string): Promise<string>;
  open(nameOrURL: string): Promise<Blob | null>;
  getMetadata(name: string): Promise<CacheEntryMetadata | null>;
  write(name: string, stream: ReadableStream, metadata: CacheEntryMetadata): Promise<void>;
  delete(nameOrURL: string): Promise<void>;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | null) => void;
  stallMs?: number;
  fetchImpl?: typeof fetch;
}

/** A download that failed for a reason people can act on; the message names the URL. */
export class ModelDownloadError extends Error {
  override name = 'ModelDownloadError';
}

/** Whether `url` is in the cache whole: written here after its checks, so its recorded size matches. */
export async function isCached(cache: ModelCache, url: string): Promise<boolean> {
  const name = await cache.getNameFromURL(url);
  const [blob, meta] = await Promise.all([cache.open(url), cache.getMetadata(name)]);
  return blob !== null && meta !== null && meta.originalURL === url && meta.originalSize === blob.size;
}

export async function downloadGguf(cache: ModelCache, url: string, opts: DownloadOptions = {}): Promise<void> {
  if (await isCached(cache, url)) return;
  const name = await cache.getNameFromURL(url);
  // Whatever is there is incomplete or from elsewhere: it must not be loaded again.
  await cache.delete(name);
  const stall = stallGuard(opts.signal, opts.stallMs ?? STALL_MS, url);
  try {
    const response = await (opts.fetchImpl ?? fetch)(url, { signal: stall.signal });
    if (!response.ok || !response.body) throw httpError(response.status, url);
    const total = Number(response.headers.get('content-length')) || null;
    let loaded = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          stall.heard();
          loaded += chunk.byteLength;
          opts.onProgress?.(loaded, total);
          out.enqueue(chunk);
        },
      }),
    );
    const etag = (response.headers.get('etag') ?? '').replace(/[^A-Za-z0-9]/g, '');
    await cache.write(name, counted, { originalURL: url, originalSize: total ?? loaded, etag });
    if (total !== null && loaded !== total) throw new ModelDownloadError(`The download of ${url} stopped at ${loaded} of ${total} bytes.`);
    await checkCachedGguf(cache, url);
  } catch (error) {
    await cache.delete(name).catch(() => undefined);
    throw stall.reason() ?? error;
  } finally {
    stall.done();
  }
}

async function checkCachedGguf(cache: ModelCache, url: string): Promise<void> {
  const blob = await cache.open(url);
  if (!blob) throw new ModelDownloadError(`The download of ${url} could not be stored in the browser's model cache.`);
  const check = checkGguf(await blob.slice(0, HEADER_BYTES).arrayBuffer(), blob.size);
  if (check.ok === false) throw new Error(`invalid model: ${url} is not a usable GGUF file: ${check.reason}`);
}

function httpError(status: number, url: string): ModelDownloadError {
  if (status === 404) return new ModelDownloadError(`Model not found (HTTP 404) at ${url}.`);
  if (status === 401 || status === 403) return new ModelDownloadError(`The host refused access (HTTP ${status}) to ${url}: the model may be gated or private.`);
  return new ModelDownloadError(`The host answered HTTP ${status} for ${url}.`);
}

/**
 * An abort signal that fires on the caller's Cancel, or when nothing has been heard for `ms`
 * (counted from the request and from each chunk).
 */
function stallGuard(outer: AbortSignal | undefined, ms: number, url: string) {
  const controller = new AbortController();
  let stalled: Error | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = new ModelDownloadError(`The host of ${url} sent nothing for ${(ms / 1000).toLocaleString('en')} s, so the download stopped. Check the connection and try again.`);
      controller.abort(stalled);
    }, ms);
  };
  const cancel = () => controller.abort(outer?.reason);
  if (outer?.aborted) cancel();
  outer?.addEventListener('abort', cancel);
  arm();
  return {
    signal: controller.signal,
    heard: arm,
    /** The stall, or the caller's Cancel as an AbortError; null when neither stopped the download. */
    reason: (): Error | null => stalled ?? (outer?.aborted ? new DOMException('The model download was cancelled.', 'AbortError') : null),
    done: () => (clearTimeout(timer), outer?.removeEventListener('abort', cancel)),
  };
}
