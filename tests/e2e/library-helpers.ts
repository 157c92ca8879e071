// Helpers of the library e2e suites: a browser per test, the Library tab, stored items.
import type { Page } from 'playwright-core';
import { withBrowser as withBrowserOf, type Launched } from './harness';

export const withBrowser = (body: (b: Launched) => Promise<void>) => withBrowserOf({ offline: true }, body);

export interface StoredPrinciple {
  critique: string;
  enabled: boolean;
}

/** A stored library item, read straight from IndexedDB (not through the app's code). */
export function storedItem<T>(page: Page, kind: 'constitution' | 'promptset', id: string): Promise<T | undefined> {
  return page.evaluate(
    ([k, key]) =>
      new Promise<T | undefined>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv', 'readonly').objectStore('kv').get([k, key]);
          req.onsuccess = () => resolve(req.result as T | undefined);
          req.onerror = () => reject(req.error);
        };
      }),
    [kind, id] as const,
  );
}

export async function openLibrary(page: Page, part: 'constitutions' | 'prompts') {
  await page.click('[data-testid=tab-library]');
  await page.waitForSelector('[data-testid=library][data-loaded=true]');
  await page.click(`[data-testid=library-${part}]`);
}

/** A new, empty constitution or prompt set, open in its editor: the editor and the stored item's id. */
export async function newLibraryItem(page: Page, kind: 'constitution' | 'prompt-set') {
  await openLibrary(page, kind === 'constitution' ? 'constitutions' : 'prompts');
  await page.click(`[data-testid=${kind}-new]`);
  const editor = page.locator(`[data-testid=${kind}-editor]`);
  await editor.waitFor();
  return { editor, id: (await editor.getAttribute('data-id'))! };
}
