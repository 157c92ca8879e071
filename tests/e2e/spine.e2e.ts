// The spine end to end: capabilities, WebLLM's error path, and a full CPU run with a reload mid-run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readRunSpecFile } from '../../src/core/run-spec-file';
import { describe, expect, it } from 'vitest';
import { requireShared, sharedPath, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';

const server = serveForSuite();

describe('capabilities', () => {
  it('without WebGPU: says so, offers no GPU model, offers CPU, console clean', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await expect.poll(() => page.locator('[data-testid=cap-webgpu]').innerText()).toMatch(/WebGPU: not available/);
      expect(await page.locator('[data-testid=load-gpu]').isDisabled()).toBe(true);
      expect(await page.locator('[data-testid=gguf-file]').isEnabled()).toBe(true);
      expect(await page.locator('[data-testid=cpu-url]').inputValue()).toMatch(/^https:\/\/huggingface\.co\/.+\.gguf$/);
      expect(consoleErrors).toEqual([]);
    }));

  it('with --enable-unsafe-webgpu: reports the SwiftShader adapter without shader-f16 and recommends an f32 build', () =>
    withBrowser({ webgpu: true, offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      const webgpu = await page.locator('[data-testid=cap-webgpu]').innerText();
      expect(webgpu).toMatch(/WebGPU: available/);
      expect(webgpu.toLowerCase()).toContain('swiftshader');
      expect(await page.locator('[data-testid=cap-f16]').innerText()).toMatch(/shader-f16: no/);
      const options = await page.locator('[data-testid=gpu-model] option').allInnerTexts();
      expect(options.length).toBeGreaterThan(5);
      expect(options.every((o) => !/q4f16/.test(o))).toBe(true);
      expect(await page.locator('[data-testid=gpu-model]').inputValue()).toMatch(/q4f32_1-MLC$/);
      expect(consoleErrors).toEqual([]);
    }));

  it('choosing a WebLLM model with no network ends in a clear error, not a hang', () =>
    withBrowser({ webgpu: true, offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      const started = Date.now();
      await page.click('[data-testid=load-gpu]');
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.innerText()).toMatch(/Cannot reach the model host/);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
      expect(await page.locator('[data-testid=load-gpu]').isEnabled()).toBe(true);
    }));
});

describe('bad model files', () => {
  it('a .gguf that is not a model ends in a clear error and the page stays usable', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      await page.setInputFiles('[data-testid=gguf-file]', {
        name: 'broken.gguf',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
      });
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.innerText()).toMatch(/not a model this engine can read/);
      expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
      expect(await page.locator('[data-testid=gguf-file]').isEnabled()).toBe(true);
    }));

  it.skipIf(!sharedPath('models/stories260K.gguf'))('a truncated .gguf ends in a clear error, not a hang', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      const head = readFileSync(sharedPath('models/stories260K.gguf')!).subarray(0, 200_000);
      await page.setInputFiles('[data-testid=gguf-file]', { name: 'truncated.gguf', mimeType: 'application/octet-stream', buffer: head });
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.innerText()).toMatch(/not a model this engine can read/);
    }));

  it('a file without the .gguf extension is refused before loading', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      await page.setInputFiles('[data-testid=gguf-file]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      expect(await page.locator('[data-testid=error]').innerText()).toMatch(/not a \.gguf file/);
    }));
});

const model = requireShared('models/stories260K.gguf');

describe.skipIf(!model)('CPU models by URL', () => {
  it('downloads a GGUF by URL into the cache, lists it with its size, reloads it from there and deletes it', () =>
    withBrowser({ offline: true }, async ({ page, context, consoleErrors }) => {
      const url = 'https://huggingface.co/test-owner/tiny-GGUF/resolve/main/stories260K.gguf';
      const body = readFileSync(model!);
      let fetched = 0;
      await context.route(url, (route) => {
        fetched++;
        return route.fulfill({ status: 200, body, headers: { 'content-type': 'application/octet-stream', etag: '"tiny"' } });
      });
      await openApp(page, server.url);
      await page.fill('[data-testid=cpu-url]', url);
      await page.click('[data-testid=load-url]');
      await expect.poll(() => page.locator('[data-testid=loaded-model]').innerText(), { timeout: 30_000 }).toMatch(/stories260K\.gguf/);
      expect(fetched).toBeGreaterThanOrEqual(1);
      const cached = page.locator('[data-testid=cached-models] li');
      await expect.poll(() => cached.allInnerTexts()).toEqual([expect.stringMatching(/stories260K\.gguf[\s\S]*CPU · 1\.1 MB/)]);

      // After a reload the model comes from the browser's cache, not the network.
      const before = fetched;
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      await cached.getByRole('button', { name: 'Load' }).click();
      await expect.poll(() => page.locator('[data-testid=loaded-model]').innerText(), { timeout: 30_000 }).toMatch(/stories260K\.gguf/);
      expect(fetched).toBe(before);

      page.once('dialog', (dialog) => dialog.accept());
      await cached.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => cached.count()).toBe(0);
      expect(await page.locator('[data-testid=loaded-model]').innerText()).toMatch(/none/);
      expect(consoleErrors).toEqual([]);
    }));
});

describe.skipIf(!model)('a CPU run of 5 prompts × 2 rounds survives a reload', () => {
  it('streams, resumes after a reload, stores exactly 5 records and exports TRL JSONL', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors, blockedRequests }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.fill('[data-testid=sample-count]', '5');
      await page.fill('[data-testid=rounds]', '2');
      await page.fill('[data-testid=few-shot]', '0'); // the tiny model's context is small
      await page.fill('[data-testid=max-tokens]', '200');
      await page.click('[data-testid=start-run]');

      // The trace streams live: a principle name and generated text appear before the first record.
      await page.waitForSelector('[data-testid=live-trace]', { timeout: 20_000 });
      await expect.poll(() => page.locator('[data-testid=live-trace]').innerText(), { timeout: 20_000 }).toMatch(/Critique · round 1 · .+\n/i);

      // Reload once at least one record is stored but before the run is done.
      await page.waitForFunction(() => /^[1-4] \/ 5$/.test(document.querySelector('[data-testid=run-count]')?.textContent ?? ''), null, { timeout: 30_000 });
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      const row = page.locator('[data-testid=run-row]');
      expect(await row.getAttribute('data-status')).toBe('paused');
      const before = await storedRecords(page);
      expect(before.length).toBeGreaterThanOrEqual(1);
      expect(before.length).toBeLessThan(5);

      await page.click('[data-testid=resume]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 60_000 });
      const records = await storedRecords(page);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(records.every((r) => r.rounds.length === 2)).toBe(true);
      expect(await page.locator('[data-testid=run-count]').innerText()).toBe('5 / 5');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-sft]')]);
      const lines = readFileSync((await download.path())!, 'utf8').split('\n').filter(Boolean);
      expect(lines).toHaveLength(5);
      for (const line of lines) {
        const row = JSON.parse(line);
        expect(Object.keys(row)).toEqual(['messages']);
        expect(row.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
        expect(row.messages.every((m: { content: unknown }) => typeof m.content === 'string')).toBe(true);
      }
      // "Export run spec": the frozen spec, which the command line reads back to the same spec.
      const [specDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-run-spec]')]);
      expect(specDownload.suggestedFilename()).toMatch(/\.spec\.json$/);
      const specPath = (await specDownload.path())!;
      const file = readRunSpecFile(JSON.parse(readFileSync(specPath, 'utf8')), specDownload.suggestedFilename());
      expect(file.spec).toMatchObject({ recipe: 'critique-revision', rounds: 2, model: { backend: 'cpu', name: 'stories260K.gguf' } });
      expect((file.spec as { prompts: unknown[] }).prompts).toHaveLength(5);
      // `cai-lab run` takes the file: it gets past the spec to the (absent) server.
      const cli = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/cai-lab.mjs'), 'run', specPath, '--endpoint', 'http://127.0.0.1:9', '--out', `${specPath}.jsonl`], { encoding: 'utf8' });
      expect([cli.status, cli.stderr]).toEqual([1, expect.stringContaining('cannot use the server http://127.0.0.1:9')]);

      expect(consoleErrors).toEqual([]);
      // With a model from disk, nothing at all left the page.
      expect(blockedRequests).toEqual([]);
    }));
});
