// "Import…" on the library lists (issue 12): a file picked from the prompt-set list becomes a new
// set named after the file, in one step; the constitution list opens a picker the same way.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveForSuite } from './harness';
import { openApp } from './app';
import { openLibrary, storedItem, withBrowser } from './library-helpers';

const server = serveForSuite();

/** Clicks a button and answers the file picker it must open. */
async function pickWith(page: Page, button: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.click(button)]);
  await chooser.setFiles(file);
}

const csv = 'id,prompt\n1,How do bees find flowers?\n2,"Why is the sea salty?"\n3\n4,How do bees find flowers?\n';

describe('Import… on the prompt-set list', () => {
  it('makes a new set named after the file, reports skipped lines by number, and a second import gets " (2)"', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'prompts');
      const before = await page.locator('[data-testid=prompt-set-item]').count();
      await pickWith(page, '[data-testid=prompt-set-import]', { name: 'my-prompts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

      const editor = page.locator('[data-testid=prompt-set-editor]');
      await expect.poll(() => page.inputValue('[data-testid=prompt-set-name]').catch(() => ''), { timeout: 30_000 }).toBe('my-prompts');
      expect(await page.innerText('[data-testid=prompt-count]')).toBe('2 prompts');
      const report = await page.innerText('[data-testid=prompt-set-import-report]');
      expect(report).toContain('“my-prompts”: 2 prompts from my-prompts.csv');
      expect(report).toMatch(/1 duplicate removed · 1 line skipped/);
      expect(await page.innerText('[data-testid=prompt-set-import-errors]')).toMatch(/Line 4: has 1 columns/);
      const id = (await editor.getAttribute('data-id'))!;
      await expect
        .poll(async () => (await storedItem<{ name: string; prompts: { text: string }[] }>(page, 'promptset', id)))
        .toMatchObject({ name: 'my-prompts', prompts: [{ text: 'How do bees find flowers?' }, { text: 'Why is the sea salty?' }] });

      await pickWith(page, '[data-testid=prompt-set-import]', { name: 'my-prompts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect.poll(() => page.inputValue('[data-testid=prompt-set-name]'), { timeout: 30_000 }).toBe('my-prompts (2)');
      expect(await editor.getAttribute('data-id')).not.toBe(id);
      expect(await page.locator('[data-testid=prompt-set-item]').count()).toBe(before + 2);
      // The first set is untouched.
      expect((await storedItem<{ prompts: unknown[] }>(page, 'promptset', id))?.prompts).toHaveLength(2);

      // A file with no prompt makes no set, and says why.
      await pickWith(page, '[data-testid=prompt-set-import]', { name: 'nothing.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from('{"prompt": 42}\n') });
      await expect.poll(() => page.innerText('[data-testid=prompt-set-import-report]').catch(() => ''), { timeout: 30_000 }).toContain('No prompt found in nothing.jsonl');
      expect(await page.innerText('[data-testid=prompt-set-import-errors]')).toMatch(/Line 1: prompt is a number/);
      expect(await page.locator('[data-testid=prompt-set-item]').count()).toBe(before + 2);

      // A file that cannot be read at all names it, and nothing is made.
      await pickWith(page, '[data-testid=prompt-set-import]', { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('') });
      await expect.poll(() => page.innerText('[data-testid=prompt-set-import-error]').catch(() => ''), { timeout: 30_000 }).toMatch(/empty\.txt: is empty/);
      expect(await page.locator('[data-testid=prompt-set-item]').count()).toBe(before + 2);
      expect(consoleErrors).toEqual([]);
    }));

  it('adding from a file into an open set keeps its prompts, and the editor shows the set as written', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'prompts');
      await pickWith(page, '[data-testid=prompt-set-import]', { name: 'first.txt', mimeType: 'text/plain', buffer: Buffer.from('One\nTwo\n') });
      await expect.poll(() => page.inputValue('[data-testid=prompt-set-name]').catch(() => ''), { timeout: 30_000 }).toBe('first');
      const id = (await page.getAttribute('[data-testid=prompt-set-editor]', 'data-id'))!;
      // An edit still waiting to be saved is saved before the add, not lost.
      await page.fill('[data-testid=prompt-set-name]', 'first, renamed');
      await page.check('[data-testid=prompt-add-file]');
      await page.setInputFiles('[data-testid=prompt-import-file]', { name: 'more.txt', mimeType: 'text/plain', buffer: Buffer.from('two\nThree\n') });
      await expect.poll(() => page.innerText('[data-testid=prompt-preview-summary]').catch(() => '')).toMatch(/1 prompt to add · 1 duplicate removed/);
      await page.click('[data-testid=prompt-import-confirm]');
      await expect.poll(() => page.innerText('[data-testid=prompt-import-done]').catch(() => '')).toBe('Added 1 prompt.');
      expect(await page.innerText('[data-testid=prompt-count]')).toBe('3 prompts');
      const stored = await storedItem<{ name: string; prompts: { text: string }[] }>(page, 'promptset', id);
      expect(stored?.name).toBe('first, renamed');
      expect(stored?.prompts.map((p) => p.text)).toEqual(['One', 'Two', 'Three']);
      expect(await page.innerText('[data-testid=prompt-set-list]')).toContain('3 prompts');
      expect(consoleErrors).toEqual([]);
    }));
});

describe('Import… on the constitution list', () => {
  it('opens a file picker; the file becomes a new constitution, named apart from one already listed', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'constitutions');
      const file = { name: 'kindness_rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ constitutions: [{ critic: 'Is the reply unkind?', revision: 'Please rewrite the reply to be kind.' }] })) };
      for (const expected of ['Kindness rules', 'Kindness rules (2)']) {
        await pickWith(page, '[data-testid=constitution-import]', file);
        await page.waitForSelector('[data-testid=constitution-preview]');
        await page.click('[data-testid=constitution-import-confirm]');
        await expect.poll(() => page.inputValue('[data-testid=constitution-name]').catch(() => ''), { timeout: 30_000 }).toBe(expected);
      }
      expect(consoleErrors).toEqual([]);
    }));
});
