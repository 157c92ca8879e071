import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasetRun, dedupeAny, dedupeAnyInSlices, recordParts, renumber, sourceOf, sourceOfTrace } from '../../src/core/datasets/combine';
import { constitutionLabel, modelsLabel, recipeLabel, approxBytes } from '../../src/core/datasets/info';
import { runSettings, traceRows } from '../../src/core/formats/trace';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { datasetCard } from '../../src/core/formats/card';
import { cardRunOf, runItemText, runModels, runTotal } from '../../src/core/recipes/index';
import type { RunRecord } from '../../src/core/run';
import { getRun, readRecords, resetStoreForTests, restoreRun, saveRun, writeDataset } from '../../src/storage';
import { combineDatasets, importDataset, previewDuplicates } from '../../src/worker/datasets';
import { backTranslate, critique, critiqueRun, preference, selfInstruct } from './datasets-fixtures';

beforeEach(() => resetStoreForTests());

describe('combining records', () => {
  it('drops exact and near duplicates of every kind, keeping reviewed-in records first', () => {
    const records: RunRecord[] = [
      critique(0, { review: { state: 'rejected' } }),
      critique(1, { prompt: 'Prompt number 0 about gardens', final: 'better answer number 0 with more words' }),
      critique(2, { prompt: 'prompt number 0   ABOUT gardens', final: 'better answer number 0 with more words' }),
      critique(3, { prompt: 'A wholly different prompt about the weather today', final: 'It will rain a lot in the north and be sunny in the south later' }),
      critique(4, { prompt: 'A wholly different prompt about the weather today', final: 'It will rain a lot in the north and be sunny in the south later on' }),
      preference(5, 0.9, true),
      preference(6, 0.9, true, { index: 6, id: 'pref:6', prompt: 'Compare 5', candidates: preference(5, 0.9, true).candidates }),
      selfInstruct(7),
      backTranslate(8),
    ];
    const out = dedupeAny(records, { threshold: 0.8 });
    expect(out.kept.map((r) => r.index)).toEqual([1, 3, 5, 7, 8]);
    expect(out.exact).toBe(3); // records 0 and 2 duplicate 1 (0 is rejected, so 1 is kept), 6 duplicates 5
    expect(out.near).toBe(1);
    expect(dedupeAny(records, { near: false }).near).toBe(0);
    expect(recordParts(backTranslate(1))).toEqual(['Original 1', 'Paraphrase 1']);
  });

  it('renumbers into a new run, keeping ids unless they repeat', () => {
    const out = renumber([critique(5, {}, 'a'), critique(5, {}, 'a'), preference(0, 0.9, true)], 'new');
    expect(out.map((r) => [r.runId, r.index, r.id])).toEqual([['new', 0, 'a:5'], ['new', 1, 'new:1'], ['new', 2, 'pref:0']]);
  });

  it('describes sources and dataset runs', () => {
    const run = critiqueRun('r1');
    expect(sourceOf(run)).toEqual([{ id: 'r1', name: 'Run r1', recipe: 'critique-revision', model: 'tiny.gguf', constitution: 'Garden rules' }]);
    const trace = { id: 'r1', name: 'Run r1', ...runSettings(run) } as { id: string; name: string; recipe: string };
    // A trace line also keeps every setting it gave, so the dataset can describe its run later.
    expect(sourceOfTrace(trace)).toEqual({ ...sourceOf(run)[0], settings: trace });
    const merged = datasetRun({ id: 'm', name: 'Merged', format: 'merge', fileName: 'Run r1, Run r2', records: 4, sources: sourceOf(run), droppedDuplicates: 2, now: 9 });
    expect(restoreRun(merged)).toEqual(merged);
    expect([runTotal(merged.spec), runModels(merged.spec), runItemText(merged.spec, 0)]).toEqual([4, [], '']);
    expect([recipeLabel(merged), modelsLabel(merged), constitutionLabel(merged)]).toEqual(['Merged datasets', 'tiny.gguf', 'Garden rules']);
    expect([recipeLabel(run), modelsLabel(run), constitutionLabel(run)]).toEqual(['Critique → revision', 'tiny.gguf', 'Garden rules']);
    expect(approxBytes(1000, 10, 50)).toBe(5000);
    const card = datasetCard({ title: 'Merged', run: cardRunOf(merged), format: 'sft', configs: [], counts: { total: 4, accepted: 0, rejected: 0, edited: 0, unreviewed: 4, truncated: 0, unchanged: 0 } });
    expect(card).toContain('Merged from Run r1, Run r2; made by Run r1, critique-revision, tiny.gguf, Garden rules.');
    expect(card).not.toContain('Seed:');
  });
});

describe('imports and merges in the worker', () => {
  const sftLine = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

  it('imports a JSONL file, reporting bad lines by number and keeping the rest', async () => {
    const text = [sftLine('q1', 'a1'), 'not json', '', sftLine('q2', 'a2'), '{"chosen": "x", "rejected": "y", "prompt": "p"}'].join('\r\n');
    const file = new Blob([text]);
    const out = await importDataset(file, { fileName: 'mixed.jsonl', name: 'mixed' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.records).toBe(2);
    expect(out.errors.map((e) => e.line)).toEqual([2, 5]);
    expect(out.errors[1]!.message).toMatch(/preference row in a sft file/);
    const run = (await getRun(out.runId))!;
    expect(run.spec).toMatchObject({ recipe: 'import', format: 'sft', fileName: 'mixed.jsonl', records: 2, skippedLines: 2 });
    expect((await readRecords(out.runId)).map((r) => [r.index, r.runId, (r as { prompt: string }).prompt])).toEqual([[0, out.runId, 'q1'], [1, out.runId, 'q2']]);
  });

  it('refuses a file with no readable line and stores nothing', async () => {
    const out = await importDataset('nope\n{"x":1}', { fileName: 'bad.jsonl', name: 'bad' });
    expect(out).toMatchObject({ ok: false, errorCount: 2 });
    expect(out.ok ? '' : out.message).toMatch(/no line could be read/);
  });

  it('re-imports a full-trace export exactly, apart from the new run id and positions', async () => {
    const run = critiqueRun('orig', 3);
    const records = [critique(0, {}, 'orig'), critique(1, { review: { state: 'edited', editedText: 'E' } }, 'orig'), preference(2, 0.8, true, {}, 'orig')];
    const out = await importDataset(toJsonLines(traceRows(run, records)), { fileName: 'trace.jsonl', name: 'again' });
    if (!out.ok) throw new Error(out.message);
    const back = await readRecords(out.runId);
    expect(back).toEqual(records.map((r, i) => ({ ...r, runId: out.runId, index: i })));
    expect((await getRun(out.runId))!.spec).toMatchObject({ format: 'trace', sources: [{ id: 'orig', name: 'Run orig', model: 'tiny.gguf', constitution: 'Garden rules' }] });
  });

  it('merges datasets into a new one, optionally without duplicates, after a preview', async () => {
    await saveRun(critiqueRun('a', 2));
    const a = await writeDataset(datasetRun({ id: 'a', name: 'A', format: 'sft', fileName: 'a', records: 2, sources: [], now: 1 }), [critique(0, {}, 'a'), critique(1, {}, 'a')]);
    const b = await writeDataset(datasetRun({ id: 'b', name: 'B', format: 'sft', fileName: 'b', records: 2, sources: [], now: 1 }), [critique(0, {}, 'b'), critique(1, { final: 'other' }, 'b')]);
    expect(await previewDuplicates([a.id, b.id], { threshold: 0.9 })).toMatchObject({ ok: true, records: 3, exact: 1, near: 0 });
    const merged = await combineDatasets([a.id, b.id], { name: 'A + B', dedupe: { threshold: 0.9 } });
    expect(merged).toMatchObject({ ok: true, records: 3, exact: 1 });
    const run = (await getRun(merged.runId!))!;
    expect(run.spec).toMatchObject({ recipe: 'import', format: 'merge', fileName: 'A, B', droppedDuplicates: 1, records: 3 });
    expect((await readRecords(run.id)).map((r) => r.id)).toEqual(['a:0', 'a:1', 'b:1']);
    expect(await combineDatasets(['missing'], { name: 'x', dedupe: null })).toMatchObject({ ok: false, message: expect.stringMatching(/no longer stored/) });
  });
});

describe('deduplicating in slices', () => {
  it('finds exactly what the one-go dedupe finds, pausing between slices', async () => {
    const records: RunRecord[] = Array.from({ length: 50 }, (_, i) => critique(i, { prompt: `p ${i % 17}`, final: `answer ${i % 17} with a few more words ${i % 2 ? 'and' : 'or'} so on` }));
    let pauses = 0;
    const sliced = await dedupeAnyInSlices(records, { threshold: 0.7 }, async () => pauses++);
    expect(sliced).toEqual(dedupeAny(records, { threshold: 0.7 }));
    expect(pauses).toBe(1);
    expect(sliced.exact + sliced.near).toBeGreaterThan(0);
  });
});
