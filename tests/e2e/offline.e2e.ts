// Offline after one visit: the service worker (vite-plugin-pwa / Workbox) serves the app shell, the
// worker and wllama's wasm; models come from wllama's OPFS cache; runs and downloads need no network.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireShared, type Launched, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp } from './app';

const server = serveForSuite();

/** First visit: wait until the service worker has precached everything and is active, then reload so it controls the page. */
async function firstVisit(page: Page, url: string): Promise<void> {
  await openApp(page, url);
  // On a host without COOP/COEP the page reloads itself once the service worker is active, to be
  // cross-origin isolated through it (src/state/app-update.svelte.ts): wait for that first.
  await page.waitForFunction(() => self.crossOriginIsolated, null, { timeout: 60_000 });
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
  // `ready` waits for install (precaching ~17 MB from the local server) and activation.
  const ready = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(() => 'ready'),
      new Promise<string>((r) => setTimeout(() => r('service worker not active after 30 s'), 30_000)),
    ]),
  );
  expect(ready).toBe('ready');
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
}

/** Cuts the network (the local server included) and reloads: only the service worker can answer. */
async function goOffline({ context, page }: Launched): Promise<void> {
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
  // Proof that the network is really gone: a file the service worker does not hold cannot be fetched.
  const probe = await page.evaluate(() => fetch(`./not-precached-${Date.now()}.txt`).then((r) => `status ${r.status}`, (e: Error) => e.name));
  expect(probe).toBe('TypeError');
}

describe('installable app', () => {
  it('has a manifest with icons, registers a service worker, and Chromium finds it installable', () =>
    withBrowser({}, async ({ page, context, consoleErrors }) => {
      await firstVisit(page, server.url);
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
        return (await fetch(href)).json();
      });
      expect(manifest).toMatchObject({ short_name: 'CAI Lab', display: 'standalone', start_url: './', scope: './' });
      const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
      expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
      expect(manifest.icons.some((i: { purpose?: string }) => i.purpose === 'maskable')).toBe(true);
      // Every icon is a real PNG of the size it claims.
      for (const icon of manifest.icons as { src: string; sizes: string }[]) {
        const head = await page.evaluate(async (src) => Array.from(new Uint8Array(await (await fetch(src)).arrayBuffer()).slice(0, 24)), icon.src);
        const buf = Buffer.from(head);
        expect(buf.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect(`${buf.readUInt32BE(16)}x${buf.readUInt32BE(20)}`).toBe(icon.sizes);
      }
      // The precache holds the app shell, the worker chunk and wllama's wasm.
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
        return urls;
      });
      expect(cached).toEqual(expect.arrayContaining(['/index.html']));
      expect(cached.some((u) => /\/assets\/pipeline\.worker-[\w-]+\.js$/.test(u))).toBe(true);
      expect(cached.some((u) => /\/assets\/wllama-[\w-]+\.wasm$/.test(u))).toBe(true);
      // Chromium's own installability check (DevTools protocol).
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
      expect(installabilityErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
    }));
});

/** A plain static server for dist/ under /some/sub/path/ (vite preview serves only its base). */
async function serveDistUnder(prefix: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
    '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
  };
  const dist = path.join(repoRoot, 'dist');
  const srv = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = pathname.startsWith(prefix) ? pathname.slice(prefix.length) || 'index.html' : null;
    const file = rel === null ? null : path.join(dist, rel);
    if (!file || !file.startsWith(dist + path.sep)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  return { url: `http://127.0.0.1:${port}${prefix.replace(/\/$/, '')}`, close: () => new Promise((r) => srv.close(() => r())) };
}

describe('from a sub-path', () => {
  it('opens, registers its service worker for that sub-path only, and opens again offline', async () => {
    const sub = await serveDistUnder('/some/sub/path/');
    try {
      await withBrowser({}, async (b) => {
        await firstVisit(b.page, sub.url);
        expect(await b.page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(`${sub.url}/`);
        await goOffline(b);
        // Isolated offline too: the service worker adds COOP/COEP to the page it serves.
        expect(await b.page.evaluate(() => self.crossOriginIsolated)).toBe(true);
        expect(b.consoleErrors.filter((e) => !e.includes('/not-precached-'))).toEqual([]);
      });
    } finally {
      await sub.close();
    }
  });
});

describe('with the network cut after one visit', () => {
  it('the page opens, and a CPU model by URL that is not cached fails plainly instead of spinning', () =>
    withBrowser({}, async (b) => {
      const { page } = b;
      await firstVisit(page, server.url);
      await goOffline(b);
      expect(await page.locator('[data-testid=cpu-url]').inputValue()).toMatch(/^https:\/\//);
      const started = Date.now();
      await page.click('[data-testid=load-url]');
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 20_000 });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await error.innerText()).toMatch(/not cached and the network is unreachable/i);
      expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
      expect(await page.locator('[data-testid=load-url]').isEnabled()).toBe(true);
    }));

  const model = requireShared('models/stories260K.gguf');

  describe.skipIf(!model)('with a model cached on the first visit', () => {
    it('loads it from the cache, runs two prompts to done and downloads the SFT JSONL', () =>
      withBrowser({}, async (b) => {
        const { page, consoleErrors } = b;
        await firstVisit(page, server.url);
        // Picking the file from disk also keeps it in the browser's model cache (OPFS).
        await loadGgufFromDisk(page, model!, 'stories260K.gguf');

        await goOffline(b);
        expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
        const entry = page.locator('[data-testid=cached-models] li', { hasText: 'stories260K.gguf' });
        await entry.getByRole('button', { name: 'Load' }).click();
        await page.waitForFunction(
          () => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes('stories260K.gguf'),
          null,
          { timeout: 30_000 },
        );

        await page.fill('[data-testid=sample-count]', '2');
        await page.fill('[data-testid=rounds]', '1');
        await page.fill('[data-testid=few-shot]', '0'); // the tiny model's context is small
        await page.fill('[data-testid=max-tokens]', '48');
        await page.click('[data-testid=start-run]');
        await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 60_000 });
        expect(await page.locator('[data-testid=run-count]').innerText()).toBe('2 / 2');

        const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-sft]')]);
        const lines = readFileSync((await download.path())!, 'utf8').split('\n').filter(Boolean);
        expect(lines).toHaveLength(2);
        for (const line of lines) {
          const row = JSON.parse(line);
          expect(row.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
        }
        // Still offline at the end, and nothing complained (but the probes' own failed fetches).
        expect(await page.evaluate(() => fetch(`./not-precached-${Date.now()}.txt`).then(() => 'reached', (e: Error) => e.name))).toBe('TypeError');
        expect(consoleErrors.filter((e) => !e.includes('/not-precached-'))).toEqual([]);
      }));
  });
});
