// A model download that fails never poisons the cache: a truncated file or an HTML page is not
// kept, a retry downloads again, a 404 says "not found", and every cached entry has its name.
import { readFileSync } from 'node:fs';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { openApp } from './app';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();
const HOST = 'https://huggingface.co/cai-lab-test/tiny/resolve/main';

describe.skipIf(!model)('model downloads', () => {
  it('a truncated file and an HTML page are refused and not cached, a retry downloads again, a 404 is "not found"', () =>
    withBrowser({ offline: true, serviceWorkers: 'block' }, async ({ page, context }) => {
      const file = readFileSync(model!);
      let served = 0;
      await context.route('https://huggingface.co/**', (route: Route) => {
        const url = route.request().url();
        if (url.includes('/raw/')) return route.fulfill({ status: 404, body: 'no' });
        if (url.endsWith('/stories260K.gguf')) {
          served++;
          // The first answer is cut at 40% (a proxy that gave up); the next ones are whole.
          return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: served === 1 ? file.subarray(0, Math.floor(file.length * 0.4)) : file });
        }
        if (url.endsWith('/page.gguf')) return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Sign in</title><p>Please sign in to continue.</p>' });
        return route.fulfill({ status: 404, body: 'Entry not found' });
      });
      await openApp(page, server.url);
      const load = async (url: string) => {
        await page.fill('[data-testid=cpu-url]', url);
        await page.click('[data-testid=load-url]');
        await page.waitForSelector('[data-testid=load-progress]', { state: 'detached', timeout: 60_000 });
      };
      const error = () => page.locator('[data-testid=error]').innerText();
      const cached = () => page.locator('[data-testid=cached-models]').innerText().catch(() => '');

      await load(`${HOST}/stories260K.gguf`);
      expect(await error()).toMatch(/not a model this engine can read/);
      expect(await cached()).not.toMatch(/stories260K|KB/);

      await load(`${HOST}/stories260K.gguf`);
      await page.waitForFunction(() => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes('stories260K.gguf'), null, { timeout: 60_000 });
      expect(served).toBe(2);
      expect(await cached()).toMatch(/stories260K\.gguf/);

      await load(`${HOST}/page.gguf`);
      expect(await error()).toMatch(/not a model this engine can read/);
      expect(await cached()).not.toMatch(/page\.gguf/);

      await load(`${HOST}/missing.gguf`);
      const missing = await error();
      expect(missing).toMatch(/not found \(HTTP 404\) at https:\/\/huggingface\.co\/cai-lab-test\/tiny\/resolve\/main\/missing\.gguf/);
      expect(missing).not.toMatch(/not a model this engine can read/);
      // Every cached entry carries its name and source.
      const entries = await page.locator('[data-testid=cached-models] li').allInnerTexts();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatch(/^stories260K\.gguf\s+CPU · /);
    }),
  180_000);

  it('Cancel works from the first second of a download, while the host has not answered yet', () =>
    withBrowser({ offline: true, serviceWorkers: 'block' }, async ({ page, context }) => {
      // The host never answers (neither the hash request nor the file).
      await context.route('https://huggingface.co/**', () => new Promise<void>(() => undefined));
      await openApp(page, server.url);
      await page.fill('[data-testid=cpu-url]', `${HOST}/stalled.gguf`);
      await page.click('[data-testid=load-url]');
      await page.waitForSelector('[data-testid=load-progress]');
      await page.click('[data-testid=load-cancel]');
      await page.waitForSelector('[data-testid=load-progress]', { state: 'detached', timeout: 15_000 });
      expect(await page.locator('[data-testid=load-url]').isEnabled()).toBe(true);
      expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
    }),
  120_000);
});
