// The page against a real llama-server (built by scripts/llama-server.mjs, started here on
// 127.0.0.1 with the tiny model; it allows any origin unless told otherwise): connect and show what
// was learned, a critique → revision run with four records in flight and a reload in the middle, the
// live trace following a chosen record, two servers at once, and the API key kept out of everything
// stored or exported. Servers out of reach: server-reach.e2e.ts.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireShared, serveForSuite, withBrowser } from './harness';
import { openApp, storedRecords } from './app';
import { downloads, openDatasets, unzipStored } from './datasets-helpers';
import { layoutProblems, screenshot } from './looks-helpers';
import { connectServers, dumpIndexedDb, dumpWebStorage, fillCritiqueRun, metric, serverError, withServers } from './server-helpers';

const model = requireShared('models/stories260K.gguf');
const app = serveForSuite();

const runStatus = (page: Page) => page.locator('[data-testid=run-row]').first().getAttribute('data-status');
const storedCount = async (page: Page) => Number((await page.locator('[data-testid=run-count]').first().innerText()).split(' / ')[0]);

/** The indexes a finished run stored, in the order they are stored. */
async function indexes(page: Page): Promise<number[]> {
  return (await storedRecords(page)).map((r) => r.index);
}

describe.skipIf(!model)('a llama-server from the page', () => {
  it('connects and shows what it learned; K = 4 in flight, Follow record, a reload mid-run and Resume: every index once, in order', () =>
    withServers(model!, [{ slots: 4, ctx: 8192 }], ([llama]) =>
      withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
        await openApp(page, app.url);
        expect(await connectServers(page, [llama!.url])).toBe('facts');
        const facts = page.locator('[data-testid=server-fact]');
        expect(await facts.locator('[data-testid=fact-kind]').innerText()).toBe('llama.cpp');
        expect(await facts.locator('[data-testid=fact-slots]').innerText()).toBe('4');
        expect(await facts.locator('[data-testid=fact-context]').innerText()).toMatch(/^\d+ tokens$/);
        expect(await facts.locator('[data-testid=fact-logprobs]').innerText()).toMatch(/^512 per token/);
        expect(await facts.locator('[data-testid=fact-constrained]').innerText()).toBe('grammar');
        expect(await page.innerText('[data-testid=loaded-model]')).toMatch(/stories260K/);
        await looksRight(page);

        await fillCritiqueRun(page, { prompts: 8, rounds: 2, maxTokens: 200, inFlight: 4 });
        await page.click('[data-testid=start-run]');
        await followAnotherRecord(page);

        // A reload while records are in flight: what was stored is the contiguous run from index 0.
        await expect.poll(() => storedCount(page), { timeout: 120_000, interval: 50 }).toBeGreaterThan(0);
        expect(await runStatus(page)).toBe('running');
        await page.reload();
        await page.waitForSelector('[data-testid=run-row][data-status=paused]', { timeout: 30_000 });
        const before = await indexes(page);
        expect(before).toEqual(before.map((_, i) => i));
        expect(before.length).toBeLessThan(8);

        await page.click('[data-testid=resume]');
        await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 180_000 });
        expect(await indexes(page)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(await page.innerText('[data-testid=run-count]')).toBe('8 / 8');
        expect(consoleErrors).toEqual([]);
      })),
  // 82 s on a 2-core machine shared with other work.
  400_000);

  it('two servers at once: both get records, and every index is stored once', () =>
    withServers(model!, [{ slots: 2, args: ['--metrics'] }, { slots: 2, args: ['--metrics'] }], (servers) =>
      withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
        await openApp(page, app.url);
        // The second address row, by keyboard: the new field takes the focus.
        await page.focus('[data-testid=server-add]');
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('server-url-1');
        expect(await connectServers(page, servers.map((s) => s.url))).toBe('facts');
        expect(await page.getAttribute('[data-testid=server-facts]', 'data-servers')).toBe('2');
        expect(await page.getAttribute('[data-testid=server-facts]', 'data-slots')).toBe('4');
        const predicted = await Promise.all(servers.map((s) => metric(s.url, 'tokens_predicted_total')));

        await fillCritiqueRun(page, { prompts: 6, rounds: 1, maxTokens: 48 });
        await page.click('[data-testid=start-run]');
        await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 180_000 });
        expect(await indexes(page)).toEqual([0, 1, 2, 3, 4, 5]);
        // Connecting asks each server for a token or two; records are dozens each.
        for (const [i, s] of servers.entries()) expect(await metric(s.url, 'tokens_predicted_total') - predicted[i]!).toBeGreaterThan(20);
        expect(consoleErrors).toEqual([]);
      })),
  );
});

/** Chooses a record in flight other than the one on screen; the live trace switches to it. */
async function followAnotherRecord(page: Page) {
  const follow = page.locator('[data-testid=follow-record]');
  await follow.waitFor({ timeout: 120_000 });
  const shown = Number(await page.getAttribute('[data-testid=live-trace]', 'data-index'));
  const labels = (await follow.locator('option').allInnerTexts()).filter((l) => /^\d+$/.test(l) && Number(l) - 1 !== shown);
  const pick = labels.at(-1)!;
  await follow.selectOption({ label: pick });
  await page.waitForSelector(`[data-testid=live-trace][data-index="${Number(pick) - 1}"]`, { timeout: 30_000 });
  expect(await page.innerText('[data-testid=live-trace] h3')).toMatch(new RegExp(`^Prompt ${pick}:`));
}

/** The panel with its facts fits at the narrowest and widest widths; screenshots in light and dark. */
async function looksRight(page: Page) {
  const problems: string[] = [];
  for (const width of [390, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    const found = await layoutProblems(page);
    if (found.sideways) problems.push(`${width}px: scrolls ${found.sideways} px sideways (${found.widest.join(', ')})`);
    problems.push(...found.overlaps.map((o) => `${width}px: ${o}`));
  }
  expect(problems).toEqual([]);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.locator('[data-testid=server-panel]').scrollIntoViewIfNeeded();
      await screenshot(page, `server-connected-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(!model)('the API key', () => {
  const KEY = 'sk-e2e-never-stored-7f3a9c';

  it('a missing key gets the key message; with it, a run stores the key nowhere; a reload forgets it unless remembered', () =>
    withServers(model!, [{ slots: 2, args: ['--api-key', KEY] }], ([llama]) =>
      withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
        await openApp(page, app.url);
        expect(await connectServers(page, [llama!.url])).toBe('error');
        expect(await serverError(page)).toMatch(/refused the request \(401.*API key is missing or wrong/s);
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('server-key');

        expect(await connectServers(page, [llama!.url], KEY)).toBe('facts');
        await fillCritiqueRun(page, { prompts: 3, rounds: 1, maxTokens: 32 });
        await page.click('[data-testid=start-run]');
        await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 120_000 });
        expect(await indexes(page)).toEqual([0, 1, 2]);

        const exported = await exportZip(page);
        expect(exported.map(([name]) => name)).toContain('README.md'); // the dataset card
        for (const [name, text] of exported) expect(text, name).not.toContain(KEY);
        const db = await dumpIndexedDb(page);
        expect(db).toContain(llama!.url); // the dump does hold the run's model reference…
        expect(db).not.toContain(KEY); // …and never the key
        expect(await dumpWebStorage(page)).not.toContain(KEY);

        // Not remembered: a reload forgets it (the field is empty and the worker sends none).
        await page.reload();
        await page.waitForSelector('[data-testid=app][data-ready=true]');
        expect(await page.inputValue('[data-testid=server-key]')).toBe('');
        expect(await page.isChecked('[data-testid=server-remember]')).toBe(false);
        await page.click('[data-testid=server-connect]');
        await page.waitForSelector('[data-testid=server-error]', { timeout: 60_000 });
        expect(await serverError(page)).toMatch(/401/);

        // Remembered on request: after a reload, Connect works with no typing; unticking forgets it.
        await page.fill('[data-testid=server-key]', KEY);
        await page.check('[data-testid=server-remember]');
        await page.click('[data-testid=server-connect]');
        await page.waitForSelector('[data-testid=server-facts]', { timeout: 60_000 });
        await page.reload();
        await page.waitForSelector('[data-testid=app][data-ready=true]');
        expect(await page.inputValue('[data-testid=server-key]')).toBe(KEY);
        await page.click('[data-testid=server-connect]');
        await page.waitForSelector('[data-testid=server-facts]', { timeout: 60_000 });
        await page.uncheck('[data-testid=server-remember]');
        expect(await dumpWebStorage(page)).not.toContain(KEY);
        expect(consoleErrors.filter((e) => !/401/.test(e))).toEqual([]);
      })),
  );
});

/** Every file of a zipped export of the only dataset (data and card), as text. */
async function exportZip(page: Page): Promise<[string, string][]> {
  await openDatasets(page);
  await page.waitForSelector('[data-testid=dataset-row]');
  await page.click('[data-testid=dataset-open]');
  await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]');
  if (await page.locator('[data-testid=export-destination]').count()) await page.selectOption('[data-testid=export-destination]', 'downloads');
  await page.check('[data-testid=export-zip]');
  const zipped = await downloads(page, 1, () => page.click('[data-testid=export-start]'));
  const [, zip] = [...zipped.entries()][0]!;
  await page.click('[data-testid=tab-make]');
  return [...unzipStored(zip).entries()].map(([name, bytes]) => [name, bytes.toString('utf8')]);
}
