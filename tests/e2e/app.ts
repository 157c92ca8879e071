// Page-level helpers shared by the e2e suites: wait for the app, load the tiny model, read the store.
import type { Page } from 'playwright-core';

export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url + '/');
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
}

/** Loads a .gguf through the page's file picker and waits until the page says it is loaded. */
export async function loadGgufFromDisk(page: Page, file: string, name: string): Promise<void> {
  await page.setInputFiles('[data-testid=gguf-file]', file);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes(n),
    name,
    { timeout: 30_000 },
  );
}

/**
 * Starts a critique run of the first `prompts` prompts of the chosen set (one round, no few-shot
 * turns, short replies: the tiny model's context is small) and waits until it is done.
 */
export async function runCritique(page: Page, opts: { prompts: number; maxTokens: number; timeout: number }): Promise<void> {
  await page.fill('[data-testid=sample-count]', String(opts.prompts));
  await page.fill('[data-testid=rounds]', '1');
  await page.fill('[data-testid=few-shot]', '0');
  await page.fill('[data-testid=max-tokens]', String(opts.maxTokens));
  await page.click('[data-testid=start-run]');
  await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: opts.timeout });
}

export interface StoredRecord {
  index: number;
  prompt: string;
  rounds: unknown[];
}

/**
 * Reads every stored record of every run straight from IndexedDB (not through the app's code).
 * `T` names the record shape a test expects (critique records by default); records carry their runId.
 */
export function storedRecords<T = StoredRecord>(page: Page): Promise<T[]> {
  return page.evaluate(
    () =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readonly');
          const req = tx.objectStore('kv').getAll(IDBKeyRange.bound(['chunk'], ['chunk', []]));
          req.onsuccess = () => resolve(req.result.flatMap((chunk: { records: T[] }) => chunk.records));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}
