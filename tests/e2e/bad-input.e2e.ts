// Bad files at every import: each gets a clear message, valid parts are kept, the page stays
// responsive and nothing already stored changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serveForSuite, withBrowser } from './harness';
import { openApp } from './app';
import { openLibrary } from './library-helpers';
import { openDatasets } from './datasets-helpers';

const server = serveForSuite();
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((clean) => clean()));

type Case = [name: string, bytes: Buffer, expected: RegExp];

const TEN_MB_LINE = JSON.stringify({ prompt: 'Why is the sky blue? '.repeat(500_000) });
const deepLine = '['.repeat(50_000) + ']'.repeat(50_000);
const noise = Buffer.from(Array.from({ length: 8000 }, (_, i) => (i * 7919 + 13) % 256));

/** Every stored value of the app's database, serialised: "nothing stored changed" is an equality. */
function storeSnapshot(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('kv', 'readonly').objectStore('kv').getAll();
          request.onsuccess = () => resolve(JSON.stringify(request.result));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** The page answers within a frame or two: nothing is parsing on its thread. */
async function expectResponsive(page: Page): Promise<void> {
  const ms = await page.evaluate(() => new Promise<number>((resolve) => {
    const start = performance.now();
    requestAnimationFrame(() => resolve(performance.now() - start));
  }));
  expect(ms).toBeLessThan(500);
}

describe('prompt-set imports', () => {
  it('bad files are refused or trimmed with a message, the set and the store unchanged', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'prompts');
      await page.click('[data-testid=prompt-set-new]');
      await page.check('[data-testid=prompt-add-file]');
      const before = await storeSnapshot(page);
      const cases: Case[] = [
        ['empty.txt', Buffer.from(''), /empty/i],
        ['noise.jsonl', noise, /not look like a text file|not valid UTF-8/i],
        ['latin1.txt', Buffer.from([0x48, 0x69, 0x0a, 0xe9, 0x74, 0xe9]), /line 2.*not valid UTF-8/i],
        ['one-line.jsonl', Buffer.from(TEN_MB_LINE), /line 1|too long|longer/i],
        ['deep.jsonl', Buffer.from(deepLine), /line 1/i],
        ['proto.jsonl', Buffer.from('{"__proto__": {"prompt": "polluted"}, "constructor": {"prompt": 1}}'), /line 1|no prompt|nothing/i],
        ['types.jsonl', Buffer.from('{"prompt": 42}\n{"prompt": ["a"]}'), /line 1/i],
      ];
      for (const [name, buffer, expected] of cases) {
        await page.setInputFiles('[data-testid=prompt-import-file]', { name, mimeType: 'application/octet-stream', buffer });
        const shown = page.locator('[data-testid=prompt-import-error], [data-testid=prompt-line-errors], [data-testid=prompt-preview-summary]');
        await expect.poll(async () => (await shown.allInnerTexts()).join('\n'), { timeout: 30_000 }).toMatch(expected);
        await expectResponsive(page);
        expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('prompt');
        await page.setInputFiles('[data-testid=prompt-import-file]', []);
      }
      expect(await storeSnapshot(page)).toBe(before);

      // A BOM and CRLF line ends are fine: every line is kept, none carries a stray "\r" or BOM.
      const crlf = Buffer.from('\ufeffFirst prompt\r\nSecond prompt\r\n\r\nThird prompt\r\n');
      await page.setInputFiles('[data-testid=prompt-import-file]', { name: 'windows.txt', mimeType: 'text/plain', buffer: crlf });
      await expect.poll(() => page.locator('[data-testid=prompt-preview-summary]').innerText(), { timeout: 10_000 }).toMatch(/\b3\b/);
      await page.click('[data-testid=prompt-import-confirm]');
      await expect.poll(() => page.innerText('[data-testid=prompt-count]')).toBe('3 prompts');
      const texts = await page.locator('[data-testid=prompt-set-editor] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
      expect(texts.slice(0, 3)).toEqual(['First prompt', 'Second prompt', 'Third prompt']);
    }));
});

describe('dataset imports', () => {
  it('bad files get a message naming the line, valid rows are kept, nothing stored changes on failure', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, server.url);
      await openDatasets(page);
      const before = await storeSnapshot(page);
      const failures: Case[] = [
        ['empty.jsonl', Buffer.from(''), /empty|no rows|nothing/i],
        ['noise.jsonl', noise, /not look like a text file|not valid UTF-8|line 1/i],
        ['one-line.jsonl', Buffer.from(TEN_MB_LINE), /line 1/i],
        ['deep.jsonl', Buffer.from(deepLine), /line 1/i],
        ['proto.jsonl', Buffer.from('{"__proto__": {"messages": []}, "constructor": 1}'), /line 1/i],
        ['types.jsonl', Buffer.from('{"messages": "hello"}\n{"prompt": 1, "chosen": 2, "rejected": 3}'), /line 1/i],
      ];
      const result = page.locator('[data-testid=dataset-import-result]');
      for (const [name, buffer, expected] of failures) {
        await page.setInputFiles('[data-testid=dataset-import-file]', { name, mimeType: 'application/jsonl', buffer });
        await expect.poll(() => result.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(expected);
        expect(await result.getAttribute('data-ok')).toBe('false');
        await expectResponsive(page);
      }
      expect(await storeSnapshot(page)).toBe(before);
      expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('messages');

      // BOM, CRLF, invalid UTF-8 on one line: that line is reported, the others imported.
      const row = (q: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'ok' }] });
      const mixed = Buffer.concat([
        Buffer.from(`\ufeff${row('one')}\r\n`),
        Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0d, 0x0a]),
        Buffer.from(`${row('three')}\r\n`),
      ]);
      await page.setInputFiles('[data-testid=dataset-import-file]', { name: 'mixed.jsonl', mimeType: 'application/jsonl', buffer: mixed });
      await expect.poll(() => result.getAttribute('data-ok'), { timeout: 20_000 }).toBe('true');
      expect(await result.innerText()).toMatch(/Imported 2 records/);
      expect((await page.locator('[data-testid=dataset-import-errors] li').allInnerTexts()).join('\n')).toMatch(/Line 2/);
    }));

  it('a 50 MB dataset file imports in the worker while the page keeps drawing frames', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openDatasets(page);
      const rows: string[] = [];
      let size = 0;
      for (let i = 0; size < 50 * 1024 * 1024; i++) {
        const row = JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}: why do leaves change colour?` }, { role: 'assistant', content: `Answer ${i}. ${'Chlorophyll fades and other pigments show. '.repeat(12)}` }] });
        rows.push(row);
        size += row.length + 1;
      }
      // Playwright streams a large file from disk while the page reads it: keep it until the end.
      const dir = mkdtempSync(path.join(tmpdir(), 'big-dataset-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'big.jsonl');
      writeFileSync(file, rows.join('\n'));
      await page.setInputFiles('[data-testid=dataset-import-file]', file);
      // Sample frame gaps while the import runs: the page must never freeze for long.
      const worstGap = await page.evaluate(async () => {
        let worst = 0;
        let last = performance.now();
        const deadline = last + 60_000;
        while (!document.querySelector('[data-testid=dataset-import-result]') && performance.now() < deadline) {
          await new Promise(requestAnimationFrame);
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
        }
        return worst;
      });
      const result = page.locator('[data-testid=dataset-import-result]');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.innerText()).toContain(`Imported ${rows.length.toLocaleString('en-US')} records`);
      expect(await result.getAttribute('data-ok')).toBe('true');
      console.log(`50 MB dataset import: ${rows.length} rows, longest frame gap ${Math.round(worstGap)} ms`);
      expect(worstGap).toBeLessThan(1000);
      expect(consoleErrors).toEqual([]);
    }));
});
