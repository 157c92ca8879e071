// Keyboard focus in the Datasets tab: opening a dataset with Enter and cancelling an edit with
// Escape leave focus where the user works (never on <body>), and so does closing it; the review keys a/r/e act only in the
// record list and detail; the virtual list tells screen readers each row's place in the whole list.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serveForSuite, withBrowser } from './harness';
import { openApp } from './app';
import { openDatasets, writeSyntheticDataset } from './datasets-helpers';

const server = serveForSuite();

/** data-testid of the focused element, or its tag name when it has none. */
const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName.toLowerCase());

describe('focus and review keys in a dataset', () => {
  it('keeps focus in place after Enter and Escape, and scopes a/r/e to the records', async () => {
    await withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await writeSyntheticDataset(page, 'focus-run', 'Focus dataset', 12);
      await openDatasets(page);

      // Open with the keyboard: focus lands in the dataset view, on its record list.
      await page.focus('[data-testid=dataset-open]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]');
      await page.waitForFunction(() => document.activeElement?.closest('[data-testid=dataset-view]'));
      expect(await focused(page)).toBe('record-list');

      // Rows know their place in the whole list, not only among the rows drawn.
      const first = page.locator('[data-testid=record-list] [role=option]').first();
      expect(await first.getAttribute('aria-setsize')).toBe('12');
      expect(await first.getAttribute('aria-posinset')).toBe('1');

      // e from the list opens the editor; Escape closes it and returns to the list.
      await page.keyboard.press('e');
      await page.waitForSelector('[data-testid=review-editor]:focus');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=review-editor]', { state: 'detached' });
      expect(await focused(page)).toBe('record-list');

      // The Edit button starts an edit too; Escape returns to that button.
      await page.click('[data-testid=review-edit]');
      await page.waitForSelector('[data-testid=review-editor]:focus');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=review-editor]', { state: 'detached' });
      expect(await focused(page)).toBe('review-edit');

      // r on "← All datasets" is not a review key: the record stays unreviewed, the view open.
      await page.focus('[data-testid=dataset-close]');
      await page.keyboard.press('r');
      await page.keyboard.press('a');
      expect(await page.getAttribute('[data-testid=record-review-state]', 'data-state')).toBe('unreviewed');
      // …while in the list it still is.
      await page.focus('[data-testid=record-list]');
      await page.keyboard.press('r');
      await page.waitForSelector('[data-testid=record-review-state][data-state=rejected]');

      // "← All datasets" with Enter: back on the list, focus on the dataset just closed.
      await page.focus('[data-testid=dataset-close]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=dataset-view]', { state: 'detached' });
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'dataset-open', null, { timeout: 10_000 });
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Focus dataset');
      expect(consoleErrors).toEqual([]);
    });
  });
});
