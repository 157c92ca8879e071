// Datasets end to end: a CPU run reviewed with the keyboard and exported (SFT, preference, card;
// separate files and a zip); a JSONL import with a bad line; 100,000 records opened and scrolled.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireShared, type Launched, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, runCritique, storedRecords } from './app';
import { downloads, jsonLines, openDataset, openDatasets, unzipStored, writeSyntheticDataset } from './datasets-helpers';

const server = serveForSuite();

const withOfflineBrowser = (body: (b: Launched) => Promise<void>) => withBrowser({ offline: true }, body);

const model = requireShared('models/stories260K.gguf');
const EDIT = 'An edited answer, written by the reviewer: "quotes", ünïcödé and a\nsecond line.';

interface Reviewed {
  index: number;
  prompt: string;
  review?: { state: string; editedText?: string };
}

async function makeDataset(page: Page): Promise<void> {
  await loadGgufFromDisk(page, model!, 'stories260K.gguf');
  await runCritique(page, { prompts: 3, maxTokens: 32, timeout: 60_000 });
}

/** Waits until the detail shows record `index`, then presses `key`. */
async function pressOn(page: Page, index: number, key: string): Promise<void> {
  await page.waitForSelector(`[data-testid=record-detail][data-index="${index}"]`);
  await page.keyboard.press(key);
}

async function reviewWithKeyboard(page: Page): Promise<void> {
  await page.focus('[data-testid=record-list]');
  await pressOn(page, 0, 'a');
  await page.waitForSelector('[data-testid=record-row][data-index="0"][data-review=accepted]');
  await page.keyboard.press('j');
  await pressOn(page, 1, 'e');
  await page.waitForSelector('[data-testid=review-editor]:focus');
  await page.fill('[data-testid=review-editor]', EDIT);
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid=record-row][data-index="1"][data-review=edited]');
  expect(await page.innerText('[data-testid=detail-original]')).not.toBe('');
  expect(await page.innerText('[data-testid=detail-edited]')).toBe(EDIT);
  await page.keyboard.press('j');
  await pressOn(page, 2, 'r');
  await page.waitForSelector('[data-testid=record-row][data-index="2"][data-review=rejected]');
}

function checkSft(text: string, rejectedPrompt: string) {
  const rows = jsonLines(text);
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(Object.keys(row)).toEqual(['messages']);
    const messages = row.messages as { role: string; content: unknown }[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages.every((m) => typeof m.content === 'string' && Object.keys(m).join() === 'role,content')).toBe(true);
    expect(messages[0]!.content).not.toBe(rejectedPrompt);
  }
  expect(rows.some((r) => (r.messages as { content: string }[])[1]!.content === EDIT)).toBe(true);
}

function checkPreference(text: string, rejectedPrompt: string) {
  const rows = jsonLines(text);
  expect(rows.length).toBeGreaterThanOrEqual(1);
  for (const row of rows) {
    // Stable columns: revision pairs have no judge probability, so their scores are null, never missing.
    expect(row).toMatchObject({ score_chosen: null, score_rejected: null });
    expect(Object.keys(row)).toEqual(['prompt', 'chosen', 'rejected', 'score_chosen', 'score_rejected']);
    for (const key of ['prompt', 'chosen', 'rejected']) {
      const turns = row[key] as { role: string; content: unknown }[];
      expect(turns).toHaveLength(1);
      expect(turns[0]!.role).toBe(key === 'prompt' ? 'user' : 'assistant');
      expect(typeof turns[0]!.content).toBe('string');
    }
    expect((row.prompt as { content: string }[])[0]!.content).not.toBe(rejectedPrompt);
  }
  expect(rows.some((r) => (r.chosen as { content: string }[])[0]!.content === EDIT)).toBe(true);
}

function checkCard(text: string, paths: string[]) {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  expect(front).not.toBeNull();
  // The license and languages picked for this dataset; the SFT rows are the default config.
  expect(front![1]).toMatch(/^license: "cc-by-4.0"$/m);
  expect(front![1]).toMatch(/^language:\n- "en"\n- "fr"$/m);
  expect(front![1]).toMatch(/^- config_name: "sft"\n {2}default: true$/m);
  expect(front![1].match(/default: true/g)).toHaveLength(1);
  expect(front![1]).toMatch(/^dataset_info:$/m);
  for (const key of ['license', 'language', 'task_categories', 'size_categories', 'tags', 'configs']) expect(front![1]).toMatch(new RegExp(`^${key}:`, 'm'));
  expect(front![1]).toMatch(/- "synthetic"/);
  expect(front![1]).toMatch(/- "constitutional-ai"/);
  expect(front![1]).toMatch(/size_categories:\n- "n<1K"/);
  for (const p of paths) expect(front![1]).toContain(`path: "${p}"`);
  expect(text).toMatch(/1 accepted, 1 edited, 1 rejected/);
  expect(text).toMatch(/stories260K\.gguf/);
}

/** Picks the card's license and languages, first naming a bad language code to see it refused. */
async function chooseCardSettings(page: Page) {
  await page.selectOption('[data-testid=export-license]', 'cc-by-4.0');
  await page.fill('[data-testid=export-languages]', 'en, French');
  await page.press('[data-testid=export-languages]', 'Tab');
  expect(await page.innerText('[data-testid=export-settings-problems]')).toMatch(/"French" is not a two- or three-letter ISO 639 code/);
  expect(await page.isDisabled('[data-testid=export-start]')).toBe(true);
  await page.fill('[data-testid=export-languages]', 'en, fr');
  await page.press('[data-testid=export-languages]', 'Tab');
  await page.waitForSelector('[data-testid=export-settings-problems]', { state: 'detached' });
}

/** Unpacks the zip with the system's unzip and lists what is at its root. */
function unpackedRoot(zip: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cai-export-'));
  try {
    writeFileSync(join(dir, 'export.zip'), zip);
    execFileSync('unzip', ['-q', 'export.zip', '-d', 'out'], { cwd: dir });
    expect(existsSync(join(dir, 'out', 'README.md'))).toBe(true);
    return readdirSync(join(dir, 'out')).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function useDownloads(page: Page) {
  if (await page.locator('[data-testid=export-destination]').count()) await page.selectOption('[data-testid=export-destination]', 'downloads');
}

describe.skipIf(!model)('a CPU dataset reviewed with the keyboard and exported', () => {
  it('accepts, edits and rejects by keyboard; SFT, preference and card come out right, as files and as a zip', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await makeDataset(page);
      await openDatasets(page);
      await page.waitForSelector('[data-testid=dataset-row]');
      await page.click('[data-testid=dataset-open]');
      await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]');
      expect(await page.innerText('[data-testid=dataset-shown]')).toBe('Showing 3 of 3');
      await reviewWithKeyboard(page);

      const stored = (await storedRecords<Reviewed>(page)).sort((a, b) => a.index - b.index);
      expect(stored.map((r) => r.review?.state)).toEqual(['accepted', 'edited', 'rejected']);
      expect(stored[1]!.review!.editedText).toBe(EDIT);
      const rejectedPrompt = stored[2]!.prompt;

      await chooseCardSettings(page);
      await useDownloads(page);
      const files = await downloads(page, 3, () => page.click('[data-testid=export-start]'));
      const names = [...files.keys()].sort();
      expect(names).toContain('README.md'); // the name the Hub reads, never prefixed
      expect(names.map((n) => n.replace(/^.*\.(sft|preference)/, '$1')).sort()).toEqual(['README.md', 'preference.jsonl', 'sft.jsonl']);
      const get = (suffix: string) => files.get(names.find((n) => n.endsWith(suffix))!)!.toString('utf8');
      checkSft(get('.sft.jsonl'), rejectedPrompt);
      checkPreference(get('.preference.jsonl'), rejectedPrompt);
      checkCard(get('README.md'), [names.find((n) => n.endsWith('.sft.jsonl'))!, names.find((n) => n.endsWith('.preference.jsonl'))!]);

      // The same export as one zip, with a seeded split: the rows are the same, shared between train and test.
      await page.check('[data-testid=export-zip]');
      await page.check('[data-testid=export-split]');
      await page.fill('[data-testid=export-test-ratio]', '0.5');
      const zipped = await downloads(page, 1, () => page.click('[data-testid=export-start]'));
      const [zipName, zip] = [...zipped.entries()][0]!;
      expect(zipName).toMatch(/\.zip$/);
      const entries = unzipStored(zip);
      expect([...entries.keys()]).toEqual(['sft-train.jsonl', 'sft-test.jsonl', 'preference-train.jsonl', 'preference-test.jsonl', 'README.md']);
      checkSft(entries.get('sft-train.jsonl')!.toString() + entries.get('sft-test.jsonl')!.toString(), rejectedPrompt);
      expect(jsonLines(entries.get('sft-test.jsonl')!.toString())).toHaveLength(1);
      checkCard(entries.get('README.md')!.toString(), ['sft-train.jsonl', 'sft-test.jsonl', 'preference-train.jsonl', 'preference-test.jsonl']);
      if (hasUnzip) expect(unpackedRoot(zip)).toEqual(['README.md', 'preference-test.jsonl', 'preference-train.jsonl', 'sft-test.jsonl', 'sft-train.jsonl']);
      else console.log('unzip is not installed: the zip was read by the test\'s own reader only');

      // The license and languages are kept with the dataset: a reload shows them again.
      await page.reload();
      await openDatasets(page);
      await page.click('[data-testid=dataset-open]');
      await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]');
      expect(await page.inputValue('[data-testid=export-license]')).toBe('cc-by-4.0');
      expect(await page.inputValue('[data-testid=export-languages]')).toBe('en, fr');
      expect(consoleErrors).toEqual([]);
    }));
});

describe('importing a JSONL dataset', () => {
  it('reports the malformed line by number and keeps the valid rows', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await openDatasets(page);
      const row = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
      const text = [row('What is 2+2?', 'Four.'), '{"messages": [ broken', row('Name a colour.', 'Blue.'), '', row('Say hi.', 'Hi!')].join('\n');
      await page.setInputFiles('[data-testid=dataset-import-file]', { name: 'three-good.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) });
      const result = page.locator('[data-testid=dataset-import-result]');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.innerText()).toMatch(/Imported 3 records \(TRL SFT\) as “three-good”/);
      const errors = await page.locator('[data-testid=dataset-import-errors] li').allInnerTexts();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^Line 2: /);

      await openDataset(page, 'three-good');
      expect(await page.innerText('[data-testid=dataset-shown]')).toBe('Showing 3 of 3');
      expect(await page.locator('[data-testid=record-row]').allInnerTexts()).toEqual([
        expect.stringContaining('What is 2+2?'),
        expect.stringContaining('Name a colour.'),
        expect.stringContaining('Say hi.'),
      ]);

      // The same file again, then both merged: the preview counts the copies, the merge drops them.
      await page.click('[data-testid=dataset-close]');
      await page.setInputFiles('[data-testid=dataset-import-file]', { name: 'three-good.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) });
      await expect.poll(() => page.locator('[data-testid=dataset-row]').count(), { timeout: 20_000 }).toBe(2);
      for (const box of await page.locator('[data-testid=dataset-select]').all()) await box.check();
      await page.click('[data-testid=combine-preview]');
      expect(await page.locator('[data-testid=combine-preview-result]').innerText()).toMatch(/Would drop 3 \(3 exact, 0 near\) and keep 3 records/);
      await page.fill('[data-testid=combine-name]', 'merged-once');
      await page.click('[data-testid=combine-create]');
      await page.waitForSelector('[data-testid=combine-result]');
      await expect.poll(() => page.locator('[data-testid=dataset-row]').count()).toBe(3);
      const merged = page.locator('[data-testid=dataset-row]', { hasText: 'merged-once' });
      expect(await merged.locator('[data-testid=dataset-records]').innerText()).toBe('3');
      expect(consoleErrors).toEqual([]);
    }));
});

describe('a dataset of 100,000 records', () => {
  it('opens, lists every record with few DOM rows, and scrolls to the end', () =>
    withOfflineBrowser(async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await writeSyntheticDataset(page, 'synthetic-100k', 'Synthetic 100k', 100_000);
      await openDatasets(page);
      const row = page.locator('[data-testid=dataset-row][data-run-id=synthetic-100k]');
      await expect.poll(() => row.locator('[data-testid=dataset-records]').innerText()).toBe('100,000');
      const started = Date.now();
      await openDataset(page, 'Synthetic 100k');
      const openMs = Date.now() - started;
      console.log(`100k records: listed in ${openMs} ms (${await page.innerText('[data-testid=dataset-open-ms]')})`);
      expect(await page.innerText('[data-testid=dataset-shown]')).toBe('Showing 100,000 of 100,000');
      expect(await page.locator('[data-testid=record-row]').count()).toBeLessThan(60);

      await page.focus('[data-testid=record-list]');
      await page.keyboard.press('End');
      await page.waitForSelector('[data-testid=record-row][data-index="99999"]');
      await page.waitForSelector('[data-testid=record-detail][data-index="99999"]');
      expect(await page.locator('[data-testid=record-row]').count()).toBeLessThan(60);
      await page.keyboard.press('k');
      await page.waitForSelector('[data-testid=record-detail][data-index="99998"]');

      // Scrolling with the wheel/scrollbar too: the rows in view follow.
      await page.locator('[data-testid=record-list]').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await page.waitForSelector('[data-testid=record-row][data-index="50000"]');
      expect(await page.locator('[data-testid=record-row]').count()).toBeLessThan(60);

      // A filter over all 100k: one principle is on every other record.
      await page.selectOption('[data-testid=filter-principle]', 'Harmless');
      await expect.poll(() => page.innerText('[data-testid=dataset-shown]')).toBe('Showing 50,000 of 100,000');
      expect(consoleErrors).toEqual([]);
    }));
});
