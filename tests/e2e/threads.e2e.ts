// Threads for the CPU engine: the page is cross-origin isolated where the server sends COOP/COEP
// (vite preview) or, on a plain static host, through its service worker after one reload; a run on
// two threads completes and stores each record once; without isolation the engine runs on one
// thread and says why; a GPU offload that does not engage (SwiftShader here) falls back to the CPU.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, runCritique, storedRecords } from './app';

const server = serveForSuite();
const model = requireShared('models/stories260K.gguf');

/** dist/ from a plain static server that sends no isolation headers (like GitHub Pages). */
async function servePlain(): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png' };
  const dist = path.join(repoRoot, 'dist');
  const srv = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1) || 'index.html';
    const file = path.join(dist, rel);
    if (!file.startsWith(dist + path.sep)) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => srv.close(() => r())) };
}

async function cpuMode(page: Page): Promise<{ text: string; threads: string | null; isolated: string | null; gpu: string | null }> {
  const el = page.locator('[data-testid=cpu-mode]');
  return { text: await el.innerText(), threads: await el.getAttribute('data-threads'), isolated: await el.getAttribute('data-isolated'), gpu: await el.getAttribute('data-gpu') };
}

async function runTwoPrompts(page: Page): Promise<void> {
  // Two threads on a busy 2-core machine wait on each other at every step: slow, so a wide margin.
  await runCritique(page, { prompts: 2, maxTokens: 16, timeout: 180_000 });
}

describe('isolation headers from the preview server', () => {
  it('sends COOP and COEP, and the page reports itself isolated', () =>
    withBrowser({ serviceWorkers: 'block' }, async ({ page, consoleErrors }) => {
      const res = await fetch(server.url + '/');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
      await openApp(page, server.url);
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      await page.waitForSelector('[data-testid=cpu-mode]');
      expect((await cpuMode(page)).text).toMatch(/^isolated: \d+ threads? of \d+ cores?/);
      expect(consoleErrors).toEqual([]);
    }));

  it.skipIf(!model)('runs on two threads and stores each record exactly once', () =>
    withBrowser({ serviceWorkers: 'block' }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await page.selectOption('[data-testid=cpu-threads]', '2');
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.waitForSelector('[data-testid=cpu-mode][data-threads="2"]', { timeout: 30_000 });
      expect((await cpuMode(page)).text).toMatch(/isolated: 2 threads/);
      await runTwoPrompts(page);
      expect(await page.locator('[data-testid=run-count]').innerText()).toBe('2 / 2');
      const records = await storedRecords(page);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1]);
      // The choice is remembered: after a reload the panel still says 2.
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      expect(await page.locator('[data-testid=cpu-threads]').inputValue()).toBe('2');
      expect(consoleErrors).toEqual([]);
    }));

  it.skipIf(!model)('asked to offload to a software GPU adapter, falls back to the CPU and says why', () =>
    withBrowser({ serviceWorkers: 'block', webgpu: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await page.selectOption('[data-testid=cpu-gpu]', 'on');
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.waitForSelector('[data-testid=cpu-mode][data-gpu]', { timeout: 30_000 });
      const mode = await cpuMode(page);
      // SwiftShader: llama.cpp's WebGPU backend does not take it; on a real GPU this would say 'gpu'.
      expect(mode.gpu).toBe('not-engaged');
      expect(mode.text).toMatch(/GPU offload did not engage: .+; running on the CPU/);
      expect(mode.text).toMatch(/GPU memory needed: about [\d.]+ [kM]B/);
      await runTwoPrompts(page);
      expect((await storedRecords(page)).length).toBe(2);
      expect(consoleErrors).toEqual([]);
    }));
});

describe('on a static host that sends no headers', () => {
  it.skipIf(!model)('without the service worker: one thread, and the page says why', async () => {
    const plain = await servePlain();
    try {
      await withBrowser({ serviceWorkers: 'block' }, async ({ page, consoleErrors }) => {
        await openApp(page, plain.url);
        expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
        await page.selectOption('[data-testid=cpu-threads]', '2');
        await loadGgufFromDisk(page, model!, 'stories260K.gguf');
        await page.waitForSelector('[data-testid=cpu-mode][data-threads]', { timeout: 30_000 });
        const mode = await cpuMode(page);
        expect(mode.threads).toBe('1');
        expect(mode.isolated).toBe('false');
        expect(mode.text).toMatch(/not isolated: 1 thread, because .*COOP\/COEP/);
        await runTwoPrompts(page);
        expect((await storedRecords(page)).length).toBe(2);
        expect(consoleErrors).toEqual([]);
      });
    } finally {
      await plain.close();
    }
  });

  it('with the service worker: the page reloads itself once and is isolated, online and offline', async () => {
    const plain = await servePlain();
    try {
      await withBrowser({}, async ({ page, context, consoleErrors }) => {
        await openApp(page, plain.url);
        // Once the service worker is active the page reloads itself (once) through it. That can happen
        // before the first check here runs, so the flag the reload leaves is what shows it happened.
        await page.waitForFunction(() => self.crossOriginIsolated, null, { timeout: 60_000 });
        await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
        expect(await page.evaluate(() => sessionStorage.getItem('cai-lab:isolation-reload'))).toBe('1');
        await page.waitForSelector('[data-testid=cpu-mode]');
        expect((await cpuMode(page)).text).toMatch(/^isolated: /);
        await context.setOffline(true);
        await page.reload();
        await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
        expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
        expect(consoleErrors).toEqual([]);
      });
    } finally {
      await plain.close();
    }
  });
});
