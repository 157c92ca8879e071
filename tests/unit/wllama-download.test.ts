// The CPU engine's model download: only whole, valid files enter the cache; 404s, cut and stalled
// downloads and Cancel each end with their own message and leave nothing behind.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CacheEntryMetadata } from '@wllama/wllama';
import { describe, expect, it } from 'vitest';
import { downloadGguf, isCached, type ModelCache } from '../../src/worker/engines/wllama-download';

const modelPath = path.resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf');
const model = existsSync(modelPath) ? new Uint8Array(readFileSync(modelPath)) : null;
if (!model) console.log('skipping the valid-download test: ../shared/models/stories260K.gguf not found');

const URL_ = 'https://example.test/models/m.gguf';

/** wllama's cache, in memory: files and their metadata by name. */
class MemoryCache implements ModelCache {
  files = new Map<string, Blob>();
  meta = new Map<string, CacheEntryMetadata>();
  async getNameFromURL(url: string) {
    return `key_${url.split('/').pop()}`;
  }
  async open(nameOrUrl: string) {
    return this.files.get(nameOrUrl) ?? this.files.get(await this.getNameFromURL(nameOrUrl)) ?? null;
  }
  async getMetadata(name: string) {
    return this.meta.get(name) ?? null;
  }
  async write(name: string, stream: ReadableStream, metadata: CacheEntryMetadata) {
    // As OPFS does: what arrived is on disk even when the stream fails part way.
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) parts.push(chunk);
    } finally {
      this.files.set(name, new Blob(parts as BlobPart[]));
    }
    this.meta.set(name, metadata);
  }
  async delete(nameOrUrl: string) {
    this.files.delete(nameOrUrl);
    this.meta.delete(nameOrUrl);
  }
}

/** A response whose body sends `chunks`, then ends, or (with `hang`) stays open. */
function response(chunks: Uint8Array[], init: { status?: number; length?: number; hang?: boolean; signal?: AbortSignal } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      if (!init.hang) controller.close();
      init.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
    },
  });
  const headers = init.length !== undefined ? { 'content-length': String(init.length) } : undefined;
  return new Response(body, { status: init.status ?? 200, headers });
}

const fetchOf = (make: (signal: AbortSignal) => Response): typeof fetch =>
  (async (_url: string, opts: { signal: AbortSignal }) => make(opts.signal)) as unknown as typeof fetch;

describe('the CPU engine model download', () => {
  it('names a missing file by URL and caches nothing', async () => {
    const cache = new MemoryCache();
    const fetchImpl = fetchOf(() => response([new TextEncoder().encode('Not Found')], { status: 404 }));
    await expect(downloadGguf(cache, URL_, { fetchImpl })).rejects.toThrow(`Model not found (HTTP 404) at ${URL_}.`);
    expect(cache.files.size).toBe(0);
  });

  it('drops a download cut short, and an HTML page served as a model', async () => {
    const cache = new MemoryCache();
    const cut = fetchOf(() => response([new Uint8Array(400)], { length: 1000 }));
    await expect(downloadGguf(cache, URL_, { fetchImpl: cut })).rejects.toThrow('stopped at 400 of 1000 bytes');
    expect(cache.files.size).toBe(0);
    const html = fetchOf(() => response([new TextEncoder().encode('<!doctype html><p>sign in</p>')]));
    await expect(downloadGguf(cache, URL_, { fetchImpl: html })).rejects.toThrow(/not a usable GGUF file/);
    expect(cache.files.size).toBe(0);
  });

  it('gives up on a host that stops sending, and stops at once on Cancel', async () => {
    const cache = new MemoryCache();
    const stalled = fetchOf((signal) => response([new Uint8Array(10)], { length: 1000, hang: true, signal }));
    await expect(downloadGguf(cache, URL_, { fetchImpl: stalled, stallMs: 50 })).rejects.toThrow('sent nothing for 0.05 s');
    expect(cache.files.size).toBe(0);

    const cancel = new AbortController();
    const progress: number[] = [];
    const running = downloadGguf(cache, URL_, { fetchImpl: stalled, signal: cancel.signal, onProgress: (n) => (progress.push(n), cancel.abort()) });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([10]);
    expect(cache.files.size).toBe(0);
  });

  it.skipIf(!model)('keeps a whole, valid file, and does not download it again', async () => {
    const cache = new MemoryCache();
    let requests = 0;
    const fetchImpl = fetchOf(() => (requests++, response([model!.subarray(0, 1000), model!.subarray(1000)], { length: model!.length })));
    await downloadGguf(cache, URL_, { fetchImpl });
    expect(await isCached(cache, URL_)).toBe(true);
    expect((await cache.open(URL_))!.size).toBe(model!.length);
    await downloadGguf(cache, URL_, { fetchImpl });
    expect(requests).toBe(1);
    // A leftover of another size (a cut download by an older version) is replaced, not loaded.
    cache.files.set(await cache.getNameFromURL(URL_), new Blob([model!.subarray(0, 500)]));
    expect(await isCached(cache, URL_)).toBe(false);
    await downloadGguf(cache, URL_, { fetchImpl });
    expect(requests).toBe(2);
    expect((await cache.open(URL_))!.size).toBe(model!.length);
  });
});
