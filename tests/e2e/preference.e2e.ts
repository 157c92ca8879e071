// Preference pairs with the model as judge, end to end on the CPU engine with the tiny model:
// sampled candidates judged in both orders, and initial-vs-revision pairs from an earlier run.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreferenceRecord } from '../../src/core/recipes/preference/types';
import type { CritiqueRecord } from '../../src/core/recipes/critique-revision/types';
import { requireShared, type Launched, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, runCritique, storedRecords } from './app';

const model = requireShared('models/stories260K.gguf');
const server = serveForSuite();

const withOfflineBrowser = (body: (b: Launched) => Promise<void>) => withBrowser({ offline: true }, body);

type Stored = (PreferenceRecord | CritiqueRecord) & { runId: string };
const isPreference = (r: Stored): r is PreferenceRecord => 'judgements' in r;

const preferenceRow = (page: Page) => page.locator('[data-testid=run-row]', { hasText: 'Preference' });

async function startPreferenceRun(page: Page) {
  await page.click('[data-testid=start-preference-run]');
  await preferenceRow(page).and(page.locator('[data-status=done]')).waitFor({ timeout: 90_000 });
}

/** Every order of every principle carries P(A) in (0, 1) from the returned alternatives. */
function expectBothOrdersScored(record: PreferenceRecord) {
  expect(record.judgements.length).toBe(1);
  for (const judgement of record.judgements) {
    expect(judgement.orders.map((o) => o.candidateShownAsA)).toEqual([0, 1]);
    for (const order of judgement.orders) {
      expect(order.method).toBe('logprobs');
      expect(order.form).toBe('raw');
      expect(order.top.length).toBeGreaterThan(0);
      expect(order.letterProbabilities.some((p) => p !== null)).toBe(true);
      expect(order.pA).toBeGreaterThan(0);
      expect(order.pA).toBeLessThan(1);
      expect(order.cost.forwardPasses).toBe(1);
    }
    expect(judgement.pAnswer1).toBeGreaterThan(0);
    expect(judgement.pAnswer1).toBeLessThan(1);
  }
  expect(record.lowConfidence).toBe(false);
  expect(record.label.basis).toBe('probabilities');
}

async function download(page: Page, kind: string): Promise<unknown[]> {
  const [file] = await Promise.all([page.waitForEvent('download'), preferenceRow(page).locator(`[data-testid=download-${kind}]`).click()]);
  return readFileSync((await file.path())!, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const message = (role: string) => ({ role, content: expect.any(String) });

/** The downloads hold exactly the decided, confident records, in TRL's shapes. Returns the row count. */
async function expectTrlExports(page: Page, records: PreferenceRecord[]): Promise<number> {
  const exported = records.filter((r) => r.chosen !== null && !r.lowConfidence).sort((a, b) => a.index - b.index);
  if (exported.length === 0) {
    // Every comparison a tie (or unsure): an empty download is offered disabled, never as a 0-byte file.
    for (const kind of ['preference', 'kto']) await expect.poll(() => preferenceRow(page).locator(`[data-testid=download-${kind}]`).isDisabled()).toBe(true);
    return 0;
  }
  const rows = await download(page, 'preference');
  expect(rows).toHaveLength(exported.length);
  rows.forEach((row, i) => {
    const record = exported[i];
    expect(Object.keys(row as object)).toEqual(['prompt', 'chosen', 'rejected', 'score_chosen', 'score_rejected']);
    expect(row).toEqual({
      prompt: [{ role: 'user', content: record.prompt }],
      chosen: [{ role: 'assistant', content: record.chosen }],
      rejected: [{ role: 'assistant', content: record.rejected }],
      score_chosen: expect.any(Number),
      score_rejected: expect.any(Number),
    });
    const { score_chosen, score_rejected } = row as { score_chosen: number; score_rejected: number };
    const p = record.label.pAnswer1!;
    expect(score_chosen).toBeCloseTo(record.label.verdict === 'answer1' ? p : 1 - p, 12);
    expect(score_chosen).toBeGreaterThan(0.5);
    expect(score_chosen + score_rejected).toBeCloseTo(1, 12);
  });

  const kto = await download(page, 'kto');
  expect(kto).toHaveLength(2 * exported.length);
  kto.forEach((row, i) => {
    expect(Object.keys(row as object)).toEqual(['prompt', 'completion', 'label']);
    expect(row).toEqual({ prompt: [message('user')], completion: [message('assistant')], label: i % 2 === 0 });
  });
  return rows.length;
}

describe.skipIf(!model)('preference runs with the model as judge', () => {
  it('sampled pairs: both orders scored in (0, 1), summary shown, TRL preference and KTO rows', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.check('[data-testid=pair-source-sampled]');
      await page.fill('[data-testid=pref-sample-count]', '3');
      await page.fill('[data-testid=pref-max-tokens]', '32');
      await page.check('[data-testid=judge-loaded]');
      expect(await page.locator('[data-testid=judge-mode]').inputValue()).toBe('plain');
      expect(await page.locator('[data-testid=judge-raw]').isChecked()).toBe(true);
      expect(await page.locator('[data-testid=judge-tie-margin]').inputValue()).toBe('0.05');
      expect(await page.locator('[data-testid=pref-temperature-a]').inputValue()).toBe('0.7');
      expect(await page.locator('[data-testid=pref-temperature-b]').inputValue()).toBe('1.1');
      // The tiny model's labels sit within a percent or two of 50%: with no tie margin they are
      // still decided, so the export has rows whose shape can be checked.
      await page.fill('[data-testid=judge-tie-margin]', '0');
      await startPreferenceRun(page);

      const records = (await storedRecords<Stored>(page)).filter(isPreference);
      expect(records.map((r) => r.index).sort()).toEqual([0, 1, 2]);
      for (const record of records) {
        expectBothOrdersScored(record);
        expect(record.candidates.map((c) => c.origin)).toEqual(['sampled', 'sampled']);
        expect(record.candidates.map((c) => c.temperature)).toEqual([0.7, 1.1]);
        expect(record.candidates[0].seed).not.toBe(record.candidates[1].seed);
        expect(record.judgeModel).toBe('stories260K.gguf');
      }

      const summary = page.locator('[data-testid=pref-summary]');
      await expect.poll(() => summary.locator('[data-testid=pref-comparisons]').innerText()).toBe('3');
      expect(await summary.locator('[data-testid=pref-consistency]').innerText()).toMatch(/^\d+%$/);
      expect(await summary.locator('[data-testid=pref-first-won]').innerText()).toMatch(/^\d+%$/);
      expect(await summary.locator('[data-testid=pref-margin]').innerText()).toMatch(/^0\.\d{3}$/);
      expect(await summary.locator('[data-testid=pref-invalid]').innerText()).toBe('0');
      const ties = records.filter((r) => r.label.verdict === 'tie').length;
      expect(await summary.locator('[data-testid=pref-ties]').innerText()).toBe(String(ties));
      expect(await page.locator('[data-testid=pref-record]').count()).toBe(3);
      expect(await page.locator('[data-testid=pref-label]').first().textContent()).toMatch(/P\(answer 1 better\) = \d+\.\d%/);

      expect(records.every((r) => r.tieMargin === 0 && r.label.verdict !== 'tie')).toBe(true);
      expect(await expectTrlExports(page, records)).toBe(3);
      expect(consoleErrors).toEqual([]);
    }));

  it('initial vs revision pairs from a critique → revision run made first', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await runCritique(page, { prompts: 2, maxTokens: 32, timeout: 60_000 });

      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.check('[data-testid=pair-source-revision]');
      expect(await page.locator('[data-testid=pref-blocker]').innerText()).toMatch(/Pick a critique → revision run/);
      const options = page.locator('[data-testid=pref-revision-run] option');
      await expect.poll(() => options.count()).toBe(2);
      expect(await options.nth(1).innerText()).toMatch(/\(2 records\)/);
      await page.selectOption('[data-testid=pref-revision-run]', { index: 1 });
      await startPreferenceRun(page);

      const stored = await storedRecords<Stored>(page);
      const critique = stored.filter((r): r is CritiqueRecord & { runId: string } => !isPreference(r)).sort((a, b) => a.index - b.index);
      const records = stored.filter(isPreference).sort((a, b) => a.index - b.index);
      expect(critique).toHaveLength(2);
      expect(records).toHaveLength(2);
      records.forEach((record, i) => {
        expectBothOrdersScored(record);
        expect(record.promptId).toBe(critique[i].promptId);
        expect(record.prompt).toBe(critique[i].prompt);
        expect(record.candidates).toEqual([
          { text: critique[i].initial, origin: 'initial' },
          { text: critique[i].final, origin: 'revision' },
        ]);
      });
      await expect.poll(() => page.locator('[data-testid=pref-summary] [data-testid=pref-comparisons]').innerText()).toBe('2');
      // Default tie margin 0.05: near-50% labels are ties and leave the export.
      const ties = records.filter((r) => r.label.verdict === 'tie').length;
      expect(await page.locator('[data-testid=pref-ties]').innerText()).toBe(String(ties));
      expect(await expectTrlExports(page, records)).toBe(2 - ties);
      expect(consoleErrors).toEqual([]);
    }));

  it('another judge model: every candidate is written first, then the judge is loaded once', () =>
    withOfflineBrowser(async ({ page, context, consoleErrors }) => {
      // Two cache entries of the same file, by URL and from disk, are two models to the app.
      const url = 'https://huggingface.co/test-owner/tiny-GGUF/resolve/main/stories260K.gguf';
      await context.route(url, (route) => route.fulfill({ status: 200, body: readFileSync(model!), headers: { 'content-type': 'application/octet-stream' } }));
      await openApp(page, server.url);
      await page.fill('[data-testid=cpu-url]', url);
      await page.click('[data-testid=load-url]');
      await expect.poll(() => page.locator('[data-testid=cached-models] li').count(), { timeout: 30_000 }).toBe(1);
      // Both have the same name, so wait for the second cache entry rather than for the name.
      await page.setInputFiles('[data-testid=gguf-file]', model!);
      await expect.poll(() => page.locator('[data-testid=cached-models] li').count(), { timeout: 30_000 }).toBe(2);

      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.fill('[data-testid=pref-sample-count]', '2');
      await page.fill('[data-testid=pref-max-tokens]', '24');
      await page.check('[data-testid=judge-other]');
      expect(await page.locator('[data-testid=pref-blocker]').innerText()).toMatch(/Pick the judge model/);
      const values = await page.locator('[data-testid=judge-model] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const byUrl = values.find((v) => v.startsWith('cpu:') && !v.startsWith('cpu:local_'));
      expect(byUrl).toBeTruthy();
      await page.selectOption('[data-testid=judge-model]', byUrl!);
      await startPreferenceRun(page);

      expect(await page.locator('[data-testid=phase-progress]').innerText()).toMatch(/candidates: 2 \/ 2 done/);
      expect(await preferenceRow(page).locator('td').nth(1).innerText()).toBe('stories260K.gguf → stories260K.gguf');
      const records = (await storedRecords<Stored>(page)).filter(isPreference);
      expect(records).toHaveLength(2);
      records.forEach(expectBothOrdersScored);
      expect(consoleErrors).toEqual([]);
    }));

  it('imported pairs: bad lines are listed by number, the valid pairs are judged', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await page.selectOption('[data-testid=recipe]', 'preference');
      await page.check('[data-testid=pair-source-imported]');
      const lines = [
        JSON.stringify({ prompt: 'Tell me a story about a cat.', answerA: 'The cat slept.', answerB: 'Once upon a time a cat found a hat.' }),
        '{not json',
        JSON.stringify({ prompt: 'Say hello.', answerA: 'Hello!' }),
        JSON.stringify({ id: 'dog', prompt: 'Tell me about a dog.', chosen: 'The dog ran in the park.', rejected: 'Dog.' }),
      ];
      await page.setInputFiles('[data-testid=pref-import-file]', { name: 'pairs.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
      await expect.poll(() => page.locator('[data-testid=pref-import-summary]').innerText()).toMatch(/2 valid pairs in pairs\.jsonl, 2 lines skipped/);
      const errors = await page.locator('[data-testid=pref-import-errors] li').allInnerTexts();
      expect(errors).toEqual([expect.stringMatching(/^Line 2: /), expect.stringMatching(/^Line 3: needs "answerA" and "answerB"/)]);
      await startPreferenceRun(page);

      const records = (await storedRecords<Stored>(page)).filter(isPreference).sort((a, b) => a.index - b.index);
      expect(records.map((r) => [r.promptId, r.prompt])).toEqual([['imported-1', 'Tell me a story about a cat.'], ['dog', 'Tell me about a dog.']]);
      expect(records[1].candidates).toEqual([
        { text: 'The dog ran in the park.', origin: 'imported' },
        { text: 'Dog.', origin: 'imported' },
      ]);
      records.forEach(expectBothOrdersScored);
      expect(consoleErrors).toEqual([]);
    }));
});
