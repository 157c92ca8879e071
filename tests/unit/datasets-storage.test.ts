import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasetRun, renumber } from '../../src/core/datasets/combine';
import { summaryCounts } from '../../src/core/datasets/filter';
import { summarize, type RecordSummary } from '../../src/core/datasets/summary';
import { crc32 } from '../../src/core/formats/zip';
import type { RunRecord } from '../../src/core/run';
import {
  appendRecord, getRun, lastChunkNo, readRecordAt, readRecordRange, readRecords, resetStoreForTests, reviewMany, sampleSize, saveRun, writeDataset,
} from '../../src/storage';
import { loadSummaries, scanCounts, searchRecords, summarizeRange, type LoadOptions, type SummarySource } from '../../src/datasets/index-build';
import { runExport, type ExportRequest } from '../../src/datasets/export';
import { exportRows } from '../../src/datasets/rows';
import { downloadsTarget, zipDownloadTarget } from '../../src/datasets/export-targets';
import { critique, critiqueRun, preference } from './datasets-fixtures';

beforeEach(() => resetStoreForTests());

/** A stored dataset of n critique records (every 10th rejected, every 10th+1 edited). */
async function stored(n: number, id = 'ds') {
  const records = Array.from({ length: n }, (_, i) =>
    critique(i, i % 10 === 0 ? { review: { state: 'rejected' } } : i % 10 === 1 ? { review: { state: 'edited', editedText: `EDIT ${i}` } } : {}, id),
  );
  const run = await writeDataset(datasetRun({ id, name: 'Stored', format: 'trace', fileName: 'f.jsonl', records: n, sources: [], now: 5 }), records);
  return { run, records };
}

async function summaries(runId: string, sources?: LoadOptions['sources']): Promise<RecordSummary[]> {
  let all: RecordSummary[] = [];
  await loadSummaries(runId, (b) => void (all = all.concat(b)), { first: 1, chunks: 2, sources });
  return all;
}

describe('datasets in storage', () => {
  it('writes a dataset whose run header appears last and whose chunks read back by range', async () => {
    const { run, records } = await stored(450);
    expect((await getRun(run.id))?.spec).toMatchObject({ recipe: 'import', records: 450 });
    expect(await lastChunkNo(run.id)).toBe(4);
    expect(await readRecordRange(run.id, 1, 2)).toEqual(records.slice(100, 300));
    expect(await readRecordAt(run.id, 321)).toEqual(records[321]);
    expect(await readRecordAt(run.id, 999)).toBeUndefined();
    expect((await sampleSize(run.id)).records).toBe(100);
    expect(await lastChunkNo('nothing')).toBe(-1);
  });

  it('refuses records of another run and leaves nothing behind', async () => {
    const run = datasetRun({ id: 'x', name: 'X', format: 'sft', fileName: 'x', records: 1, sources: [], now: 1 });
    await expect(writeDataset(run, [critique(0, {}, 'other')])).rejects.toThrow(/belongs to run other/);
    expect(await getRun('x')).toBeUndefined();
    expect(await readRecords('x')).toEqual([]);
  });

  it('reviews many records chunk by chunk, setting and clearing', async () => {
    const { run } = await stored(250);
    const changed = await reviewMany(run.id, new Map([[5, { state: 'accepted' as const }], [150, { state: 'rejected' as const }], [1, undefined], [900, undefined]]));
    expect(changed.sort((a, b) => a - b)).toEqual([1, 5, 150]);
    const after = await readRecords(run.id);
    expect(after[5]!.review).toEqual({ state: 'accepted' });
    expect(after[150]!.review).toEqual({ state: 'rejected' });
    expect(after[1]!.review).toBeUndefined();
    expect(after[2]!.review).toBeUndefined();
  });

  it('summarises in order from several sources, counts and searches', async () => {
    const { run, records } = await stored(730);
    const one = await summaries(run.id);
    const other: SummarySource = (id, from, count) => summarizeRange(id, from, count);
    const two = await summaries(run.id, [summarizeRange, other]);
    expect(two).toEqual(one);
    expect(one.map((s) => s.index)).toEqual(records.map((r) => r.index));
    expect(summaryCounts(one)).toEqual(await scanCounts(run.id));
    expect(summaryCounts(one)).toMatchObject({ total: 730, rejected: 73, edited: 73, unreviewed: 584 });
    const seen: number[] = [];
    const found = await searchRecords(run.id, '  edit 71 ', (_m, scanned) => seen.push(scanned));
    expect([...found]).toEqual([71, 711]);
    expect(seen[seen.length - 1]).toBe(730);
  });

  it('lists a record it cannot read as unreadable instead of failing', async () => {
    const run = critiqueRun('bad', 2);
    await saveRun(run);
    await appendRecord(run, critique(0, {}, 'bad'));
    const { getStore } = await import('../../src/storage');
    await getStore()('readwrite', (s) => new Promise((resolve) => (s.put({ schemaVersion: 1, runId: 'bad', chunkNo: 0, records: [critique(0, {}, 'bad'), { schemaVersion: 1, index: 1, id: 'bad:1' }] }, ['chunk', 'bad', 0]).onsuccess = resolve)));
    const list = await summaries('bad');
    expect(list.map((s) => s.failed)).toEqual([false, true]);
    expect(list[1]!.title).toMatch(/Unreadable record/);
  });
});

describe('the export runner', () => {
  async function exportTo(req: Partial<ExportRequest> & { run: ExportRequest['run'] }, zip = false) {
    const files = new Map<string, string>();
    const blobs: [string, Blob][] = [];
    const keep = (name: string, blob: Blob) => void blobs.push([name, blob]);
    const target = zip ? zipDownloadTarget('all.zip', keep) : downloadsTarget(keep);
    const full: ExportRequest = { formats: ['sft'], split: null, card: true, prefix: 'p.', counts: summaryCounts([]), records: 0, ...req };
    const result = await runExport(full, target);
    for (const [name, blob] of blobs) files.set(name, zip ? '' : await blob.text());
    return { result, files, blobs };
  }

  it('writes rejected rows out, edits in, and a card with the row counts', async () => {
    const { run, records } = await stored(120);
    const counts = summaryCounts(records.map((r) => summarize(r)));
    const { result, files } = await exportTo({ run, formats: ['sft', 'preference'], counts, records: 120 });
    expect([...files.keys()]).toEqual(['p.sft.jsonl', 'p.preference.jsonl', 'README.md']);
    const sft = files.get('p.sft.jsonl')!.trim().split('\n').map((l) => JSON.parse(l));
    expect(sft).toHaveLength(108);
    expect(sft.some((r) => r.messages[0].content === records[10]!.prompt)).toBe(false);
    expect(sft.filter((r) => /^EDIT /.test(r.messages[1].content))).toHaveLength(12);
    expect(result.files.map((f) => f.rows)).toEqual([108, 108]);
    expect(files.get('README.md')).toContain('path: "p.sft.jsonl"');
    expect(files.get('README.md')).toContain('| sft | train | `p.sft.jsonl` | 108 |');
    // The result the page lists names the card too, with its size.
    expect(result.card).toEqual({ name: 'README.md', bytes: new TextEncoder().encode(files.get('README.md')!).length });
  });

  it('splits by seed, and gives the same bytes however many sources make the rows', async () => {
    const { run } = await stored(300);
    const testIds = new Set(['ds:2', 'ds:3', 'ds:251']);
    const split = { seed: 1, testRatio: 0.01, testIds };
    const one = await exportTo({ run, split, card: false, records: 300 });
    const two = await exportTo({ run, split, card: false, records: 300, sources: [exportRows, (job) => exportRows(job)] });
    expect(two.files).toEqual(one.files);
    expect(one.files.get('p.sft-test.jsonl')!.trim().split('\n')).toHaveLength(3);
    expect(one.files.get('p.sft-train.jsonl')!.trim().split('\n')).toHaveLength(300 - 30 - 3);
  });

  it('streams every file into one zip', async () => {
    const { run } = await stored(150);
    const plain = await exportTo({ run, formats: ['sft', 'trace'], prefix: '', records: 150 });
    const zipped = await exportTo({ run, formats: ['sft', 'trace'], prefix: '', records: 150 }, true);
    const [name, blob] = zipped.blobs[0]!;
    expect(name).toBe('all.zip');
    const entries = readStoredZip(new Uint8Array(await blob.arrayBuffer()));
    expect([...entries.keys()]).toEqual(['sft.jsonl', 'trace.jsonl', 'README.md']);
    for (const file of ['sft.jsonl', 'trace.jsonl']) expect(entries.get(file)).toBe(plain.files.get(file));
  });

  it('stops on cancel and removes what it started', async () => {
    const { run } = await stored(400);
    const controller = new AbortController();
    const blobs: string[] = [];
    const pending = runExport(
      { run, formats: ['sft', 'trace'], split: null, card: true, prefix: '', counts: summaryCounts([]), records: 400 },
      downloadsTarget((n) => void blobs.push(n)),
      () => controller.abort(),
      controller.signal,
    );
    await expect(pending).rejects.toThrow();
    expect(blobs).toEqual([]);
  });

  it('exports preference records with their judged pairs', async () => {
    const records = renumber([preference(0, 0.9, true), preference(1, 0.5, true), preference(2, 0.2, false)], 'pr');
    const run = await writeDataset(datasetRun({ id: 'pr', name: 'Pr', format: 'trace', fileName: 'f', records: 3, sources: [], now: 1 }), records as RunRecord[]);
    const { files } = await exportTo({ run, formats: ['preference', 'kto'], card: false, records: 3 });
    const rows = files.get('p.preference.jsonl')!.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => Object.keys(r))).toEqual([['prompt', 'chosen', 'rejected', 'score_chosen', 'score_rejected'], ['prompt', 'chosen', 'rejected', 'score_chosen', 'score_rejected']]);
    expect(files.get('p.kto.jsonl')!.trim().split('\n')).toHaveLength(4);
  });
});

/** Entries of a stored-only zip, checked against their CRCs, by way of the central directory. */
function readStoredZip(zip: Uint8Array): Map<string, string> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  let at = v.getUint32(end + 16, true);
  const out = new Map<string, string>();
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const [crc, size, nameLen, local] = [v.getUint32(at + 16, true), v.getUint32(at + 24, true), v.getUint16(at + 28, true), v.getUint32(at + 42, true)];
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLen));
    const data = zip.subarray(local + 30 + nameLen, local + 30 + nameLen + size);
    expect(v.getUint32(local + 14, true)).toBe(crc); // the local header was patched with the real CRC
    expect(crc32(data)).toBe(crc);
    out.set(name, new TextDecoder().decode(data));
    at += 46 + nameLen;
  }
  return out;
}
