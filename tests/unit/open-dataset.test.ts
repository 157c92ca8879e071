import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasetRun } from '../../src/core/datasets/combine';
import { readRecords, resetStoreForTests, writeDataset } from '../../src/storage';
import { OpenDataset } from '../../src/state/open-dataset.svelte';
import { DatasetExportState } from '../../src/state/dataset-export.svelte';
import { critique, preference } from './datasets-fixtures';

beforeEach(() => resetStoreForTests());

async function opened(n = 250) {
  const records = Array.from({ length: n }, (_, i) => (i % 5 === 4 ? preference(i, 0.9, i % 2 === 0, {}, 'v') : critique(i, {}, 'v')));
  const run = await writeDataset(datasetRun({ id: 'v', name: 'View', format: 'merge', fileName: 'x', records: n, sources: [], now: 1 }), records);
  const counts: number[] = [];
  const dataset = new OpenDataset(run, (_run, c) => counts.push(c.accepted));
  await dataset.load();
  await until(() => dataset.record?.index === 0);
  return { dataset, counts };
}

async function until(ok: () => boolean) {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
}

describe('an open dataset', () => {
  it('lists every record and selects the first', async () => {
    const { dataset } = await opened();
    expect(dataset.loaded).toBe(true);
    expect(dataset.summaries).toHaveLength(250);
    expect(dataset.visible).toHaveLength(250);
    expect(dataset.cursor).toBe(0);
    expect([...dataset.kinds].sort()).toEqual(['critique-revision', 'preference']);
    expect(dataset.firstRowsMs).not.toBeNull();
  });

  it('writes a review before showing it, and edits keep the original', async () => {
    const { dataset, counts } = await opened();
    await dataset.review('accepted');
    expect((await readRecords('v'))[0]!.review).toEqual({ state: 'accepted' });
    expect(dataset.summaries[0]!.review).toBe('accepted');
    expect(counts.at(-1)).toBe(1);
    dataset.move(1);
    await until(() => dataset.record?.index === 1);
    dataset.startEdit();
    expect(dataset.editing).toBe(true);
    dataset.draft = 'My better answer';
    await dataset.review('edited');
    const stored = (await readRecords('v'))[1]!;
    expect(stored.review).toEqual({ state: 'edited', editedText: 'My better answer' });
    expect((stored as { final: string }).final).toBe('better answer number 1 with more words');
    expect(dataset.summaries[1]!).toMatchObject({ review: 'edited', lengthAfter: 3 });
    expect(dataset.editing).toBe(false);
  });

  it('ignores a review while the moved-to record is still being read', async () => {
    const { dataset } = await opened();
    dataset.move(1);
    const pending = dataset.review('rejected'); // the record on screen is still #0
    await pending;
    await until(() => dataset.record?.index === 1);
    expect((await readRecords('v')).filter((r) => r.review)).toEqual([]);
  });

  it('filters, keeps the selection where it can, and moves on from a record the filter hides', async () => {
    const { dataset } = await opened();
    dataset.setFilter({ review: 'unreviewed' });
    await dataset.review('accepted'); // #0 leaves the filter
    expect(dataset.cursor).toBe(-1);
    dataset.move(1);
    await until(() => dataset.record?.index === 1);
    dataset.setFilter({ consistency: 'consistent' });
    await until(() => dataset.record?.index === 4);
    expect(dataset.visible.map((p) => dataset.summaries[p]!.index).slice(0, 3)).toEqual([4, 14, 24]);
    dataset.move(-1);
    expect(dataset.cursor).toBe(0);
  });

  it('searches record texts once typing pauses', async () => {
    const { dataset } = await opened();
    dataset.setQuery('answer number 13 ');
    expect(dataset.textMatches).toBeNull();
    await until(() => !dataset.searching && dataset.textMatches !== null);
    expect([...dataset.textMatches!]).toEqual([13, 130, 131, 132, 133, 135, 136, 137, 138]);
    dataset.setQuery('');
    expect(dataset.visible).toHaveLength(250);
  });

  it('applies bulk actions to the records shown, accept-all keeping edits', async () => {
    const { dataset } = await opened(120);
    await dataset.review('edited'); // not editing: nothing happens
    dataset.startEdit();
    dataset.draft = '  ';
    await dataset.review('edited');
    expect(dataset.error?.message).toMatch(/cannot be empty/);
    expect((await readRecords('v'))[0]!.review).toBeUndefined();
    dataset.draft = 'edited zero';
    await dataset.review('edited');
    dataset.setFilter({ principle: 'Honest' });
    expect(dataset.bulkChanges('accept').size).toBe(dataset.visible.length - 1);
    await dataset.bulk('accept');
    const stored = await readRecords('v');
    expect(stored[0]!.review).toEqual({ state: 'edited', editedText: 'edited zero' });
    expect(stored.filter((r) => r.review?.state === 'accepted')).toHaveLength(dataset.visible.length - 1);
    expect(dataset.counts.accepted).toBe(dataset.visible.length - 1);
    dataset.setFilter({ principle: '' });
    await dataset.bulk('clear');
    expect((await readRecords('v')).filter((r) => r.review)).toEqual([]);
  });

  it('offers the export formats its records have rows for', async () => {
    const { dataset } = await opened(20);
    const exporter = new DatasetExportState(dataset);
    expect(exporter.available).toEqual(['sft', 'preference', 'kto', 'cai', 'trace']);
    expect(exporter.formats).toEqual(['sft', 'preference']);
    exporter.toggle('trace', true);
    exporter.toggle('sft', false);
    expect(exporter.formats).toEqual(['preference', 'trace']);
  });
});
