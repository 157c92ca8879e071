// An import merged into the constitution open in the editor: the editor shows the merge, and the next
// keystroke saves on top of it (never the texts the editor held before).
import { describe, expect, it } from 'vitest';
import { serveForSuite } from './harness';
import { openApp } from './app';
import { newLibraryItem, storedItem, withBrowser } from './library-helpers';

const server = serveForSuite();

describe('merging into the constitution being edited', () => {
  it('reloads the editor, and the next keystroke keeps the merged comparisons', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      const { editor, id } = await newLibraryItem(page, 'constitution');
      await page.fill('[data-testid=constitution-description]', 'my own words');
      await expect.poll(async () => (await storedItem<{ description: string }>(page, 'constitution', id))?.description).toBe('my own words');

      const list = ['Which response is kinder? Options:'];
      await page.setInputFiles('[data-testid=constitution-import-file]', { name: 'comparisons.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(list)) });
      await page.waitForSelector('[data-testid=constitution-preview]');
      await page.selectOption('[data-testid=comparison-target]', id);
      await page.click('[data-testid=constitution-import-confirm]');
      await expect.poll(() => editor.locator('[data-testid=principle-comparison]').nth(0).inputValue()).toBe('Which response is kinder?');

      // One keystroke in the editor, then its save: the merge must still be there.
      await page.locator('[data-testid=constitution-description]').press('End');
      await page.locator('[data-testid=constitution-description]').pressSequentially('!');
      type Stored = { description: string; principles: { comparison: string }[] };
      await expect.poll(async () => (await storedItem<Stored>(page, 'constitution', id))?.description).toBe('my own words!');
      const stored = await storedItem<Stored>(page, 'constitution', id);
      expect(stored?.principles[0]?.comparison).toBe('Which response is kinder?');
      expect(consoleErrors).toEqual([]);
    }));
});
