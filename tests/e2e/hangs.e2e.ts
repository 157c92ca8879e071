// Nothing hangs: a worker that dies mid-import ends the import with a message and a way to retry,
// and merging thousands of look-alike records never starves the worker's heartbeat.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveForSuite, withBrowser } from './harness';
import { openApp } from './app';
import { openDatasets } from './datasets-helpers';

const server = serveForSuite();

/** A JSONL file of about `mb` MB of TRL SFT lines. */
function bigSftFile(dir: string, mb: number): string {
  const file = path.join(dir, 'big-30mb.jsonl');
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const row = JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}: how do tides work near the coast?` }, { role: 'assistant', content: `Answer ${i}: ${'the moon pulls the sea; '.repeat(12)}` }] });
    rows.push(row);
    size += row.length + 1;
  }
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

async function killPipelineWorker(page: Page): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes('pipeline.worker'));
  expect(worker).toBeTruthy();
  await worker!.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
}

describe('a worker that dies mid-job', () => {
  it('ends the dataset import with a message, re-enables the input and offers to try again', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'hang-import-'));
      try {
        const file = bigSftFile(dir, 30);
        await openApp(page, server.url);
        await openDatasets(page);
        await page.setInputFiles('[data-testid=dataset-import-file]', file);
        await page.waitForSelector('[data-testid=dataset-import-busy]');
        await killPipelineWorker(page);
        // The heartbeat notices within ~10 s; the import must not stay "Reading…" after that.
        await page.waitForSelector('[data-testid=dataset-import-result][data-ok=false]', { timeout: 60_000 });
        expect(await page.locator('[data-testid=dataset-import-result]').innerText()).toMatch(/background worker stopped.*try again/i);
        expect(await page.locator('[data-testid=dataset-import-busy]').count()).toBe(0);
        expect(await page.locator('[data-testid=dataset-import-file]').isEnabled()).toBe(true);
        await page.click('[data-testid=dataset-import-retry]');
        await page.waitForSelector('[data-testid=dataset-import-result][data-ok=true]', { timeout: 120_000 });
        expect(await page.locator('[data-testid=dataset-import-result]').innerText()).toMatch(/Imported [\d,]+ records \(TRL SFT\)/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  240_000);
});

/**
 * Writes `n` critique records whose prompts and answers come from one template (so nearly every
 * pair shares LSH bands yet most stay under the threshold), straight into IndexedDB.
 */
function writeLookAlikes(page: Page, runId: string, name: string, n: number, offset: number): Promise<void> {
  return page.evaluate(
    ([id, title, total, shift]) =>
      new Promise<void>((resolve, reject) => {
        const words = ['apple', 'river', 'stone', 'cloud', 'garden', 'lamp', 'window', 'bridge', 'forest', 'candle'];
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const store = tx.objectStore('kv');
          const now = Date.now();
          const record = (index: number) => {
            const i = index + shift;
            const prompt = `Template question ${i}: tell me about the ${words[i % 10]} and the ${words[(i * 7) % 10]} near ${words[(i * 3) % 10]} today`;
            const final = `Answer ${i}: the ${words[(i * 3) % 10]} is ${i % 97} steps from the ${words[i % 10]}, said ${(i * 31) % 1000}`;
            return {
              schemaVersion: 2, recipe: 'critique-revision', id: `${id}:${index}`, runId: id, index, promptId: `p${i}`, prompt,
              initial: final, initialFinish: 'stop', rounds: [], final, usage: { promptTokens: 1, completionTokens: 1, ms: 1 }, createdAt: now + index,
            };
          };
          for (let c = 0; c * 100 < total; c++) {
            const records = Array.from({ length: Math.min(100, total - c * 100) }, (_, k) => record(c * 100 + k));
            store.put({ schemaVersion: 2, runId: id, chunkNo: c, records }, ['chunk', id, c]);
          }
          const spec = { recipe: 'import', format: 'trace', fileName: `${title}.jsonl`, records: total, sources: [], skippedLines: 0, droppedDuplicates: 0 };
          store.put({ schemaVersion: 2, id, name: title, spec, status: 'done', cursor: total, recordCount: total, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: now, updatedAt: now }, ['run', id]);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    [runId, name, n, offset] as const,
  );
}

describe('a long merge', () => {
  it('merges two datasets of 3,000 look-alike records while the worker keeps answering its heartbeat', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await writeLookAlikes(page, 'alike-a', 'alike-a', 3000, 0);
      await writeLookAlikes(page, 'alike-b', 'alike-b', 3000, 3000);
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      await openDatasets(page);
      for (const box of await page.locator('[data-testid=dataset-select]').all()) await box.check();
      await page.fill('[data-testid=combine-name]', 'alike-merged');
      await page.click('[data-testid=combine-create]');
      await page.waitForSelector('[data-testid=combine-result]', { timeout: 120_000 });
      expect(await page.locator('[data-testid=combine-result]').innerText()).toMatch(/^Created a dataset of [\d,]+ records/);
      const merged = page.locator('[data-testid=dataset-row]', { hasText: 'alike-merged' });
      await merged.waitFor();
      expect(Number((await merged.locator('[data-testid=dataset-records]').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
      expect(consoleErrors).toEqual([]);
    }),
  240_000);
});
