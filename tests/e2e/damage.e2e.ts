// Damage named, not hidden: stored data edited by hand (a garbage chunk, wrong field types, a
// record and items of a newer schema, a count that disagrees with the log) is listed with what is
// wrong; views and exports count from the log and say what they left out; nothing throws.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveForSuite, withBrowser } from './harness';
import { openApp } from './app';
import { downloads, jsonLines, openDatasets, writeSyntheticDataset } from './datasets-helpers';

const server = serveForSuite();

/** Applies `edits` (key → value; undefined deletes) to the store, like a hand edit in DevTools. */
function editStore(page: Page, edits: [IDBValidKey, unknown][]): Promise<void> {
  return page.evaluate(
    (json) =>
      new Promise<void>((resolve, reject) => {
        const list = JSON.parse(json) as [IDBValidKey, unknown][];
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          for (const [key, value] of list) {
            if (value === undefined) tx.objectStore('kv').delete(key);
            else tx.objectStore('kv').put(value, key);
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    JSON.stringify(edits),
  );
}

function readStored(page: Page, key: (string | number)[]): Promise<unknown> {
  return page.evaluate(
    (k: (string | number)[]) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onsuccess = () => {
          const req = open.result.transaction('kv', 'readonly').objectStore('kv').get(k);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      }),
    key,
  );
}

describe('damaged records', () => {
  it('a garbage chunk, a record of wrong types and one of schema 99: named in the view, left out of exports with a count, never an error', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await writeSyntheticDataset(page, 'dmg', 'damaged-set', 250);
      const chunk0 = (await readStored(page, ['chunk', 'dmg', 0])) as { records: Record<string, unknown>[] };
      chunk0.records[5] = { ...chunk0.records[5], prompt: 42 };
      chunk0.records[7] = { ...chunk0.records[7], schemaVersion: 99 };
      const header = (await readStored(page, ['run', 'dmg'])) as Record<string, unknown>;
      await editStore(page, [
        [['chunk', 'dmg', 0], chunk0],
        [['chunk', 'dmg', 1], 'garbage'],
        [['run', 'dmg'], { ...header, recordCount: 120, cursor: 400 }],
      ]);
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      // The run list counts from the log soon after the app opens, before the Datasets tab is visited.
      await expect.poll(() => page.locator('[data-testid=run-count]').first().innerText(), { timeout: 30_000 }).toBe('250 / 250');

      await openDatasets(page);
      // Marked in the list before it is opened.
      await expect.poll(() => page.locator('[data-testid=dataset-damaged]').innerText().catch(() => ''), { timeout: 30_000 }).toBe('damaged: 102 records cannot be read');
      await page.locator('[data-testid=dataset-open]', { hasText: 'damaged-set' }).click();
      await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]', { timeout: 60_000 });
      const damage = await page.innerText('[data-testid=dataset-damage]');
      expect(damage).toMatch(/100 records in chunk 1 could not be read \(the stored value is string, not a chunk\)/);
      expect(damage).toMatch(/2 records in chunk 0 could not be read \(record dmg:5: field "prompt" must be a string\)/);
      expect(await page.innerText('[data-testid=dataset-counts]')).toMatch(/^250 records/);
      expect(await page.innerText('[data-testid=dataset-shown]')).toBe('Showing 250 of 250');

      // The export writes what can be read and says what it left out.
      if (await page.locator('[data-testid=export-destination]').count()) await page.selectOption('[data-testid=export-destination]', 'downloads');
      const files = await downloads(page, 1, async () => {
        for (const box of await page.locator('[data-testid^=export-format-]').all()) await box.uncheck();
        await page.check('[data-testid=export-format-trace]');
        if (await page.locator('[data-testid=export-card]').isChecked()) await page.uncheck('[data-testid=export-card]');
        await page.click('[data-testid=export-start]');
      });
      const [text] = [...files.values()].map((b) => b.toString('utf8'));
      expect(jsonLines(text!)).toHaveLength(148);
      await page.waitForSelector('[data-testid=export-losses]');
      expect(await page.innerText('[data-testid=export-losses]')).toMatch(/^102 records could not be read and were left out: 2 records in chunk 0 .*100 records in chunk 1/);

      // One count everywhere: the stored 120 is now the log's 250, in the Datasets list and the Make tab.
      await page.click('[data-testid=dataset-close]');
      const row = page.locator('[data-testid=dataset-row]', { hasText: 'damaged-set' });
      await expect.poll(() => row.locator('[data-testid=dataset-records]').innerText(), { timeout: 30_000 }).toBe('250');
      await page.click('[data-testid=tab-make]');
      await expect.poll(() => page.locator('[data-testid=run-count]').first().innerText(), { timeout: 30_000 }).toBe('250 / 250');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-trace]')]);
      expect(jsonLines(readFileSync((await download.path())!, 'utf8'))).toHaveLength(148);
      expect(await page.innerText('[data-testid=download-note]')).toMatch(/102 records could not be read and were left out/);
      expect(consoleErrors).toEqual([]);
    }),
  120_000);
});

describe('damaged library items and run headers', () => {
  it('are listed with what is wrong, can be saved as raw JSON and deleted; a newer version is named', () =>
    withBrowser({ offline: true }, async ({ page, consoleErrors }) => {
      await openApp(page, server.url);
      await writeSyntheticDataset(page, 'fine', 'fine-set', 10);
      await writeSyntheticDataset(page, 'broken', 'broken-set', 10);
      const header = (await readStored(page, ['run', 'broken'])) as Record<string, unknown>;
      await editStore(page, [
        [['run', 'broken'], { ...header, status: 42 }],
        [['run', 'future'], { ...header, id: 'future', schemaVersion: 99 }],
        [['constitution', 'bad-c'], { schemaVersion: 2, id: 'bad-c', name: 7, principles: 'none' }],
        [['promptset', 'bad-p'], 'not an object'],
      ]);
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');

      // Make tab: both damaged run headers listed, the sound run still listed.
      const runs = page.locator('[data-testid=damaged-item][data-kind=run]');
      await expect.poll(() => runs.count()).toBe(2);
      expect(await page.locator('[data-testid=damaged-item][data-id=broken] [data-testid=damaged-problem]').innerText()).toMatch(/field "status" must be one of/);
      expect(await page.locator('[data-testid=damaged-item][data-id=future] [data-testid=damaged-problem]').innerText()).toMatch(/newer version of the app \(schema 99\)/);
      expect(await page.locator('[data-testid=run-row]').count()).toBe(1);

      const [raw] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=damaged-item][data-id=future] [data-testid=damaged-export]')]);
      expect(JSON.parse(readFileSync((await raw.path())!, 'utf8'))).toMatchObject({ id: 'future', schemaVersion: 99, name: 'broken-set' });
      // Data of a newer version is kept untouched.
      expect(await readStored(page, ['run', 'future'])).toMatchObject({ schemaVersion: 99 });

      await page.click('[data-testid=damaged-item][data-id=broken] [data-testid=damaged-delete]');
      await page.click('[data-testid=confirm-ok]');
      await expect.poll(() => runs.count()).toBe(1);
      expect(await readStored(page, ['run', 'broken'])).toBeUndefined();
      expect(await readStored(page, ['chunk', 'broken', 0])).toBeUndefined();

      // Library: the damaged constitution and prompt set.
      await page.click('[data-testid=tab-library]');
      await page.waitForSelector('[data-testid=library][data-loaded=true]');
      const items = page.locator('[data-testid=damaged-item]');
      await expect.poll(() => items.count()).toBe(2);
      expect(await page.locator('[data-testid=damaged-item][data-id=bad-c] [data-testid=damaged-problem]').innerText()).toMatch(/field "name" must be a string/);
      expect(await page.locator('[data-testid=damaged-item][data-id=bad-p] [data-testid=damaged-problem]').innerText()).toMatch(/must be an object/);
      await page.click('[data-testid=damaged-item][data-id=bad-p] [data-testid=damaged-delete]');
      await page.click('[data-testid=confirm-ok]');
      await expect.poll(() => items.count()).toBe(1);
      expect(consoleErrors).toEqual([]);
    }),
  120_000);
});

describe('leftovers of a killed import', () => {
  it('are swept on start, with how much was freed; a write still going on in another tab is left alone', () =>
    withBrowser({ offline: true }, async ({ page, context, consoleErrors }) => {
      await openApp(page, server.url);
      await writeSyntheticDataset(page, 'listed', 'listed-set', 120);
      // Another tab is still writing "import-live" (it holds that writer's lock).
      const other = await context.newPage();
      await openApp(other, server.url);
      await other.evaluate(() => void navigator.locks.request('cai-lab:writing:import-live', () => new Promise(() => undefined)));
      // The chunks an import writes before its header, as a killed import leaves them.
      const chunk = (runId: string, chunkNo: number) => ({ schemaVersion: 2, runId, chunkNo, records: [{ note: 'x'.repeat(4000) }] });
      const edits: [(string | number)[], unknown][] = [];
      for (let c = 0; c < 260; c++) edits.push([['chunk', 'import-dead', c], chunk('import-dead', c)]);
      edits.push([['chunk', 'import-live', 0], chunk('import-live', 0)]);
      await editStore(page, edits as [IDBValidKey, unknown][]);

      await page.reload();
      await page.waitForSelector('[data-testid=storage-swept]', { timeout: 30_000 });
      expect(await page.innerText('[data-testid=storage-swept]')).toMatch(/^Freed 1\.\d MB of storage left by an import or run that did not finish\.$/);
      expect(await readStored(page, ['chunk', 'import-dead', 0])).toBeUndefined();
      expect(await readStored(page, ['chunk', 'import-dead', 259])).toBeUndefined();
      expect(await readStored(page, ['chunk', 'import-live', 0])).toBeDefined();
      expect(await readStored(page, ['chunk', 'listed', 1])).toBeDefined();
      expect(consoleErrors).toEqual([]);
    }),
  120_000);
});
