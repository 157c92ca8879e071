// Cancel asks first (it cannot be undone), and a cancelled run stops showing its live trace and ETA.
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp } from './app';

const server = serveForSuite();
const model = requireShared('models/stories260K.gguf');

describe.skipIf(!model)('cancelling a run', () => {
  it('asks for a yes, says it cannot be undone, and then shows no live trace or time left', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      // Nothing loaded: the Make-data tab says what to do first, with a model that runs here (no WebGPU: CPU).
      expect(await page.locator('[data-testid=first-steps]').innerText()).toMatch(/No WebGPU in this browser, so a CPU model: \S.+ \(~\d+ MB download\)/);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      expect(await page.locator('[data-testid=first-steps]').count()).toBe(0);
      // Runs are told apart by recipe · model · prompt set · time.
      await page.fill('[data-testid=sample-count]', '5');
      await page.fill('[data-testid=rounds]', '3'); // long enough to be cancelled while it runs
      await page.fill('[data-testid=few-shot]', '0');
      await page.fill('[data-testid=max-tokens]', '200');
      await page.click('[data-testid=start-run]');
      await page.waitForSelector('[data-testid=live-trace]', { timeout: 60_000 });
      expect(await page.locator('[data-testid=run-row] button.link').innerText()).toMatch(/^Critique → revision · stories260K\.gguf · Sample prompts · /);
      // The pace shows from the first streamed tokens.
      await expect.poll(() => page.locator('[data-testid=run-progress]').innerText(), { timeout: 30_000 }).toMatch(/[1-9][\d.]* tokens\/s/);

      await page.click('[data-testid=cancel]');
      const dialog = page.locator('[data-testid=confirm-dialog]');
      expect(await dialog.innerText()).toMatch(/cannot be resumed/);
      await page.click('[data-testid=confirm-cancel]');
      expect(await page.locator('[data-testid=run-row]').getAttribute('data-status')).toBe('running');

      await page.click('[data-testid=cancel]');
      await page.click('[data-testid=confirm-ok]');
      await page.waitForSelector('[data-testid=run-row]:not([data-status=running])', { timeout: 30_000 });
      expect(await page.locator('[data-testid=run-row]').getAttribute('data-status')).toBe('cancelled');
      // Batched trace events still in flight must not bring the trace back.
      await page.waitForTimeout(500); // the worker flushes its trace batch every 100 ms
      expect(await page.locator('[data-testid=live-trace]').count()).toBe(0);
      expect(await page.locator('[data-testid=run-progress]').innerText()).not.toMatch(/ETA|tokens\/s/);

      // The Datasets tab shows the storage line once (the page header's), not twice.
      await page.click('[data-testid=tab-datasets]');
      await page.waitForSelector('[data-testid=dataset-list]');
      expect(await page.getByText(/^Storage: .+ used of .+ available/).count()).toBe(1);
      expect(consoleErrors).toEqual([]);
    }));
});
