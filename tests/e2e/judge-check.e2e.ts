// The judge check end to end on the CPU engine with the tiny model: LLMBar's natural.json imported
// from the preference form ("Check this judge first"), 20 pairs judged, the report card with its
// plots, the JSON and CSV downloads; then two checks compared side by side. The tiny model is near
// chance: these tests check the mechanics, not the agreement.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JudgeCheckRecord } from '../../src/core/recipes/judge-check/types';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, storedRecords } from './app';
import { openDataset, openDatasets } from './datasets-helpers';

const model = requireShared('models/stories260K.gguf');
const natural = requireShared('reference/llmbar/natural.json');
const server = serveForSuite();

type Stored = JudgeCheckRecord & { runId: string };
const checkRow = (page: Page) => page.locator('[data-testid=run-row]', { hasText: 'Judge check' });

// 20 pairs take about 2 minutes on a busy 2-core machine (LLMBar's long answers make long prompts).
const CHECK_MS = 300_000;

async function waitForChecks(page: Page, done: number) {
  await expect.poll(() => checkRow(page).and(page.locator('[data-status=done]')).count(), { timeout: CHECK_MS, interval: 250 }).toBe(done);
}

async function downloaded(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

interface StoredRun {
  id: string;
  name: string;
  spec: { recipe: string; judge: { principlesPerComparison: number }; judgeCheck?: unknown };
}

/** Every stored run, straight from IndexedDB. */
function storedRuns(page: Page): Promise<StoredRun[]> {
  return page.evaluate(
    () =>
      new Promise<StoredRun[]>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv', 'readonly').objectStore('kv').getAll(IDBKeyRange.bound(['run'], ['run', []]));
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

describe.skipIf(!model || !natural)('judge check against human labels', () => {
  it('imports natural.json from the preference form, checks 20 pairs, renders the report card and downloads it', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.click('[data-testid=check-judge-first]');
      await page.setInputFiles('[data-testid=check-file]', natural!);
      await expect.poll(() => page.locator('[data-testid=check-import-summary]').innerText()).toMatch(/^100 labelled pairs in natural\.json$/);
      await page.fill('[data-testid=check-limit]', '20');
      await page.click('[data-testid=start-judge-check]');
      await waitForChecks(page, 1);

      // Every checked pair is stored with what people preferred, judged in both orders.
      const raw = JSON.parse(readFileSync(natural!, 'utf8')) as { input: string; output_1: string; output_2: string; label: 1 | 2 }[];
      const records = (await storedRecords<Stored>(page)).sort((a, b) => a.index - b.index);
      expect(records.map((r) => r.index)).toEqual([...Array(20).keys()]);
      records.forEach((r, i) => {
        expect(r.recipe).toBe('judge-check');
        expect(r.prompt).toBe(raw[i].input);
        expect(r.candidates[r.humanBetter].text).toBe(raw[i].label === 1 ? raw[i].output_1 : raw[i].output_2);
        expect(r.judgements[0].orders.map((o) => o.candidateShownAsA)).toEqual([0, 1]);
        expect(r.judgements[0].orders.every((o) => o.method === 'logprobs' && o.pA! > 0 && o.pA! < 1)).toBe(true);
      });
      // The sides were shuffled by a seeded coin, so people's answer is not always answer 1.
      expect(new Set(records.map((r) => r.humanBetter)).size).toBe(2);

      const card = page.locator('[data-testid=check-report]');
      await expect.poll(() => card.locator('[data-testid=check-interval]').innerText()).toMatch(/of 20$/);
      expect(await card.locator('[data-testid=check-agreement]').innerText()).toMatch(/^\d+\.\d%$/);
      expect(await card.locator('[data-testid=check-interval]').innerText()).toMatch(/^95% interval \d+\.\d%–\d+\.\d% · \d+ of 20$/);
      expect(await card.locator('[data-testid=check-kappa]').innerText()).toMatch(/^-?\d\.\d{3}$/);
      expect(await card.locator('[data-testid=check-single]').innerText()).toMatch(/^\d+\.\d%$/);
      expect(await card.locator('[data-testid=check-consistency]').innerText()).toMatch(/^\d+\.\d%$/);
      expect(await card.locator('[data-testid=check-ece]').innerText()).toMatch(/^\d\.\d{3}$/);
      expect(await card.locator('[data-testid=check-reliability] svg circle.dot').count()).toBeGreaterThan(0);
      expect(await card.locator('[data-testid=check-coverage] svg circle.dot').count()).toBeGreaterThan(0);
      expect(await card.locator('[data-testid=check-coverage-lines] li').first().innerText()).toMatch(/^Keeping only labels with margin ≥ 0 gives accuracy \d+\.\d% on 100\.0% of pairs$/);
      expect(await card.locator('[data-testid=check-principles] tbody tr').count()).toBeGreaterThan(0);
      expect(await card.locator('[data-testid=check-suggested-margin]').innerText()).toMatch(/Suggested tie margin|No margin/);

      const json = await downloaded(page, 'check-download-json');
      expect(json.name).toMatch(/\.judge-check\.json$/);
      const report = JSON.parse(json.text);
      expect(report.pairs).toBe(20);
      expect(report.bothOrders.n).toBe(20);
      expect(report.check).toMatchObject({ file: 'natural.json', judgeModel: 'stories260K.gguf', judge: { mode: 'plain', principlesPerComparison: 1 } });
      expect(report.coverage.length).toBeGreaterThan(0);
      const agreed = records.filter((r) => r.label.pAnswer1 !== null && r.label.pAnswer1 !== 0.5 && (r.label.pAnswer1 > 0.5 ? 0 : 1) === r.humanBetter).length;
      expect(report.bothOrders.agreed).toBe(agreed);
      const csv = await downloaded(page, 'check-download-csv');
      expect(csv.text.split('\r\n')[0]).toBe('section,name,value,n');
      expect(csv.text).toContain('figure,pairs,20,20');
      expect(consoleErrors).toEqual([]);
    }), CHECK_MS + 60_000);

  it('compares two checks side by side, and a later preference run with the same judge names the check', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'judge-check');
      for (const [principles, done] of [['1', 1], ['2', 2]] as const) {
        await page.fill('[data-testid=judge-principles]', principles);
        await page.setInputFiles('[data-testid=check-file]', natural!);
        await expect.poll(() => page.locator('[data-testid=check-import-summary]').innerText()).toMatch(/^100 labelled pairs/);
        await page.fill('[data-testid=check-limit]', '4');
        await page.click('[data-testid=start-judge-check]');
        await waitForChecks(page, done);
      }
      // The second check is open; compare it with the first.
      const compareWith = page.locator('[data-testid=check-compare-with]');
      await expect.poll(() => compareWith.locator('option').count()).toBe(2);
      await compareWith.selectOption({ index: 1 });
      const table = page.locator('[data-testid=check-compare]');
      await table.waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows[0]).toMatch(/^Pairs\s+4\s+4\s*$/);
      expect(rows.find((r) => r.startsWith('Agreement with people'))).toMatch(/\d+\.\d%\s+\d+\.\d%\s+[+-]?\d+\.\d%/);
      expect(await table.locator('thead th').nth(2).innerText()).toMatch(/1 principle ·/);
      const stored = await storedRecords<Stored>(page);
      const principlesPerRun = new Map<string, number>();
      for (const r of stored) principlesPerRun.set(r.runId, r.judgements.length);
      expect([...principlesPerRun.values()].sort()).toEqual([1, 2]);

      // A preference run started now with the second check's settings names that check for its card.
      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.fill('[data-testid=judge-principles]', '2');
      await page.check('[data-testid=pair-source-imported]');
      const pairs = JSON.stringify({ prompt: 'Tell me about a cat.', answerA: 'The cat sat.', answerB: 'Cat.' });
      await page.setInputFiles('[data-testid=pref-import-file]', { name: 'one.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(pairs) });
      await page.click('[data-testid=start-preference-run]');
      await page.locator('[data-testid=run-row]', { hasText: 'Preference' }).and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
      const runs = await storedRuns(page);
      const check = runs.find((r) => r.spec.recipe === 'judge-check' && r.spec.judge.principlesPerComparison === 2)!;
      const preference = runs.find((r) => r.spec.recipe === 'preference')!;
      expect(preference.spec.judgeCheck).toMatchObject({ runId: check.id, name: check.name, pairs: 4 });
      expect(consoleErrors).toEqual([]);
    }));
});

describe('the Datasets tab reads the same pair shapes', () => {
  it('imports UltraFeedback-binarized, HH-RLHF and TRL implicit-prompt rows as a preference dataset', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openDatasets(page);
      const u = (content: string) => ({ role: 'user', content });
      const a = (content: string) => ({ role: 'assistant', content });
      const text = [
        JSON.stringify({ prompt: 'Write a haiku.', chosen: [u('Write a haiku.'), a('Leaves fall softly.')], rejected: [u('Write a haiku.'), a('No.')], score_chosen: 8.5, score_rejected: 3 }),
        JSON.stringify({ chosen: '\n\nHuman: Name a colour.\n\nAssistant: Blue.', rejected: '\n\nHuman: Name a colour.\n\nAssistant: Seven.' }),
        JSON.stringify({ chosen: [u('Add 2 and 2.'), a('4')], rejected: [u('Add 2 and 2.'), a('5')] }),
        JSON.stringify({ chosen: 'plain text', rejected: 'more text' }),
      ].join('\n');
      await page.setInputFiles('[data-testid=dataset-import-file]', { name: 'pairs.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) });
      const result = page.locator('[data-testid=dataset-import-result]');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.innerText()).toMatch(/Imported 3 records \(answer pairs\) as “pairs”/);
      expect(await page.locator('[data-testid=dataset-import-errors] li').allInnerTexts()).toEqual([expect.stringMatching(/^Line 4: no prompt/)]);
      await openDataset(page, 'pairs');
      expect(await page.locator('[data-testid=record-row]').allInnerTexts()).toEqual([
        expect.stringContaining('Write a haiku.'),
        expect.stringContaining('Name a colour.'),
        expect.stringContaining('Add 2 and 2.'),
      ]);
      expect(consoleErrors).toEqual([]);
    }));
});
