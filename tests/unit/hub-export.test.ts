// Exports as Hugging Face `datasets` and the Hub take them: stable columns per config over a mixed
// dataset, a card that parses as YAML with one default config and features matching the rows, the
// card named README.md wherever it goes, and the CAI halves layout with disjoint prompts.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportCard, formatFields, formatsFor, plannedFiles, rowsOf, type ExportOptions } from '../../src/core/datasets/export-plan';
import { datasetRun } from '../../src/core/datasets/combine';
import { summaryCounts } from '../../src/core/datasets/filter';
import { summarize } from '../../src/core/datasets/summary';
import { cardSettingsProblems, listItems } from '../../src/core/formats/card-settings';
import { importJsonl } from '../../src/core/formats/dataset-import';
import { mismatches, struct, type Dtype, type Feature, type Fields } from '../../src/core/formats/features';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { promptHalf } from '../../src/core/formats/split';
import type { RecipeId } from '../../src/core/recipes/recipe';
import type { RunRecord } from '../../src/core/run';
import { directoryTarget, downloadsTarget, zipDownloadTarget, type ExportTarget } from '../../src/datasets/export-targets';
import { runExport } from '../../src/datasets/export';
import { getRun, resetStoreForTests, restoreRun, saveCardSettings, saveRun, writeDataset } from '../../src/storage';
import { backTranslate, clair, critique, magpie, preference, rlcd, round, selfInstruct } from './datasets-fixtures';
import { readZip } from './zip-read';

const withReasoning = preference(20, 0.7, true);
withReasoning.judgements[0]!.orders[0] = { ...withReasoning.judgements[0]!.orders[0], chosen: 'A', reasoning: 'A is kinder.' };
withReasoning.candidates[0] = { ...withReasoning.candidates[0], temperature: 0.7, seed: 11 };

/** The record without these (optional) fields, as stored records lack them. */
function without<R extends RunRecord>(record: R, ...fields: string[]): R {
  const copy = { ...record } as Record<string, unknown>;
  for (const f of fields) delete copy[f];
  return copy as R;
}

/** One of everything: accepted, edited, rejected, failed, multi-round, judged, merged and imported records. */
const mixed: RunRecord[] = [
  critique(0, { review: { state: 'accepted' } }),
  critique(1, { review: { state: 'edited', editedText: 'An edit.' } }),
  critique(2, { review: { state: 'rejected' } }),
  critique(3, { error: 'the prompt did not fit', rounds: [], final: '' }),
  critique(4, { rounds: [round('Honest', 'second draft'), round('Harmless', '  third draft \n', 'length')], final: '  third draft \n' }),
  critique(5, {}, 'other-run'), // merged from another run
  { ...critique(6, { rounds: [], final: 'imported answer' }), source: 'import' }, // an imported SFT row
  preference(10, 0.9, true, { review: { state: 'accepted' } }),
  preference(11, 0.2, false, { review: { state: 'edited', editedText: 'A better chosen answer.' } }),
  preference(12, 0.5, true), // a tie: in no training file
  preference(13, null, null, { label: { pAnswer1: null, verdict: 'answer1', basis: 'letters' }, chosen: 'answer one 13', rejected: 'answer two 13', lowConfidence: false }),
  { ...preference(14, 0.8, true), source: 'import', scores: { chosen: 0.8 } } as RunRecord,
  withReasoning,
  selfInstruct(0),
  backTranslate(0),
  magpie(0),
  without(magpie(1, { prompt: '', drop: { reason: 'not-clean', detail: 'two turns' } }), 'answer', 'answerFinish'),
  clair(0, { review: { state: 'edited', editedText: 'My truer answer.' } }),
  clair(1, { dropReason: 'no-op', distance: 0, independent: { text: 'Another answer.', finish: 'stop', distance: 0.8 } }),
  rlcd(0),
  without(rlcd(1, { review: { state: 'rejected' } }), 'judge'),
];
const recipes = [...new Set(mixed.map((r) => r.recipe))] as RecipeId[];
const run = datasetRun({ id: 'mix', name: 'Mixed · set #1', format: 'trace', fileName: 'mixed.jsonl', records: mixed.length, sources: [], now: 3 });
const options: ExportOptions = { recipes, margin: true };
const formats = formatsFor(new Set(recipes));

/** Our Feature back from the YAML `datasets` reads, so the card's text itself is checked against rows. */
function fromYaml(node: unknown): Feature {
  const n = node as Record<string, unknown>;
  if (typeof n.dtype === 'string') return { dtype: n.dtype as Dtype };
  if ('struct' in n) return { struct: fieldsFromYaml(n.struct as unknown[]) };
  const item = n.list;
  if (typeof item === 'string') return { list: { dtype: item as Dtype } };
  if (Array.isArray(item)) return { list: { struct: fieldsFromYaml(item) } };
  return { list: fromYaml(item) };
}

function fieldsFromYaml(items: unknown[]): Fields {
  return Object.fromEntries(items.map((i) => { const { name, ...rest } = i as { name: string }; return [name, fromYaml(rest)]; }));
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);

describe('stable columns over a mixed dataset', () => {
  it('gives every row of a config the same keys, in the same order, with values of the declared types', () => {
    for (const format of formats) {
      const fields = formatFields(format, run, options);
      const rows = [...rowsOf(format, run, mixed, options)] as Record<string, unknown>[];
      expect(rows.length, format).toBeGreaterThan(1);
      for (const row of rows) {
        expect(Object.keys(row), format).toEqual(Object.keys(fields));
        expect(mismatches(row, struct(fields)), format).toEqual([]);
      }
      // One JSON type per column over all rows (null apart): no chunk can disagree with another.
      for (const key of Object.keys(fields)) {
        const types = new Set(rows.map((r) => typeOf(r[key])).filter((t) => t !== 'null'));
        expect(types.size, `${format}.${key}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('keeps the scores null where unknown and gives the margin on its 0–1 scale', () => {
    const rows = [...rowsOf('preference', run, mixed, options)] as { score_chosen: number | null; score_rejected: number | null; margin: number }[];
    expect(rows.filter((r) => r.score_chosen === null).length).toBeGreaterThanOrEqual(3); // revision pairs and the letter-decided pair
    for (const r of rows) {
      expect(r.margin).toBeGreaterThanOrEqual(0);
      expect(r.margin).toBeLessThanOrEqual(1);
      expect(r.margin).toBeCloseTo(r.score_chosen === null ? 0 : r.score_chosen - r.score_rejected!, 9);
    }
    expect(rows.map((r) => r.margin)).toContainEqual(expect.closeTo(0.8, 9));
  });

  it('passes imported ratings through as they came, with no margin (another scale)', () => {
    const rated = { ...preference(30, null, null, { judgements: [], label: { pAnswer1: null, verdict: 'answer1', basis: 'none' }, chosen: 'good', rejected: 'bad' }), source: 'import', scores: { chosen: 8.5, rejected: 3 } } as RunRecord;
    const [row] = [...rowsOf('preference', run, [rated], options)] as { score_chosen: number | null; score_rejected: number | null; margin: number }[];
    expect(row).toMatchObject({ score_chosen: 8.5, score_rejected: 3, margin: 0 });
  });

  it('writes letter probabilities as {A, B} (a list starting with null breaks pyarrow), and reads both shapes back', () => {
    const [row] = [...rowsOf('trace', run, [mixed[10]!], options)] as { judgements: { orders: { letterProbabilities: unknown }[] }[] }[];
    expect(row!.judgements[0]!.orders[0]!.letterProbabilities).toEqual({ A: null, B: null });
    const asStored = { ...mixed[10]!, run: { id: 'old', name: 'Old', recipe: 'preference' } }; // a trace line of an earlier version
    expect(importJsonl(toJsonLines([asStored]), { runId: 'x' }).records).toStrictEqual([mixed[10]]);
  });

  it('re-imports the stable trace exactly, the nulls standing for absent fields dropped', () => {
    const rows = [...rowsOf('trace', run, mixed, options)];
    const back = importJsonl(toJsonLines(rows), { runId: 'x' });
    expect(back.errors).toEqual([]);
    expect(back.records).toStrictEqual(mixed);
  });
});

describe('the dataset card', () => {
  const files = plannedFiles(formats, true, '', options).map((f) => ({
    ...f,
    rows: [...rowsOf(f.format, run, mixed.filter((r) => (f.side === 'test') === (r.index % 4 === 0)), options)].length,
  }));
  const counts = summaryCounts(mixed.map((r) => summarize(r)));
  const settings = { license: 'other', licenseName: 'my-terms-1.0', languages: ['en', 'de'], sourceDatasets: ['owner/prompts'] };
  const card = exportCard({ run, files, counts, split: { seed: 1, testRatio: 0.25 }, generatedAt: 0, options, settings });
  const meta = parse(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!) as {
    configs: { config_name: string; default?: boolean; data_files: { split: string; path: string }[] }[];
    dataset_info: { config_name: string; features: unknown[]; splits: { name: string; num_examples: number }[] }[];
    [key: string]: unknown;
  };

  it('parses as YAML with the Hub keys, one default config (the main format) and the others named', () => {
    expect(meta).toMatchObject({ license: 'other', license_name: 'my-terms-1.0', language: ['en', 'de'], annotations_creators: ['machine-generated'], source_datasets: ['owner/prompts'] });
    expect(meta.configs.filter((c) => c.default === true).map((c) => c.config_name)).toEqual(['sft']);
    expect(meta.configs.map((c) => c.config_name)).toEqual(formats);
    expect(new Set(meta.configs.flatMap((c) => c.data_files.map((d) => d.path)))).toEqual(new Set(files.map((f) => f.name)));
  });

  it('declares per config the features its rows have, and the example counts per split', () => {
    expect(meta.dataset_info.map((i) => i.config_name)).toEqual(formats);
    for (const info of meta.dataset_info) {
      const format = info.config_name as (typeof formats)[number];
      const declared = fieldsFromYaml(info.features);
      expect(Object.keys(declared)).toEqual(Object.keys(formatFields(format, run, options)));
      for (const row of rowsOf(format, run, mixed, options)) expect(mismatches(row, struct(declared)), format).toEqual([]);
      expect(info.splits).toEqual(files.filter((f) => f.format === format).map((f) => ({ name: f.split, num_examples: f.rows })));
    }
  });

  it('counts examples once, from the default config, for the size and the prose', () => {
    const sftRows = files.filter((f) => f.format === 'sft').reduce((n, f) => n + f.rows, 0);
    expect(meta.size_categories).toEqual(['n<1K']);
    expect(card).toContain(`Examples: ${sftRows} (the rows of the default config`);
  });

  it('says what the scores and the margin mean, and how to load each config', () => {
    expect(card).toMatch(/`score_chosen` is the probability, from 0 to 1/);
    expect(card).toMatch(/not 1–10 ratings/);
    expect(card).toMatch(/`margin` \(preference rows\) is `score_chosen` − `score_rejected`, from 0/);
    expect(card).toContain('sft = load_dataset("your-name/mixed-set-1")  # the default config, "sft"');
    for (const f of formats.filter((f) => f !== 'sft')) expect(card).toContain(`${f} = load_dataset("your-name/mixed-set-1", "${f}")`);
    expect(card).toContain('hf upload your-name/mixed-set-1 . --repo-type=dataset');
  });
});

describe('the CAI halves layout', () => {
  // Merged datasets repeat prompts: records 0–39 use 20 prompts twice each.
  const records = Array.from({ length: 40 }, (_, i) => critique(i, { prompt: `Shared prompt ${i % 20}` }));
  const halves: ExportOptions = { caiHalves: { seed: 5 } };
  const promptsOf = (half: 'sft' | 'prefs') => new Set(([...rowsOf('cai', run, records, { ...halves, half })] as { prompt: string }[]).map((r) => r.prompt));

  it('puts no prompt in both halves, and every row in one', () => {
    const sft = promptsOf('sft');
    const prefs = promptsOf('prefs');
    expect([...sft].filter((p) => prefs.has(p))).toEqual([]);
    expect(sft.size + prefs.size).toBe(20);
    expect(Math.min(sft.size, prefs.size)).toBeGreaterThan(3);
    expect([...rowsOf('cai', run, records, { ...halves, half: 'sft' })].length + [...rowsOf('cai', run, records, { ...halves, half: 'prefs' })].length).toBe(40);
  });

  it('draws the halves by seed, reproducibly', () => {
    const a = records.map((r) => promptHalf(r.prompt, 5));
    expect(records.map((r) => promptHalf(r.prompt, 5))).toEqual(a);
    expect(records.map((r) => promptHalf(r.prompt, 6))).not.toEqual(a);
  });

  it('makes the CAI config the default, with the four splits', () => {
    const files = plannedFiles(['sft', 'cai'], true, '', halves).map((f) => ({ ...f, rows: 1 }));
    const meta = parse(/^---\n([\s\S]*?)\n---\n/.exec(exportCard({ run, files, counts: summaryCounts([]), split: null, generatedAt: 0, options: halves }))![1]!);
    expect(meta.configs[0]).toMatchObject({ config_name: 'cai', default: true });
    expect(meta.configs[0].data_files.map((d: { split: string }) => d.split)).toEqual(['train_sft', 'train_prefs', 'test_sft', 'test_prefs']);
    expect(meta.configs.filter((c: { default?: boolean }) => c.default)).toHaveLength(1);
  });
});

describe('README.md in every destination', () => {
  beforeEach(() => resetStoreForTests());

  async function names(target: ExportTarget, prefix: string, read: () => Promise<string[]>): Promise<string[]> {
    const stored = await writeDataset(datasetRun({ id: 'dest', name: 'Dest', format: 'trace', fileName: 'f.jsonl', records: 3, sources: [], now: 1 }), mixed.slice(0, 3).map((r, i) => ({ ...r, id: `dest:${i}`, runId: 'dest', index: i })));
    await runExport({ run: stored, formats: ['sft', 'trace'], split: null, card: true, prefix, counts: summaryCounts([]), records: 3, options: { recipes: ['critique-revision'] } }, target);
    return read();
  }

  it('names the card README.md in separate downloads, a zip and a folder', async () => {
    const downloaded: string[] = [];
    expect(await names(downloadsTarget((n) => void downloaded.push(n)), 'dest.', async () => downloaded)).toEqual(['dest.sft.jsonl', 'dest.trace.jsonl', 'README.md']);
    let zip: Blob | null = null;
    const inZip = await names(zipDownloadTarget('dest.zip', (_n, b) => void (zip = b)), '', async () => readZip(new Uint8Array(await zip!.arrayBuffer())).map((e) => e.name));
    expect(inZip).toEqual(['sft.jsonl', 'trace.jsonl', 'README.md']);
    const inFolder: string[] = [];
    const writable = { write: async () => undefined, close: async () => undefined, abort: async () => undefined };
    const dir = { getFileHandle: async (name: string) => (inFolder.push(name), { createWritable: async () => writable }) };
    expect(await names(directoryTarget(dir as unknown as FileSystemDirectoryHandle), '', async () => inFolder)).toEqual(['sft.jsonl', 'trace.jsonl', 'README.md']);
  });
});

describe('card choices kept with the dataset', () => {
  beforeEach(() => resetStoreForTests());
  const settings = { license: 'other', licenseName: 'house-terms', languages: ['en', 'fr'], sourceDatasets: ['owner/prompts'] };

  it('are stored on the run, survive a save from an older copy, and leave updatedAt alone', async () => {
    const stored = await saveRun({ ...run, id: 'keep' });
    const saved = await saveCardSettings('keep', settings);
    expect(saved.updatedAt).toBe(stored.updatedAt);
    expect((await getRun('keep'))?.card).toEqual(settings);
    await saveRun({ ...stored, status: 'done' }); // e.g. the worker, with the copy it had
    expect((await getRun('keep'))?.card).toEqual(settings);
  });

  it('read back from storage, absent on runs stored before them, and named when damaged', () => {
    expect(restoreRun({ ...run }).card).toBeUndefined();
    expect(restoreRun({ ...run, card: settings }).card).toEqual(settings);
    expect(restoreRun({ ...run, card: { license: 'mit' } }).card).toEqual({ license: 'mit', languages: [], sourceDatasets: [] });
    expect(() => restoreRun({ ...run, card: { license: 'mit', languages: ['en', 3] } })).toThrow('field "card.languages[1]" must be a string');
  });
});

describe('card choices as typed', () => {
  it('name each field that is wrong, and pass good ones', () => {
    expect(cardSettingsProblems({ license: 'mit', languages: listItems('en, fr  de,'), sourceDatasets: listItems('Anthropic/hh-rlhf') })).toEqual([]);
    expect(cardSettingsProblems({ license: 'other', languages: ['EN', 'english'], sourceDatasets: ['hh-rlhf'] })).toEqual([
      'License name: with "Other", give a short name in lower case, digits and dashes (e.g. "my-license-1.0")',
      'Languages: "EN", "english" are not two- or three-letter ISO 639 codes in lower case',
      'Source datasets: "hh-rlhf" is not a Hub id like "owner/name"',
    ]);
    expect(cardSettingsProblems({ license: 'gpl-9', languages: [], sourceDatasets: [] })).toEqual([
      'License: "gpl-9" is not one of the offered licenses',
      'Languages: give at least one code, e.g. "en"',
    ]);
  });
});
