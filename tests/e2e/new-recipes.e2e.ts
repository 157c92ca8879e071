// Magpie, minimal-edit pairs (CLAIR) and contrastive pairs (RLCD) end to end with the CPU engine and
// the tiny model, each run to done and exported; the downloads must parse into the shapes TRL reads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MagpieRecord } from '../../src/core/recipes/magpie/types';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import type { ClairRecord } from '../../src/core/recipes/clair/types';
import type { RlcdRecord } from '../../src/core/recipes/rlcd/types';
import { requireShared, serveForSuite, withBrowser, type Launched } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';
import { openDataset, openDatasets } from './datasets-helpers';
import { withStringMetadata } from './gguf-template';
import { CHATML_SMOLLM2 } from '../unit/fixtures/chat-templates';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();
const withOfflineBrowser = (body: (b: Launched) => Promise<void>) => withBrowser({ offline: true }, body);

async function download(page: Page, runName: string, kind: string): Promise<Record<string, unknown>[]> {
  const row = page.locator('[data-testid=run-row]', { hasText: runName });
  const [file] = await Promise.all([page.waitForEvent('download'), row.locator(`[data-testid=download-${kind}]`).click()]);
  return readFileSync((await file.path())!, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const message = (role: string) => ({ role, content: expect.any(String) });

async function startWith(page: Page, recipe: string): Promise<void> {
  await openApp(page, server.url);
  await loadGgufFromDisk(page, model!, 'stories260K.gguf');
  await page.selectOption('[data-testid=recipe]', recipe);
}

/** Preference rows are pairs of single turns; KTO rows are the same pairs split, good then bad. */
function expectPairExports(pref: Record<string, unknown>[], kto: Record<string, unknown>[], pairs: { prompt: string; chosen: string; rejected: string }[]): void {
  expect(pref).toEqual(pairs.map((p) => ({ prompt: [{ role: 'user', content: p.prompt }], chosen: [{ role: 'assistant', content: p.chosen }], rejected: [{ role: 'assistant', content: p.rejected }], score_chosen: null, score_rejected: null })));
  expect(kto).toHaveLength(pairs.length * 2);
  kto.forEach((row, i) => expect(row).toEqual({ prompt: [message('user')], completion: [message('assistant')], label: i % 2 === 0 }));
}

describe.skipIf(!model)('the newer recipes with the tiny model', () => {
  it('Magpie: no chat template, so a family is picked; 10 samples screened, counted, answered and exported', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await startWith(page, 'magpie');
      // The tiny model's GGUF has no chat template: the form says so and offers the families.
      await page.waitForSelector('[data-testid=mp-no-template]');
      expect(await page.inputValue('[data-testid=mp-family]')).toBe('chatml');
      expect((await page.innerText('[data-testid=mp-prequery]')).trim()).toBe('<|im_start|>user');
      await page.selectOption('[data-testid=mp-family]', 'llama3');
      await page.fill('[data-testid=mp-system]', 'Ask about stories.');
      await expect.poll(() => page.innerText('[data-testid=mp-prequery]')).toContain('<|start_header_id|>user<|end_header_id|>');
      await page.fill('[data-testid=mp-samples]', '10');
      await page.fill('[data-testid=mp-max-tokens]', '48');
      // The tiny model is a base model that never ends a turn: a line break ends it instead.
      await page.check('[data-testid=mp-stop-line]');
      await page.fill('[data-testid=mp-min-chars]', '1');
      await page.check('[data-testid=mp-answer]');
      await page.fill('[data-testid=mp-answer-max-tokens]', '16');
      await page.click('[data-testid=start-magpie]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });

      const records = await storedRecords<MagpieRecord>(page);
      expect(records.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      expect(records.every((r) => r.recipe === 'magpie' && r.preQuery.includes('Ask about stories.'))).toBe(true);
      const kept = records.filter((r) => !r.drop);
      // The tiny model writes story lines, so how many pass the filters varies; each outcome is checked below.
      expect(kept.every((r) => r.prompt.length > 0 && typeof r.answer === 'string')).toBe(true);
      expect(records.filter((r) => r.drop).every((r) => r.answer === undefined)).toBe(true);

      // The summary counts every drop by its filter; kept plus dropped is every sample.
      await expect.poll(() => page.innerText('[data-testid=mp-kept]')).toBe(String(kept.length));
      const counts = await page.locator('[data-testid=mp-drop-count] b').allInnerTexts();
      expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(10 - kept.length);
      // With no prompt set chosen, the run's diversity is shown beside the built-in sample prompts'.
      expect(await page.locator('[data-testid=mp-diversity-reference] td').first().innerText()).toBe(String(samplePromptSet.prompts.length));
      expect(await page.locator('[data-testid=mp-diversity-kept] td').first().innerText()).toBe(String(kept.length));

      const sft = await download(page, 'Magpie', 'sft');
      expect(sft).toEqual(kept.sort((a, b) => a.index - b.index).map((r) => ({ messages: [{ role: 'user', content: r.prompt }, { role: 'assistant', content: r.answer }] })));
      const trace = await download(page, 'Magpie', 'trace');
      expect(trace).toHaveLength(10);
      expect(trace.every((row) => row.recipe === 'magpie')).toBe(true);

      await page.click('[data-testid=save-as-prompt-set]');
      await expect.poll(async () => (await page.locator('[data-testid=saved-prompt-set], [data-testid=save-prompt-set-error]').allInnerTexts()).join())
        .toMatch(kept.length ? new RegExp(`Saved “.+” with ${kept.length} prompts?`) : /every sample was dropped/);
      expect(consoleErrors).toEqual([]);
    }));

  it('Magpie with a model that carries a chat template: the pre-query is read from its GGUF', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'magpie-template-'));
      try {
        const file = path.join(dir, 'stories-chatml.gguf');
        withStringMetadata(model!, file, 'tokenizer.chat_template', CHATML_SMOLLM2);
        await openApp(page, server.url);
        await loadGgufFromDisk(page, file, 'stories-chatml.gguf');
        await page.selectOption('[data-testid=recipe]', 'magpie');
        await page.waitForSelector('[data-testid=mp-own-template]');
        expect(await page.inputValue('[data-testid=mp-family]')).toBe('own');
        const smol = '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n';
        expect((await page.innerText('[data-testid=mp-prequery]')).trim()).toBe(smol.trim());
        await page.fill('[data-testid=mp-samples]', '3');
        await page.fill('[data-testid=mp-max-tokens]', '32');
        await page.check('[data-testid=mp-stop-line]');
        await page.click('[data-testid=start-magpie]');
        await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });
        const records = await storedRecords<MagpieRecord>(page);
        expect(records).toHaveLength(3);
        expect(records.every((r) => r.preQuery === smol)).toBe(true);
        expect(consoleErrors).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('CLAIR: 3 prompts answered and minimally revised, measured, and exported as TRL preference and KTO', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await startWith(page, 'clair');
      await page.fill('[data-testid=cl-count]', '3');
      await page.fill('[data-testid=cl-max-tokens]', '24');
      // Wide limits, so the tiny model's pairs are kept unless identical.
      await page.fill('[data-testid=cl-max-distance]', '1');
      await page.click('[data-testid=start-clair]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });

      const records = (await storedRecords<ClairRecord>(page)).sort((a, b) => a.index - b.index);
      expect(records.map((r) => [r.recipe, r.index])).toEqual([['clair', 0], ['clair', 1], ['clair', 2]]);
      for (const r of records) {
        expect(r.distance).toBeGreaterThanOrEqual(0);
        expect(r.distance).toBeLessThanOrEqual(1);
        expect(r.independent?.distance).toBeGreaterThanOrEqual(0);
        expect(r.revisionRequest).toContain('Change as little as you can');
      }
      await expect.poll(() => page.innerText('[data-testid=cl-pairs]')).toBe('3');
      expect(await page.innerText('[data-testid=cl-median-independent]')).toMatch(/^\d\.\d\d$/);

      const kept = records.filter((r) => !r.dropReason);
      const pairs = kept.map((r) => ({ prompt: r.prompt, chosen: r.revision, rejected: r.answer }));
      expectPairExports(await download(page, 'Minimal-edit pairs', 'preference'), await download(page, 'Minimal-edit pairs', 'kto'), pairs);
      const trace = await download(page, 'Minimal-edit pairs', 'trace');
      expect(trace.map((row) => [row.recipe, row.distance])).toEqual(records.map((r) => ['clair', r.distance]));
      expect(consoleErrors).toEqual([]);
    }));

  it('RLCD: 3 prompts answered under positive and negative instructions, judged, exported with the positive chosen', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await startWith(page, 'rlcd');
      await page.fill('[data-testid=rl-count]', '3');
      await page.fill('[data-testid=rl-max-tokens]', '24');
      await page.check('[data-testid=rl-judge]');
      await page.click('[data-testid=start-rlcd]');
      await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });

      const records = (await storedRecords<RlcdRecord>(page)).sort((a, b) => a.index - b.index);
      expect(records.map((r) => [r.recipe, r.index])).toEqual([['rlcd', 0], ['rlcd', 1], ['rlcd', 2]]);
      for (const r of records) {
        expect(r.positiveInstruction).not.toBe(r.negativeInstruction);
        expect(r.judge?.orders.map((o) => o.candidateShownAsA)).toEqual([0, 1]);
      }
      await expect.poll(() => page.innerText('[data-testid=rl-pairs]')).toBe('3');
      expect(await page.innerText('[data-testid=rl-agreement]')).toMatch(/agreed with the construction on \d of \d pairs/);

      const pairs = records.map((r) => ({ prompt: r.prompt, chosen: r.positive, rejected: r.negative }));
      expectPairExports(await download(page, 'Contrastive pairs', 'preference'), await download(page, 'Contrastive pairs', 'kto'), pairs);
      expect((await download(page, 'Contrastive pairs', 'trace')).map((row) => row.recipe)).toEqual(['rlcd', 'rlcd', 'rlcd']);

      // Browsable and reviewable in the Datasets tab: a rejected pair leaves the export, an edit replaces the chosen answer.
      await openDatasets(page);
      await openDataset(page, 'Contrastive pairs');
      await page.focus('[data-testid=record-list]');
      await page.waitForSelector('[data-testid=record-detail][data-index="0"] [data-recipe=rlcd]');
      await page.keyboard.press('r');
      await page.waitForSelector('[data-testid=record-row][data-index="0"][data-review=rejected]');
      await page.keyboard.press('j');
      await page.waitForSelector('[data-testid=record-detail][data-index="1"]');
      await page.keyboard.press('e');
      await page.waitForSelector('[data-testid=review-editor]:focus');
      await page.fill('[data-testid=review-editor]', 'A reviewed positive answer.');
      await page.keyboard.press('Control+Enter');
      await page.waitForSelector('[data-testid=record-row][data-index="1"][data-review=edited]');
      await page.click('[data-testid=tab-make]');
      expectPairExports(await download(page, 'Contrastive pairs', 'preference'), await download(page, 'Contrastive pairs', 'kto'), [
        { ...pairs[1], chosen: 'A reviewed positive answer.' },
        pairs[2],
      ]);
      expect(consoleErrors).toEqual([]);
    }));
});
