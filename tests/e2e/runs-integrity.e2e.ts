// Runs that start once, refuse prompts no engine can take, and resume exactly what the log lacks:
// two tabs pressing Start together, empty and broken prompts, a resume pointer past the records.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();

async function fillRun(page: Page, prompts: number, maxTokens: number) {
  await page.fill('[data-testid=sample-count]', String(prompts));
  await page.fill('[data-testid=rounds]', '1');
  await page.fill('[data-testid=few-shot]', '0');
  await page.fill('[data-testid=max-tokens]', String(maxTokens));
}

/** Every stored run header, straight from IndexedDB. */
function storedRuns(page: Page): Promise<{ id: string; status: string; cursor: number; recordCount: number }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv', 'readonly').objectStore('kv').getAll(IDBKeyRange.bound(['run'], ['run', []]));
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

describe.skipIf(!model)('starting runs', () => {
  it('two tabs pressing Start in the same instant: one runs, the other stores nothing and says why', () =>
    withBrowser({ offline: true }, async ({ page: first, context, consoleErrors }) => {
      const second = await context.newPage();
      for (const page of [first, second]) {
        await openApp(page, server.url);
        await loadGgufFromDisk(page, model!, 'stories260K.gguf');
        await fillRun(page, 3, 24);
      }
      // Clicked by script in both tabs at once: a real click would wait for the other tab's run to end.
      const press = (page: Page) => page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid=start-run]')!.click());
      await Promise.all([press(first), press(second)]);
      const loser = await Promise.race([
        first.waitForSelector('[data-testid=error]', { timeout: 60_000 }).then(() => first),
        second.waitForSelector('[data-testid=error]', { timeout: 60_000 }).then(() => second),
      ]);
      expect(await loser.locator('[data-testid=error]').innerText()).toMatch(/already running in another tab/);
      const winner = loser === first ? second : first;
      await winner.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 90_000 });
      const runs = await storedRuns(winner);
      expect(runs.map((r) => r.status)).toEqual(['done']);
      // Nothing is left for the losing tab (or a reload) to resume into a duplicate.
      await loser.reload();
      await loser.waitForSelector('[data-testid=app][data-ready=true]');
      expect(await loser.locator('[data-testid=run-row]').count()).toBe(1);
      expect(await loser.locator('[data-testid=resume]').count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    }),
  // Two tabs each load the model: 78 s on a busy 2-core machine.
  300_000);

  it('pasted prompts: a NUL-only line is no prompt, and one with an unpaired surrogate is named and refused before the run', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await fillRun(page, 3, 24);
      await page.check('[data-testid=source-pasted]');
      // Typed text cannot hold these characters; a script (or a paste from a broken source) can.
      await page.evaluate(() => {
        const area = document.querySelector<HTMLTextAreaElement>('[data-testid=pasted-prompts]')!;
        area.value = 'Tell me about the sea.\n\u0000\nWhy is the \ud83d sky blue?\n \u0000 ';
        area.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await expect.poll(() => page.locator('[data-testid=start-run]').innerText()).toMatch(/^Start \(2 prompts/);
      await page.click('[data-testid=start-run]');
      await page.waitForSelector('[data-testid=error]', { timeout: 30_000 });
      expect(await page.locator('[data-testid=error]').innerText()).toMatch(/Prompt 2 \("Why is the \ufffd sky blue\?"\): .*unpaired UTF-16 surrogate/);
      expect(await storedRuns(page)).toEqual([]);
      expect(await page.locator('[data-testid=run-row]').count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    }),
  );
});

/** Hand-damage a finished run: drop records `from`.. and set the stored cursor and count. */
function damageRun(page: Page, keep: number, cursor: number, recordCount: number): Promise<void> {
  return page.evaluate(
    ([k, c, n]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const store = tx.objectStore('kv');
          store.getAll(IDBKeyRange.bound(['run'], ['run', []])).onsuccess = (e) => {
            const [run] = (e.target as IDBRequest).result;
            store.put({ ...run, status: 'paused', cursor: c, recordCount: n }, ['run', run.id]);
            store.get(['tally', run.id]).onsuccess = (t) => {
              const tally = (t.target as IDBRequest).result;
              if (tally) store.put({ ...tally, cursor: c, recordCount: n }, ['tally', run.id]);
            };
            store.get(['chunk', run.id, 0]).onsuccess = (ce) => {
              const chunk = (ce.target as IDBRequest).result;
              store.put({ ...chunk, records: chunk.records.slice(0, k) }, ['chunk', run.id, 0]);
            };
          };
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    [keep, cursor, recordCount] as const,
  );
}

describe.skipIf(!model)('resuming', () => {
  it('a cursor past the stored records and a wrong count: Resume makes every missing prompt and counts the log', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await fillRun(page, 8, 16);
      await page.click('[data-testid=start-run]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });
      await damageRun(page, 4, 6, 3);
      await page.reload();
      await page.waitForSelector('[data-testid=run-row][data-status=paused]', { timeout: 30_000 });
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.click('[data-testid=resume]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });
      const records = await storedRecords(page);
      expect(records.map((r) => r.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(await page.locator('[data-testid=run-count]').innerText()).toBe('8 / 8');
      expect(consoleErrors).toEqual([]);
    }),
  );
});
