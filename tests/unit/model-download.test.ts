// Model downloads for the CPU engine: only whole, valid files are used and kept in the cache.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Wllama } from '@wllama/wllama';
import { describe, expect, it } from 'vitest';
import { ModelDownloadError, modelBlob } from '../../src/worker/engines/wllama-download';

const modelPath = path.resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf');
const hasModel = existsSync(modelPath);
if (!hasModel) console.log('skipping model download tests: ../shared/models/stories260K.gguf not found');
const URL_ = 'https://huggingface.co/a/b/resolve/main/m.gguf';
const ref = { backend: 'cpu' as const, kind: 'url' as const, url: URL_, name: 'm.gguf' };

/** A cache with wllama's CacheManager calls used here; `serve` is what a download writes (or throws). */
function fakeWllama(serve: () => Promise<{ bytes: Uint8Array; complete: boolean }>) {
  const files = new Map<string, { blob: Blob; meta: { originalURL: string; originalSize: number } | null }>();
  let downloads = 0;
  const cacheManager = {
    getNameFromURL: async (url: string) => `key:${url}`,
    open: async (url: string) => files.get(`key:${url}`)?.blob ?? null,
    getMetadata: async (name: string) => files.get(name)?.meta ?? null,
    delete: async (url: string) => void files.delete(`key:${url}`),
    download: async (url: string) => {
      downloads++;
      const { bytes, complete } = await serve();
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      files.set(`key:${url}`, { blob, meta: complete ? { originalURL: url, originalSize: blob.size } : null });
      if (!complete) throw new TypeError('network error');
    },
  };
  return { w: { cacheManager } as unknown as Wllama, files, downloads: () => downloads };
}

describe.skipIf(!hasModel)('modelBlob', () => {
  const file = hasModel ? new Uint8Array(readFileSync(modelPath)) : new Uint8Array();

  it('a partial entry (no metadata) is not used: it is deleted and the file downloaded again', async () => {
    const fake = fakeWllama(async () => ({ bytes: file, complete: true }));
    fake.files.set(`key:${URL_}`, { blob: new Blob([file.subarray(0, 1000)]), meta: null });
    const blob = await modelBlob(fake.w, ref, () => undefined);
    expect(blob.size).toBe(file.length);
    expect(fake.downloads()).toBe(1);
  });

  it('a cut download and a download of an HTML page leave nothing in the cache', async () => {
    const cut = fakeWllama(async () => ({ bytes: file.subarray(0, file.length * 0.4), complete: false }));
    await expect(modelBlob(cut.w, ref, () => undefined)).rejects.toThrow();
    expect(cut.files.size).toBe(0);
    const html = fakeWllama(async () => ({ bytes: new TextEncoder().encode('<!doctype html><p>Sign in</p>'), complete: true }));
    await expect(modelBlob(html.w, ref, () => undefined)).rejects.toThrow(/not a usable GGUF file/);
    expect(html.files.size).toBe(0);
    const truncated = fakeWllama(async () => ({ bytes: file.subarray(0, Math.floor(file.length * 0.4)), complete: true }));
    await expect(modelBlob(truncated.w, ref, () => undefined)).rejects.toThrow(/not a usable GGUF file/);
    expect(truncated.files.size).toBe(0);
  });

  it('a 404 says "not found (HTTP 404) at <url>"', async () => {
    const fake = fakeWllama(async () => {
      throw new Error(`Failed to fetch ${URL_}: HTTP 404`);
    });
    const error = await modelBlob(fake.w, ref, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as Error).message).toBe(`not found (HTTP 404) at ${URL_}`);
  });

  it('Cancel ends a download at once, even in a step that takes no signal', async () => {
    const fake = fakeWllama(() => new Promise(() => undefined));
    const controller = new AbortController();
    const loading = modelBlob(fake.w, ref, () => undefined, controller.signal);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
