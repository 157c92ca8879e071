// A weak judge at the default tie margin makes every comparison a tie: the page says so, shows the
// margins beside the tie margin and suggests one; the pair downloads are off instead of empty files.
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp } from './app';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();

describe.skipIf(!model)('a preference run where every comparison is a tie', () => {
  it('says so, shows the margin histogram, suggests a margin and disables the empty downloads', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.check('[data-testid=pair-source-sampled]');
      await page.fill('[data-testid=pref-sample-count]', '3');
      await page.fill('[data-testid=pref-max-tokens]', '24');
      await page.check('[data-testid=judge-loaded]');
      await page.fill('[data-testid=judge-tie-margin]', '0.3'); // the tiny model's labels sit near 50%
      await page.click('[data-testid=start-preference-run]');
      const row = page.locator('[data-testid=run-row]', { hasText: 'Preference' });
      await row.and(page.locator('[data-status=done]')).waitFor({ timeout: 120_000 });

      for (const kind of ['preference', 'kto']) {
        expect(await row.locator(`[data-testid=download-${kind}]`).isDisabled()).toBe(true);
      }
      expect(await row.locator('[data-testid=download-trace]').isEnabled()).toBe(true);
      expect(await row.locator('[data-testid=download-empty-reason]').innerText()).toMatch(/every comparison is a tie or undecided/);
      await row.locator('button.link').click();
      const note = page.locator('[data-testid=pref-all-ties]');
      expect(await note.innerText({ timeout: 20_000 })).toMatch(/No comparison was decided at tie margin 0\.3: 3 ties/);
      expect(await note.locator('[data-testid=pref-margin-histogram]').count()).toBe(1);
      const suggested = Number(await note.locator('[data-testid=pref-suggested-margin]').innerText());
      expect(suggested).toBeGreaterThan(0);
      expect(suggested).toBeLessThan(0.3);
      expect(consoleErrors).toEqual([]);
    }));
});
