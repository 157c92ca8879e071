// The library end to end: import a real constitution, edit it, keep the edit across a reload and
// see it in a run's stored trace; import prompts with a bad line; make prompts with back-translation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireShared, serveForSuite } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';
import { openLibrary, storedItem, withBrowser, type StoredPrinciple } from './library-helpers';

const server = serveForSuite();

const constitutionFile = requireShared('reference/llm-swarm/constitution_anthropic.json');
const model = requireShared('models/stories260K.gguf');
const MARKER = 'Marker 7f3a: does the reply mention purple giraffes anywhere?';

describe.skipIf(!constitutionFile || !model)('an imported constitution, edited, in a run', () => {
  it('previews the llm-swarm file, keeps an edit across a reload, and the run draws the edited principle', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'constitutions');
      await page.setInputFiles('[data-testid=constitution-import-file]', constitutionFile!);
      await page.waitForSelector('[data-testid=constitution-preview]');
      expect(await page.getAttribute('[data-testid=preview-format]', 'data-format')).toBe('llm-swarm');
      expect(await page.innerText('[data-testid=preview-principles]')).toBe('16');
      expect(await page.innerText('[data-testid=preview-fewshot]')).toBe('4');
      await page.click('[data-testid=constitution-import-confirm]');

      const editor = page.locator('[data-testid=constitution-editor]');
      await editor.waitFor();
      const id = (await editor.getAttribute('data-id'))!;
      expect(await editor.locator('[data-testid=principle]').count()).toBe(16);
      const first = editor.locator('[data-testid=principle]').first();
      await first.locator('[data-testid=principle-critique]').fill(MARKER);
      await editor.locator('[data-testid=principles-all-off]').click();
      expect(await page.innerText('[data-testid=principles-issue]')).toMatch(/at least one principle/);
      await first.locator('[data-testid=principle-enabled]').check();

      // Saved as you type: the store holds the edit without any save button.
      await expect
        .poll(async () => {
          const c = await storedItem<{ principles: StoredPrinciple[] }>(page, 'constitution', id);
          return c && [c.principles[0].critique, c.principles.filter((p) => p.enabled).length];
        }, { timeout: 5_000 })
        .toEqual([MARKER, 1]);
      await expect.poll(() => page.getAttribute('[data-testid=save-status]', 'data-status')).toBe('saved');

      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      await openLibrary(page, 'constitutions');
      await page.click(`[data-testid=constitution-item][data-id="${id}"]`);
      const reopened = page.locator('[data-testid=principle]').first();
      expect(await reopened.locator('[data-testid=principle-critique]').inputValue()).toBe(MARKER);
      expect(await page.locator('[data-testid=principle-enabled]:checked').count()).toBe(1);

      // Export writes this app's own format, edit included.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=constitution-export]')]);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(download.suggestedFilename()).toMatch(/\.constitution\.json$/);
      expect(exported).toMatchObject({ format: 'cai-lab.constitution', id, fewShot: expect.any(Array) });
      expect(exported.principles[0]).toMatchObject({ critique: MARKER, enabled: true });
      expect(exported.fewShot).toHaveLength(4);

      await page.click('[data-testid=tab-make]');
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=constitution]', id);
      await page.fill('[data-testid=sample-count]', '2');
      await page.fill('[data-testid=rounds]', '2');
      await page.fill('[data-testid=few-shot]', '0'); // the tiny model's context is small
      await page.fill('[data-testid=max-tokens]', '48');
      await page.click('[data-testid=start-run]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 90_000 });

      const records = await storedRecords<{ index: number; rounds: { critiqueRequest: string }[] }>(page);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1]);
      const requests = records.flatMap((r) => r.rounds.map((round) => round.critiqueRequest));
      expect(requests).toHaveLength(4);
      expect(requests.every((r) => r.includes(MARKER))).toBe(true);
      expect(consoleErrors).toEqual([]);
    }));
});

describe('prompt sets', () => {
  it('a JSONL import names the malformed line, drops the duplicate and keeps the rest, across a reload', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openLibrary(page, 'prompts');
      await page.click('[data-testid=prompt-set-new]');
      const editor = page.locator('[data-testid=prompt-set-editor]');
      await editor.waitFor();
      const id = (await editor.getAttribute('data-id'))!;
      await page.fill('[data-testid=prompt-set-name]', 'Imported <b>prompts</b>');

      await page.check('[data-testid=prompt-add-file]');
      const lines = ['{"prompt": "How do tides work?"}', '{"prompt": "broken', '{"instruction": "Write a limerick about a cat."}', '{"prompt": "how do  TIDES work?"}'];
      await page.setInputFiles('[data-testid=prompt-import-file]', { name: 'mixed.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
      const summary = page.locator('[data-testid=prompt-preview-summary]');
      await summary.waitFor();
      expect((await summary.innerText()).replace(/\s+/g, ' ')).toMatch(/2 prompts to add · 1 duplicate removed · 1 line skipped/);
      expect(await page.innerText('[data-testid=prompt-line-errors]')).toMatch(/Line 2: the line is not valid JSON/);
      expect(await page.locator('[data-testid=prompt-field] option').allInnerTexts()).toEqual(expect.arrayContaining(['prompt', 'instruction']));
      await page.fill('[data-testid=prompt-import-tags]', 'physics-ish');
      await page.click('[data-testid=prompt-import-confirm]');
      await expect.poll(() => page.innerText('[data-testid=prompt-count]')).toBe('2 prompts');

      // Pasted prompts go through the same checks.
      await page.check('[data-testid=prompt-add-paste]');
      await page.fill('[data-testid=prompt-paste]', 'Name three rivers in Africa.\n\nHow do tides work?');
      await page.click('[data-testid=prompt-paste-preview]');
      await expect.poll(() => summary.innerText()).toMatch(/1 prompt to add · 1 duplicate removed/);
      await page.click('[data-testid=prompt-import-confirm]');
      await expect.poll(() => page.innerText('[data-testid=prompt-count]')).toBe('3 prompts');

      // CSV: the columns are shown and the chosen one is read.
      await page.check('[data-testid=prompt-add-file]');
      const csv = 'id,question,notes\r\n1,"Why is the sky blue?",short\r\n2,"Say ""hello"", twice",longer note\r\n';
      await page.setInputFiles('[data-testid=prompt-import-file]', { name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect.poll(() => page.locator('[data-testid=prompt-column] option').allInnerTexts()).toEqual(['Guess (question)', 'id', 'question', 'notes']);
      expect(await page.innerText('[data-testid=prompt-preview]')).toContain('Say "hello", twice');
      await page.selectOption('[data-testid=prompt-column]', { label: 'notes' });
      await expect.poll(() => page.innerText('[data-testid=prompt-preview]')).toContain('longer note');
      expect(await page.innerText('[data-testid=prompt-preview]')).not.toContain('Why is the sky blue?');
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await page.innerText('[data-testid=prompt-count]')).toBe('3 prompts');

      await expect
        .poll(async () => (await storedItem<{ prompts: { text: string; tags?: string[] }[] }>(page, 'promptset', id))?.prompts.map((p) => p.text))
        .toEqual(['How do tides work?', 'Write a limerick about a cat.', 'Name three rivers in Africa.']);
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      await openLibrary(page, 'prompts');
      // The name is shown as text, never as markup.
      expect(await page.locator(`[data-testid=prompt-set-item][data-id="${id}"]`).innerText()).toContain('Imported <b>prompts</b>');
      await page.click(`[data-testid=prompt-set-item][data-id="${id}"]`);
      expect(await page.locator('[data-testid=prompt-text]').first().inputValue()).toBe('How do tides work?');
      expect(await page.locator('[data-testid=prompt-tags]').first().inputValue()).toBe('physics-ish');

      // Delete asks first; Cancel keeps the set.
      await page.click('[data-testid=prompt-set-delete]');
      await page.click('[data-testid=confirm-cancel]');
      expect(await page.locator(`[data-testid=prompt-set-item][data-id="${id}"]`).count()).toBe(1);
      await page.click('[data-testid=prompt-set-delete]');
      await page.click('[data-testid=confirm-ok]');
      await expect.poll(() => page.locator(`[data-testid=prompt-set-item][data-id="${id}"]`).count()).toBe(0);
      await expect.poll(() => storedItem(page, 'promptset', id)).toBeUndefined();
      expect(consoleErrors).toEqual([]);
    }));
});

describe.skipIf(!model)('back-translation with the tiny model', () => {
  it('runs to done, stores one record per prompt and saves a prompt set with provenance', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'back-translate');
      await page.fill('[data-testid=bt-count]', '2');
      await page.selectOption('[data-testid=bt-pivots]', ['French', 'German']);
      await page.fill('[data-testid=bt-max-tokens]', '48');
      await page.click('[data-testid=start-back-translate]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 90_000 });

      const records = await storedRecords<{ recipe: string; index: number; translations: { pivot: string }[] }>(page);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1]);
      expect(records.every((r) => r.recipe === 'back-translate' && r.translations.map((t) => t.pivot).join() === 'French,German')).toBe(true);
      expect(await page.locator('[data-testid=record][data-recipe=back-translate]').count()).toBe(2);

      await page.check('[data-testid=save-include-originals]');
      await page.click('[data-testid=save-as-prompt-set]');
      await expect.poll(() => page.locator('[data-testid=saved-prompt-set]').innerText()).toMatch(/Saved “Prompts from back-translation run .+” with \d+ prompts/);

      await openLibrary(page, 'prompts');
      const item = page.locator('[data-testid=prompt-set-item]', { hasText: 'Prompts from back-translation run' });
      await item.click();
      expect(Number((await page.innerText('[data-testid=prompt-count]')).split(' ')[0])).toBeGreaterThanOrEqual(2);
      expect(await page.locator('[data-testid=prompt-tags]').first().inputValue()).toBe('original');
      expect(consoleErrors).toEqual([]);
    }));
});

describe.skipIf(!model)('self-instruct with the tiny model', () => {
  it('runs two batches to done, shows kept and dropped proposals, and saves what it kept', () =>
    withBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'self-instruct');
      await page.fill('[data-testid=si-seed-count]', '4');
      await page.fill('[data-testid=si-batches]', '2');
      await page.fill('[data-testid=si-per-batch]', '3');
      await page.fill('[data-testid=si-max-tokens]', '48');
      await page.fill('[data-testid=si-topics]', 'cooking\ntravel');
      await page.fill('[data-testid=si-threshold]', '0.5');
      await page.click('[data-testid=start-self-instruct]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 90_000 });

      const records = await storedRecords<{ recipe: string; index: number; topic?: string; proposed: string[] }>(page);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1]);
      expect(records.every((r) => r.recipe === 'self-instruct' && ['cooking', 'travel'].includes(r.topic ?? ''))).toBe(true);
      expect(await page.innerText('[data-testid=run-count]')).toBe('2 / 2');
      expect(await page.locator('[data-testid=record][data-recipe=self-instruct]').count()).toBe(2);
      await page.click('[data-testid=save-as-prompt-set]');
      // The tiny model writes stories, so whether any line survives the filters varies: either outcome is said plainly.
      await expect.poll(async () => (await page.locator('[data-testid=saved-prompt-set], [data-testid=save-prompt-set-error]').allInnerTexts()).join()).toMatch(/Saved “.+” with \d+ prompts?|kept no prompts/);
      expect(consoleErrors).toEqual([]);
    }));
});
