// Helpers of the datasets e2e suite: the Datasets tab, downloads, a stored-entry ZIP reader and a
// synthetic dataset written straight into IndexedDB with the layout of src/storage/records.ts.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';

export async function openDatasets(page: Page): Promise<void> {
  await page.click('[data-testid=tab-datasets]');
  await page.waitForSelector('[data-testid=dataset-list], [data-testid=dataset-import-file]');
}

/** Opens the dataset named `name` and waits until every record is listed. */
export async function openDataset(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid=dataset-open]', { hasText: name }).first().click();
  await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]', { timeout: 30_000 });
}

/** Clicks `button` and collects `count` downloads as {name: text}. */
export async function downloads(page: Page, count: number, click: () => Promise<void>): Promise<Map<string, Buffer>> {
  const got: Download[] = [];
  const done = new Promise<void>((resolve) => {
    const on = (d: Download) => {
      got.push(d);
      if (got.length === count) (page.off('download', on), resolve());
    };
    page.on('download', on);
  });
  await click();
  await done;
  const files = new Map<string, Buffer>();
  for (const d of got) files.set(d.suggestedFilename(), readFileSync((await d.path())!));
  return files;
}

/** Entries of a ZIP of stored (uncompressed) files, read from its central directory. */
export function unzipStored(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const size = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (zip.readUInt32LE(local + 18) !== size) throw new Error(`${name}: local header size differs from the directory's`);
    out.set(name, zip.subarray(dataAt, dataAt + size));
    at += 46 + nameLen + extra + comment;
  }
  return out;
}

export const jsonLines = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

/**
 * Writes a dataset of `n` critique records (one round each) as run `runId`, straight into
 * IndexedDB: a run under ['run', id] and chunks of 100 under ['chunk', id, chunkNo].
 */
export function writeSyntheticDataset(page: Page, runId: string, name: string, n: number): Promise<void> {
  return page.evaluate(
    ([id, title, total]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('cai-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const store = tx.objectStore('kv');
          const now = Date.now();
          const record = (i: number) => ({
            schemaVersion: 1, id: `${id}:${i}`, runId: id, index: i, promptId: `p${i}`,
            prompt: `Synthetic prompt ${i}: how do I keep a houseplant alive?`,
            initial: `Water it now and then ${i}.`, initialFinish: 'stop',
            rounds: [{ principleId: i % 2 ? 'harm' : 'honest', principleName: i % 2 ? 'Harmless' : 'Honest', critiqueRequest: 'Critique the answer.',
              critique: 'It is vague.', revisionRequest: 'Rewrite it.', revision: `Water it when the soil is dry ${i}.`, critiqueFinish: 'stop', revisionFinish: 'stop' }],
            final: `Water it when the soil is dry ${i}.`, usage: { promptTokens: 40, completionTokens: 30, ms: 300 }, createdAt: now + i,
          });
          for (let c = 0; c * 100 < total; c++) {
            const records = Array.from({ length: Math.min(100, total - c * 100) }, (_, k) => record(c * 100 + k));
            store.put({ schemaVersion: 1, runId: id, chunkNo: c, records }, ['chunk', id, c]);
          }
          const spec = { recipe: 'import', format: 'trace', fileName: 'synthetic.jsonl', records: total, sources: [], skippedLines: 0, droppedDuplicates: 0 };
          const stats = { promptTokens: 40 * total, completionTokens: 30 * total, generationMs: 300 * total };
          store.put({ schemaVersion: 1, id, name: title, spec, status: 'done', cursor: total, recordCount: total, stats, createdAt: now, updatedAt: now }, ['run', id]);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    [runId, name, n] as const,
  );
}
