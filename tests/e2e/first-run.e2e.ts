// A newcomer's first run with the tiny model and the form's defaults: it must make records, or say
// before Start exactly what to change; never a run that "finishes" with nothing in it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';

const server = serveForSuite();
const model = requireShared('models/stories260K.gguf');

async function startFivePromptsTwoRounds(page: Page): Promise<void> {
  await page.fill('[data-testid=sample-count]', '5');
  await page.fill('[data-testid=rounds]', '2');
  // Few-shot and max tokens stay at their defaults (2 and 256).
  await page.click('[data-testid=start-run]');
}

async function expectFiveRecordsAndDownload(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 180_000 });
  const records = await storedRecords<{ index: number; error?: string }>(page);
  expect(records.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-sft]')]);
  expect(readFileSync((await download.path())!, 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
}

describe.skipIf(!model)('the first run with the defaults', () => {
  it('trims the few-shot examples to what fits the context, says so, and every record is made', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      expect(await page.locator('[data-testid=loaded-context]').innerText()).toMatch(/context 2048 tokens/);
      await startFivePromptsTwoRounds(page);
      await page.waitForSelector('[data-testid=run-row][data-status=done], [data-testid=context-fit]', { timeout: 120_000 });
      expect(await page.locator('[data-testid=context-fit]').count()).toBe(0);
      expect(await page.locator('[data-testid=context-trim]').innerText()).toMatch(/trimmed to [01] of 2 .*\d+ of 2048 tokens/);
      await expectFiveRecordsAndDownload(page);
      expect(consoleErrors).toEqual([]);
    }), 480_000); // 5 × 5 replies of up to 256 tokens: ~130 s on a busy 2-core machine

  it('with a small context set in the Model panel (remembered), says what to change before Start; following it works', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await page.fill('[data-testid=cpu-context]', '1024'); // the longest sample prompt alone takes ~500 tokens here
      await page.locator('[data-testid=cpu-context]').blur();
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      expect(await page.locator('[data-testid=cpu-context]').inputValue()).toBe('1024');
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      expect(await page.locator('[data-testid=loaded-context]').innerText()).toMatch(/context 1024 tokens/);
      await startFivePromptsTwoRounds(page);
      const advice = await page.locator('[data-testid=context-fit]').innerText({ timeout: 60_000 });
      expect(advice).toMatch(/context holds 1024\. To fix it: lower max tokens per reply to \d+/);
      expect(await page.locator('[data-testid=run-row]').count()).toBe(0); // nothing was started
      const suggested = Number(/max tokens per reply to (\d+)/.exec(advice)?.[1]);
      expect(suggested).toBeGreaterThan(15);
      expect(suggested).toBeLessThan(256);
      await page.fill('[data-testid=max-tokens]', String(suggested));
      await page.click('[data-testid=start-run]');
      await expectFiveRecordsAndDownload(page);
      expect(consoleErrors).toEqual([]);
    }));
});
