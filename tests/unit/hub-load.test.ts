// The export loaded by Hugging Face `datasets` itself, where Python has it: every config by name,
// the default one without a name, row counts as the card says. Skipped, with the reason, elsewhere.
// DATASETS_PYTHON names the Python to use (default python3).
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetRun } from '../../src/core/datasets/combine';
import { formatsFor } from '../../src/core/datasets/export-plan';
import { summaryCounts } from '../../src/core/datasets/filter';
import type { RecipeId } from '../../src/core/recipes/recipe';
import type { RunRecord } from '../../src/core/run';
import { runExport } from '../../src/datasets/export';
import { downloadsTarget } from '../../src/datasets/export-targets';
import { resetStoreForTests, writeDataset } from '../../src/storage';
import { backTranslate, critique, preference, round, selfInstruct } from './datasets-fixtures';

const python = process.env.DATASETS_PYTHON ?? 'python3';
const has = spawnSync(python, ['-c', 'import datasets, huggingface_hub'], { encoding: 'utf8' }).status === 0;
if (!has) console.log(`hub-load: skipped, ${python} cannot import datasets and huggingface_hub (set DATASETS_PYTHON to a Python that can)`);

const LOAD = `
import json, sys
from datasets import load_dataset
from huggingface_hub import DatasetCard
folder, names = sys.argv[1], sys.argv[2].split(",")
card = DatasetCard.load(folder + "/README.md").data
out = {"license": card.license, "language": card.language, "default": {k: v.num_rows for k, v in load_dataset(folder).items()}}
for name in names:
    out[name] = {k: v.num_rows for k, v in load_dataset(folder, name).items()}
print(json.dumps(out))
`;

describe.skipIf(!has)('an export loaded by Hugging Face datasets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cai-hub-'));
  afterAll(() => (process.env.KEEP_HUB_DIR ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

  it('loads every config by name, the default without one, with the counts the export wrote', async () => {
    resetStoreForTests();
    const records: RunRecord[] = [
      ...Array.from({ length: 30 }, (_, i) => critique(i, i % 5 === 0 ? { review: { state: 'edited', editedText: `edit ${i}` } } : i % 7 === 0 ? { error: 'did not fit', rounds: [], final: '' } : {}, 'h')),
      critique(30, { rounds: [round('Honest', 'a'), round('Kind', 'b')], final: 'b' }, 'h'),
      ...Array.from({ length: 12 }, (_, i) => preference(40 + i, i % 3 ? 0.8 : null, true, i % 3 ? {} : { label: { pAnswer1: null, verdict: 'answer2', basis: 'letters' }, chosen: 'two', rejected: 'one' }, 'h')),
      selfInstruct(60, 'h'),
      backTranslate(61, 'h'),
    ].map((r, i) => ({ ...r, index: i, id: `h:${i}` }));
    const run = await writeDataset(datasetRun({ id: 'h', name: 'Hub load', format: 'trace', fileName: 'h.jsonl', records: records.length, sources: [], now: 1 }), records);
    const recipes = [...new Set(records.map((r) => r.recipe))] as RecipeId[];
    const formats = formatsFor(new Set(recipes));
    const testIds = new Set(records.filter((r) => r.index % 4 === 0).map((r) => r.id));
    const written: Promise<void>[] = [];
    const save = (name: string, blob: Blob) => void written.push(blob.arrayBuffer().then((b) => writeFileSync(join(dir, name), Buffer.from(b))));
    const result = await runExport(
      { run, formats, split: { seed: 1, testRatio: 0.25, testIds }, card: true, prefix: '', counts: summaryCounts([]), records: records.length, options: { recipes, margin: true, caiHalves: { seed: 2 } }, settings: { license: 'cc-by-4.0', languages: ['en'], sourceDatasets: [] } },
      downloadsTarget(save),
    );
    await Promise.all(written);
    const out = spawnSync(python, ['-c', LOAD, dir, formats.join(',')], { encoding: 'utf8', env: { ...process.env, HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_HOME: join(dir, '.hf') } });
    if (out.status !== 0) console.log(out.stderr.split('\n').slice(-60).join('\n'));
    expect(out.status).toBe(0);
    const loaded = JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    const want = Object.fromEntries(formats.map((f) => [f, Object.fromEntries(result.files.filter((x) => x.format === f).map((x) => [x.split, x.rows]))]));
    expect(loaded).toEqual({ license: 'cc-by-4.0', language: ['en'], default: want.cai, ...want });
  }, 120_000);
});
