// Runs can be told apart: a default name says recipe · model · prompt set · time, a run is renamed
// in place from the keyboard (Enter saves, Escape cancels and gives focus back), and the new name
// is stored; a cancelled run is marked in the list.
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, runCritique } from './app';

const server = serveForSuite();
const model = requireShared('models/stories260K.gguf');

describe.skipIf(!model)('run names', () => {
  it('renames a run inline with the keyboard, keeps the name after a reload, and marks a cancelled run', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await runCritique(page, { prompts: 2, maxTokens: 16, timeout: 120_000 });
      const name = page.locator('[data-testid=run-name]');
      const original = await name.innerText();
      expect(original).toMatch(/^Critique → revision · stories260K\.gguf · Sample prompts · \S/);
      expect(await page.locator('[data-testid=run-mark]').count()).toBe(0); // a run that went well is not marked

      // Escape leaves the name as it was and puts focus back on Rename.
      await page.focus('[data-testid=run-rename]');
      await page.keyboard.press('Enter');
      const input = page.locator('[data-testid=run-name-input]');
      await input.waitFor();
      expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.type('Thrown away');
      await page.keyboard.press('Escape');
      await name.waitFor();
      expect(await name.innerText()).toBe(original);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('run-rename');

      // Enter saves; the name is stored, so a reload shows it.
      await page.keyboard.press('Enter');
      await input.waitFor();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('  Tiny test, round one  ');
      await page.keyboard.press('Enter');
      await expect.poll(() => name.innerText()).toBe('Tiny test, round one');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('run-rename');
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      expect(await name.innerText()).toBe('Tiny test, round one');

      // A run cancelled before its end is marked in the list.
      await page.waitForSelector('[data-testid=loaded-model]:has-text("stories260K.gguf")', { timeout: 60_000 }); // loaded again, as last time
      await page.fill('[data-testid=sample-count]', '5');
      await page.fill('[data-testid=rounds]', '3');
      await page.fill('[data-testid=max-tokens]', '200');
      await page.click('[data-testid=start-run]');
      const newest = page.locator('[data-testid=run-row]').first();
      await page.waitForSelector('[data-testid=run-row][data-status=running]', { timeout: 60_000 });
      await newest.locator('[data-testid=cancel]').click();
      await page.click('[data-testid=confirm-ok]');
      await page.waitForSelector('[data-testid=run-row][data-status=cancelled]', { timeout: 60_000 });
      const cancelled = page.locator('[data-testid=run-row][data-status=cancelled]');
      expect(await cancelled.getAttribute('data-mark')).toBe('cancelled');
      expect(await cancelled.locator('[data-testid=run-mark]').innerText()).toMatch(/^Cancelled: [0-4] of 5 made$/);
      expect(consoleErrors).toEqual([]);
    }),
  );
});
