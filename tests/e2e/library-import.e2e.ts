// Library imports end to end: bad constitution files, a 50 MB prompt file, comparison lists.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveForSuite } from './harness';
import { openApp } from './app';
import { openLibrary, withBrowser } from './library-helpers';

const server = serveForSuite();

describe('bad constitution files', () => {
  it('each gets a message naming the file (and field or line), and the library is unchanged', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'constitutions');
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const cases: [string, Buffer, RegExp][] = [
        ['empty.json', Buffer.from(''), /empty\.json: is empty/],
        ['noise.json', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)), /noise\.json: does not look like a text file/],
        ['latin1.json', Buffer.from([0x7b, 0x0a, 0x22, 0xe9, 0x22, 0x7d]), /latin1\.json line 2: is not valid UTF-8/],
        ['deep.json', Buffer.from(deep), /deep\.json: is not a constitution file/],
        ['syntax.json', Buffer.from('{\r\n  "constitutions": [\r\n    {"critic": "a",}\r\n  ]\r\n}'), /syntax\.json line 3, column 20: is not valid JSON/],
        ['types.json', Buffer.from('\ufeff{"constitutions": [{"critic": "Fine", "revision": 42}]}'), /types\.json: constitutions\[0\]\.revision must be a string/],
        ['proto.json', Buffer.from('{"__proto__": {"prompt": ["x"]}, "constructor": 1}'), /proto\.json: .+/],
      ];
      for (const [name, buffer, message] of cases) {
        await page.setInputFiles('[data-testid=constitution-import-file]', { name, mimeType: 'application/json', buffer });
        await expect.poll(() => page.locator('[data-testid=constitution-import-error]').innerText().catch(() => ''), { timeout: 10_000 }).toMatch(message);
        expect(await page.locator('[data-testid=constitution-import-error]').innerText()).toContain(`File\n${name}`);
      }
      expect(await page.locator('[data-testid=constitution-item]').count()).toBe(1);

      // A name carrying markup is shown as text and never runs.
      const file = JSON.stringify({
        format: 'cai-lab.constitution', schemaVersion: 1, id: 'xss', name: '<img src=x onerror="window.__pwned=1">', description: '<script>window.__pwned=2</script>', updatedAt: 1,
        principles: [{ id: 'p', name: '<svg onload="window.__pwned=3">', critique: 'c', revision: 'r', comparison: 'q', enabled: true }], fewShot: [],
      });
      await page.setInputFiles('[data-testid=constitution-import-file]', { name: 'markup.json', mimeType: 'application/json', buffer: Buffer.from(file) });
      await page.click('[data-testid=constitution-import-confirm]');
      await page.waitForSelector('[data-testid=constitution-editor][data-id=xss]');
      expect(await page.locator('[data-testid=constitution-item][data-id=xss]').innerText()).toContain('<img src=x onerror="window.__pwned=1">');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src=x], svg[onload]').count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    }));
});

describe('a 50 MB prompt file', () => {
  it('is parsed in the worker: the page keeps drawing frames, and the preview counts every prompt', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'big-prompts-'));
      try {
        const file = path.join(dir, 'big.jsonl');
        const rows: string[] = [];
        let size = 0;
        for (let i = 0; size < 50 * 1024 * 1024; i++) {
          const row = JSON.stringify({ prompt: `Request ${i}: explain tides, moons and the sea in plain words.`, notes: 'x'.repeat(300) });
          rows.push(row);
          size += row.length + 1;
        }
        writeFileSync(file, rows.join('\n'));
        await openApp(page, server.url);
        await openLibrary(page, 'prompts');
        await page.click('[data-testid=prompt-set-new]');
        await page.check('[data-testid=prompt-add-file]');
        // Longest gap between animation frames while the file is read, parsed and previewed.
        await page.evaluate(() => {
          const w = window as unknown as { maxGap: number; watching: boolean };
          w.maxGap = 0;
          w.watching = true;
          let last = performance.now();
          const tick = (now: number) => {
            w.maxGap = Math.max(w.maxGap, now - last);
            last = now;
            if (w.watching) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        await page.setInputFiles('[data-testid=prompt-import-file]', file);
        const summary = page.locator('[data-testid=prompt-preview-summary]');
        await summary.waitFor({ timeout: 60_000 });
        const maxGap = await page.evaluate(() => {
          const w = window as unknown as { maxGap: number; watching: boolean };
          w.watching = false;
          return w.maxGap;
        });
        expect((await summary.innerText()).replace(/\s+/g, ' ')).toContain(`${rows.length} prompts to add`);
        console.log(`50 MB import: ${rows.length} prompts, longest frame gap ${maxGap.toFixed(0)} ms`);
        expect(maxGap).toBeLessThan(1_000);

        // Added, saved, and shown a page at a time.
        await page.click('[data-testid=prompt-import-confirm]');
        await expect.poll(() => page.innerText('[data-testid=prompt-count]'), { timeout: 120_000 }).toBe(`${rows.length} prompts`);
        expect(await page.locator('[data-testid=prompt-row]').count()).toBe(25); // one page (PAGE_SIZE)
        await expect.poll(() => page.getAttribute('[data-testid=save-status]', 'data-status'), { timeout: 30_000 }).toBe('saved');
        expect(consoleErrors).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));
});

describe('a comparison list', () => {
  it('is imported on its own, or merged into a constitution (a built-in one becomes a new copy)', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'constitutions');
      const list = ['Which response is kinder? Options:', 'Comparison request: which response is more honest?\n\nOptions:'];
      const choose = () =>
        page.setInputFiles('[data-testid=constitution-import-file]', { name: 'comparisons.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(list)) });
      await choose();
      await page.waitForSelector('[data-testid=constitution-preview]');
      expect(await page.getAttribute('[data-testid=preview-format]', 'data-format')).toBe('comparison-list');
      expect(await page.innerText('[data-testid=preview-principles]')).toBe('2');
      expect(await page.innerText('[data-testid=preview-warnings]')).toMatch(/comparison-only/);

      await page.selectOption('[data-testid=comparison-target]', 'builtin-harmless');
      await expect.poll(() => page.innerText('[data-testid=preview-principles]')).toBe('20');
      await page.click('[data-testid=constitution-import-confirm]');
      const editor = page.locator('[data-testid=constitution-editor]');
      await editor.waitFor();
      expect(await editor.getAttribute('data-id')).not.toBe('builtin-harmless');
      expect(await page.inputValue('[data-testid=constitution-name]')).toBe('Helpful & harmless');
      const comparisons = editor.locator('[data-testid=principle-comparison]');
      expect(await comparisons.nth(0).inputValue()).toBe('Which response is kinder?');
      expect(await comparisons.nth(1).inputValue()).toBe('which response is more honest?');
      expect(await comparisons.nth(2).inputValue()).toMatch(/safer for someone|ethical|fairly/);
      expect(await page.locator('[data-testid=constitution-item]').count()).toBe(2);
      expect(consoleErrors).toEqual([]);
    }));
});
