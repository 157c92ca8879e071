// A stored prompt set of 200,000 prompts (issue 12: the page's thread never blocks long). The page
// keeps only each set's head (name, count): decoding a 50 MB set when the page opened took its
// thread for about a second. The set's prompts are read from the worker, a slice at a time, when
// its editor opens or a run takes some.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadGgufFromDisk, openApp, runCritique, storedRecords } from './app';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { openLibrary, storedItem } from './library-helpers';

const server = serveForSuite();
const model = requireShared('models/stories260K.gguf');
const SIZE = 200_000;
const SET_ID = 'prompts-big';

/** Stores a set of `size` prompts straight into IndexedDB (setup, not through the app's code). */
function storeBigSet(page: Page, size: number) {
  return page.evaluate(
    ([n, id]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const prompts = Array.from({ length: n }, (_, i) => ({ id: `b${i}`, text: `Big prompt ${i}: how does a kite stay up in ${i % 50} knots of wind?` }));
          tx.objectStore('kv').put({ schemaVersion: 2, id, name: 'Big set', prompts, updatedAt: Date.now() }, ['promptset', id]);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    [size, SET_ID] as const,
  );
}

/** Notes, on the page's own thread, every IndexedDB read that hands it a set of over 1,000 prompts. */
function watchBigReads(page: Page) {
  return page.addInitScript(() => {
    const w = window as unknown as { __bigSetReads: number };
    w.__bigSetReads = 0;
    const result = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'result')!;
    const big = (v: unknown) => Array.isArray((v as { prompts?: unknown[] } | null)?.prompts) && (v as { prompts: unknown[] }).prompts.length > 1_000;
    Object.defineProperty(IDBRequest.prototype, 'result', {
      ...result,
      get() {
        const value = result.get!.call(this);
        if (big(value) || (Array.isArray(value) && value.some(big))) w.__bigSetReads++;
        return value;
      },
    });
  });
}

const bigSetReads = (page: Page) => page.evaluate(() => (window as unknown as { __bigSetReads: number }).__bigSetReads);

describe('a stored set of 200,000 prompts', () => {
  it.skipIf(!model)('is listed, picked, edited and run from without the page ever decoding it', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await storeBigSet(page, SIZE);
      await watchBigReads(page);
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 60_000 });

      // Listed with its count, in the library and in the run form's picker.
      await openLibrary(page, 'prompts');
      const item = page.locator(`[data-testid=prompt-set-item][data-id=${SET_ID}]`);
      await expect.poll(() => item.innerText().catch(() => ''), { timeout: 60_000 }).toContain(`${SIZE} prompts`);

      // Its editor reads it from the worker: the count and the first page of prompts.
      await item.click();
      await expect.poll(() => page.innerText('[data-testid=prompt-count]').catch(() => ''), { timeout: 120_000 }).toBe(`${SIZE} prompts`);
      expect(await page.locator('[data-testid=prompt-text]').first().inputValue()).toBe('Big prompt 0: how does a kite stay up in 0 knots of wind?');

      // A run takes its first prompts, read from the worker too.
      await page.click('[data-testid=tab-make]');
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=prompt-set]', SET_ID);
      await runCritique(page, { prompts: 2, maxTokens: 16, timeout: 120_000 });
      const prompts = (await storedRecords(page)).sort((a, b) => a.index - b.index).map((r) => r.prompt);
      expect(prompts).toEqual(['Big prompt 0: how does a kite stay up in 0 knots of wind?', 'Big prompt 1: how does a kite stay up in 1 knots of wind?']);

      expect(await bigSetReads(page)).toBe(0);

      // An edit in its editor is saved with every prompt, as a set (no head fields).
      await openLibrary(page, 'prompts');
      await item.click();
      const first = page.locator('[data-testid=prompt-text]').first();
      await expect.poll(() => first.inputValue().catch(() => ''), { timeout: 120_000 }).toContain('Big prompt 0');
      await first.fill('Edited first prompt');
      await expect
        .poll(async () => (await storedItem<{ prompts: { text: string }[] }>(page, 'promptset', SET_ID))?.prompts[0]?.text, { timeout: 60_000 })
        .toBe('Edited first prompt');
      const saved = (await storedItem<{ prompts: unknown[] }>(page, 'promptset', SET_ID))!;
      expect(saved.prompts).toHaveLength(SIZE);
      expect(saved).not.toHaveProperty('count');
      expect(consoleErrors).toEqual([]);
    }), 300_000);
});
