// Nothing the model or an imported file says can run script in the page.
import { describe, expect, it } from 'vitest';
import { launchBrowser, requireShared, type Launched, serveForSuite } from './harness';
import { loadGgufFromDisk, openApp } from './app';
import { openDataset, openDatasets } from './datasets-helpers';
import type { Page } from 'playwright-core';

/** Each payload, if ever interpreted as HTML or followed as a link, sets window.__xss. */
export const PAYLOADS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<a href="javascript:window.__xss = \'link\'" id="xss-link">click me</a>',
  '<svg onload="window.__xss = \'svg\'"><script>window.__xss = "svg-script"</script></svg>',
  '"><iframe srcdoc="<script>parent.__xss = 1</script>"></iframe>',
];

/** Asserts no payload ran and none became a live element in the page. */
export async function expectNothingExecuted(page: Page, b: Launched): Promise<void> {
  // Clicking any link a payload may have produced must not run it either.
  for (const link of await page.locator('#app a[href^="javascript:"]').all()) await link.click().catch(() => undefined);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  const live = await page.evaluate(() =>
    [...document.querySelectorAll('#app script, #app img[src="x"], #app iframe, #app svg[onload], #app [onerror]')].map((e) => e.outerHTML),
  );
  expect(live).toEqual([]);
  expect(b.consoleErrors.filter((e) => /xss/i.test(e))).toEqual([]);
}

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();

describe.skipIf(!model)('untrusted text is shown as text', () => {
  it('prompts with HTML payloads run through the pipeline and are shown, never executed', async () => {
    const b = await launchBrowser({ offline: true });
    try {
      const { page } = b;
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs++;
        void d.dismiss();
      });
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.check('[data-testid=source-pasted]');
      await page.fill('[data-testid=pasted-prompts]', PAYLOADS.join('\n'));
      await page.fill('[data-testid=rounds]', '1');
      await page.fill('[data-testid=few-shot]', '0');
      await page.fill('[data-testid=max-tokens]', '16');
      await page.click('[data-testid=start-run]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 60_000 });
      // Open every stored record so its prompt is on screen.
      for (const record of await page.locator('[data-testid=record] summary').all()) await record.click();
      expect(await page.locator('[data-testid=run-view]').innerText()).toContain('<img src=x onerror=');
      await expectNothingExecuted(page, b);
      expect(dialogs).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('model output and names from an imported dataset are shown as text in the Datasets tab', async () => {
    const b = await launchBrowser({ offline: true });
    try {
      const { page } = b;
      await openApp(page, server.url);
      await openDatasets(page);
      const rows = PAYLOADS.map((payload, i) =>
        JSON.stringify({ messages: [{ role: 'user', content: `question ${i} ${payload}` }, { role: 'assistant', content: payload }] }),
      );
      await page.setInputFiles('[data-testid=dataset-import-file]', {
        name: '<img src=x onerror=window.__xss=1>.jsonl',
        mimeType: 'application/jsonl',
        buffer: Buffer.from(rows.join('\n')),
      });
      await page.locator('[data-testid=dataset-import-result][data-ok=true]').waitFor({ timeout: 20_000 });
      await openDataset(page, '<img src=x');
      for (let i = 0; i < PAYLOADS.length; i++) {
        await page.locator('[data-testid=record-row]').nth(i).click();
        await page.keyboard.press('Enter');
      }
      expect(await page.locator('#app').innerText()).toContain('onerror=');
      await expectNothingExecuted(page, b);
    } finally {
      await b.close();
    }
  });
});
