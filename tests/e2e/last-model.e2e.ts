// The model loaded last comes back on the next visit, from the browser's cache, without a click;
// "Don't load automatically" stops that, and a model gone from the cache is named, not fetched.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp } from './app';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();

const loaded = (page: Page) => page.locator('[data-testid=loaded-model]').innerText();
const note = (page: Page) => page.locator('[data-testid=auto-load-note]');

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 30_000 });
}

describe.skipIf(!model)('the last model, loaded again', () => {
  it('loads again after a reload without clicks; after "Don\'t load automatically" a reload loads nothing; a deleted file is named', () =>
    withBrowser({ offline: true, serviceWorkers: 'block' }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      expect(await note(page).count()).toBe(0); // nothing remembered on a first visit
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');

      await reload(page);
      await expect.poll(() => loaded(page), { timeout: 60_000 }).toMatch(/stories260K\.gguf/);
      await expect.poll(() => note(page).getAttribute('data-kind'), { timeout: 30_000 }).toBe('loaded');
      expect(await note(page).innerText()).toMatch(/Loaded stories260K\.gguf again, as last time/);

      await page.click('[data-testid=auto-load-off]');
      expect(await page.locator('[data-testid=auto-load-setting]').isChecked()).toBe(false);
      await reload(page);
      // The cache still holds the model (listed before the page is ready), yet nothing is loaded.
      expect(await page.locator('[data-testid=cached-models] li').count()).toBe(1);
      expect(await page.locator('[data-testid=auto-load-setting]').isChecked()).toBe(false);
      expect(await note(page).count()).toBe(0);
      expect(await loaded(page)).toMatch(/none/);
      expect(await page.locator('[data-testid=load-progress]').count()).toBe(0);

      // Turned on again, with the file deleted from the cache: the page says so and loads nothing.
      await page.check('[data-testid=auto-load-setting]');
      page.once('dialog', (dialog) => dialog.accept());
      await page.locator('[data-testid=cached-models] li').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.locator('[data-testid=cached-models] li').count()).toBe(0);
      await reload(page);
      await expect.poll(() => note(page).getAttribute('data-kind'), { timeout: 30_000 }).toBe('gone');
      expect(await note(page).innerText()).toMatch(/stories260K\.gguf was used last time, but this browser's cache no longer holds it/);
      expect(await loaded(page)).toMatch(/none/);
      expect(consoleErrors).toEqual([]);
    }),
  );
});
