import { describe, expect, it } from 'vitest';
import { caiRows } from '../../src/core/formats/cai-columns';
import { detectFormat, importedPairs, importJsonl, importJsonlLines } from '../../src/core/formats/dataset-import';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { sftRows } from '../../src/core/formats/sft';
import { traceRows } from '../../src/core/formats/trace';
import { datasetRun, renumber, sourceOfTrace } from '../../src/core/datasets/combine';
import { restoreRun } from '../../src/core/schema/restore';
import { serialiseRows } from '../../src/core/datasets/export-plan';
import { splitLines } from '../../src/core/formats/stream';
import { ownRecords } from '../../src/core/recipes/index';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { CritiqueRecord } from '../../src/core/recipes/critique-revision/types';
import type { Run } from '../../src/core/run';
import { preferenceRows } from '../../src/core/formats/preference';
import type { PreferenceRecord } from '../../src/core/recipes/preference/types';

const run: Run = {
  schemaVersion: SCHEMA_VERSION,
  id: 'run-a',
  name: 'A run',
  status: 'done',
  cursor: 3,
  recordCount: 3,
  stats: { promptTokens: 1, completionTokens: 2, generationMs: 3 },
  createdAt: 1,
  updatedAt: 2,
  spec: {
    recipe: 'critique-revision',
    model: { backend: 'cpu', kind: 'url', url: 'https://x/m.gguf', name: 'm' },
    sampling: { temperature: 0.6, topP: 0.95, maxTokens: 64 },
    seed: 11,
    rounds: 1,
    constitution: { schemaVersion: SCHEMA_VERSION, id: 'c', name: 'C', description: '', principles: [], fewShot: [], updatedAt: 0 },
    promptSetId: 'ps',
    promptSetName: 'PS',
    prompts: [],
  },
};

function record(i: number, over: Partial<CritiqueRecord> = {}): CritiqueRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `run-a:${i}`,
    runId: 'run-a',
    recipe: 'critique-revision',
    index: i,
    promptId: `q${i}`,
    prompt: `Question ${i} — ünïcødé 😀 "quoted"\nsecond line`,
    initial: `initial ${i}`,
    initialFinish: i === 1 ? 'length' : 'stop',
    rounds: [
      {
        principleId: 'p1',
        principleName: 'Honest',
        critiqueRequest: 'Critique it.',
        critique: `crit ${i}`,
        revisionRequest: 'Revise it.',
        revision: `rev ${i}`,
        critiqueFinish: 'stop',
        revisionFinish: i === 2 ? 'abort' : 'stop',
      },
    ],
    final: `rev ${i}`,
    usage: { promptTokens: 3 * i, completionTokens: 5 * i, ms: 17.25 * i },
    createdAt: 1_700_000_000_000 + i,
    ...over,
  };
}

const records = [
  record(0),
  record(1, { review: { state: 'edited', editedText: 'edited text' } }),
  record(2, { review: { state: 'rejected' } }),
  record(3, { rounds: [], final: 'initial 3', review: { state: 'accepted' } }),
];
const opts = { runId: 'imp', now: 42 };

describe('full-trace import', () => {
  it('round-trips exported records exactly (via the streaming writer too)', async () => {
    const text = toJsonLines(traceRows(run, records));
    const result = importJsonl(text, opts);
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('trace');
    expect(result.records).toStrictEqual(records);
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject({ id: 'run-a', name: 'A run', recipe: 'critique-revision', seed: 11, model: { backend: 'cpu', kind: 'url', url: 'https://x/m.gguf', name: 'm' } });
    const streamed = serialiseRows('trace', run, records, 'train', null, 200).chunks.join('');
    const again = await importJsonlLines(splitLines([streamed.slice(0, 333), streamed.slice(333)]), opts);
    expect(again.records).toStrictEqual(records);
  });

  it('exported again after an import (the original run deleted), the lines describe the original run', () => {
    const text = toJsonLines(traceRows(run, records));
    const imported = importJsonl(text, { runId: 'import-x', now: 5 });
    const dataset = datasetRun({
      id: 'import-x', name: 'back', format: 'trace', fileName: 'a.jsonl', records: records.length, sources: imported.runs.map(sourceOfTrace), now: 5,
    });
    // As stored and read back: the spec goes through its checks on the way.
    const stored = restoreRun(JSON.parse(JSON.stringify(dataset)));
    const again = toJsonLines(traceRows(stored, renumber(imported.records, 'import-x')));
    expect(again).toBe(text);
    // A merge of several runs has no single origin: its lines name the merge.
    const sources = [...imported.runs.map(sourceOfTrace), { id: 'other', name: 'O', recipe: 'preference' }];
    const merged = datasetRun({ id: 'merge-y', name: 'm', format: 'merge', fileName: 'a, b', records: 1, sources, now: 5 });
    const [mergedLine] = [...traceRows(merged, records.slice(0, 1))];
    expect(mergedLine!.run).toMatchObject({ id: 'merge-y', recipe: 'import', format: 'merge' });
  });

  it('round-trips preference records too, judgement details included', () => {
    const order = (shownAsA: 0 | 1, pA: number) => ({
      candidateShownAsA: shownAsA, form: 'raw' as const, method: 'logprobs' as const, letterProbabilities: [pA, 1 - pA] as [number, number],
      top: [{ token: ' A', logprob: Math.log(pA) }], pA, cost: { forwardPasses: 1, decodeTokens: 0, promptTokens: 50, ms: 12.5 },
    });
    const pref: PreferenceRecord = {
      schemaVersion: SCHEMA_VERSION, id: 'run-p:0', runId: 'run-p', recipe: 'preference', index: 0, promptId: 'q0', prompt: 'Which? 😀',
      candidates: [{ text: 'one', origin: 'sampled', temperature: 0.3, seed: 9, finishReason: 'stop' }, { text: 'two', origin: 'sampled', temperature: 1.1, seed: 10, finishReason: 'length' }],
      judgeModel: 'judge.gguf', mode: 'plain', tieMargin: 0.05,
      judgements: [{ principleId: 'p1', principleName: 'Honest', comparison: 'Which is more honest?', orders: [order(0, 0.8), order(1, 0.3)], pAnswer1: 0.75, consistent: true }],
      label: { pAnswer1: 0.75, verdict: 'answer1', basis: 'probabilities' },
      chosen: 'one', rejected: 'two', lowConfidence: false, positionConsistent: true,
      usage: { promptTokens: 100, completionTokens: 40, ms: 300 }, review: { state: 'accepted' }, createdAt: 5,
    };
    const result = importJsonl(toJsonLines(traceRows(run, [records[0]!, pref])), opts);
    expect(result.errors).toEqual([]);
    expect(result.records).toStrictEqual([records[0], pref]);
  });

  it('keeps the import marks of records that were themselves imported', () => {
    const sft = importJsonl(toJsonLines(sftRows(records)), opts).records;
    const pref = importJsonl('{"prompt":"p","chosen":"c","rejected":"r","score_chosen":0.9}\n', opts).records;
    const back = importJsonl(toJsonLines(traceRows(run, [...sft, ...pref])), opts);
    expect(back.errors).toEqual([]);
    expect(back.records).toStrictEqual([...sft, ...pref]);
  });
});

describe('TRL and CAI imports', () => {
  it('turns SFT rows into records with no rounds, flagged as imported', () => {
    const result = importJsonl(toJsonLines(sftRows(records)), opts);
    expect(result.format).toBe('sft');
    expect(result.records).toHaveLength(3); // the rejected record was never exported
    expect(result.records[1]).toEqual({
      schemaVersion: SCHEMA_VERSION, id: 'imp:1', runId: 'imp', recipe: 'critique-revision', index: 1, promptId: 'p1',
      prompt: records[1]!.prompt, initial: 'edited text', initialFinish: 'stop', rounds: [], final: 'edited text',
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 }, createdAt: 42, source: 'import',
    });
  });

  it('reads preference rows: explicit or implicit prompt, lists or strings, with scores', () => {
    const u = (content: string) => ({ role: 'user', content });
    const a = (content: string) => ({ role: 'assistant', content });
    const lines = [
      { prompt: [u('q1')], chosen: [a('good')], rejected: [a('bad')], score_chosen: 8, score_rejected: 2.5 },
      { chosen: [u('q2'), a('good2')], rejected: [u('q2'), a('bad2')] },
      { prompt: 'q3', chosen: 'good3', rejected: 'bad3' },
    ];
    const result = importJsonl(toJsonLines(lines), opts);
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('preference');
    const prefs = ownRecords('preference', result.records);
    expect(prefs).toHaveLength(3);
    expect(prefs.map((r) => [r.prompt, r.chosen, r.rejected, r.candidates.map((c) => c.text)])).toEqual([
      ['q1', 'good', 'bad', ['good', 'bad']],
      ['q2', 'good2', 'bad2', ['good2', 'bad2']],
      ['q3', 'good3', 'bad3', ['good3', 'bad3']],
    ]);
    expect(result.records.map((r) => r.scores)).toEqual([{ chosen: 8, rejected: 2.5 }, undefined, undefined]);
    expect(prefs.every((r) => r.label.verdict === 'answer1' && r.label.pAnswer1 === null && r.judgements.length === 0)).toBe(true);
    expect(result.records.every((r) => r.source === 'import' && r.id === `imp:${r.index}`)).toBe(true);
    expect(importedPairs(result.records)[0]).toEqual({ promptId: 'p0', prompt: 'q1', answerA: 'good', answerB: 'bad' });
  });

  it('turns probability scores into the label, so a re-export gives the same row', () => {
    const row = { prompt: [{ role: 'user', content: 'q' }], chosen: [{ role: 'assistant', content: 'c' }], rejected: [{ role: 'assistant', content: 'r' }], score_chosen: 0.75, score_rejected: 0.25 };
    const result = importJsonl(JSON.stringify(row), opts);
    const [rec] = ownRecords('preference', result.records);
    expect(rec!.label).toEqual({ pAnswer1: 0.75, verdict: 'answer1', basis: 'probabilities' });
    expect([...preferenceRows([rec!])]).toEqual([row]);
  });

  it('reads CAI-column rows back into one-round records', () => {
    const result = importJsonl(toJsonLines(caiRows(records)), opts);
    expect(result.format).toBe('cai');
    const r = result.records[0] as CritiqueRecord;
    expect([r.prompt, r.initial, r.final]).toEqual([records[0]!.prompt, 'initial 0', 'rev 0']);
    expect(r.rounds[0]).toMatchObject({ critiqueRequest: 'Critique it.', critique: 'crit 0', revisionRequest: 'Revise it.', revision: 'rev 0' });
    expect((result.records[1] as CritiqueRecord).final).toBe('edited text');
    expect(result.records).toHaveLength(2); // rejected and round-less records are not CAI rows
  });

  it('detects formats, CAI before the preference columns it also has', () => {
    expect(detectFormat({ init_prompt: 'x', chosen: [], rejected: [], messages: [] })).toBe('cai');
    expect(detectFormat({ chosen: [], rejected: [] })).toBe('preference');
    expect(detectFormat({ messages: [] })).toBe('sft');
    expect(detectFormat({ prompt: 'x', completion: 'y', label: true })).toBeNull();
    expect(detectFormat([1])).toBeNull();
  });
});

describe('bad lines', () => {
  it('are reported by line number and the rest is kept', () => {
    const good = (q: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'a' }] });
    const text = [
      '\uFEFF' + good('one'),
      '{"messages": [',
      '',
      JSON.stringify({ messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }] }),
      JSON.stringify({ prompt: 'p', chosen: 'c', rejected: 'r' }),
      JSON.stringify({ hello: 1 }),
      JSON.stringify({ messages: [{ role: 'user', content: 'two' }, { role: 'bot', content: 'a' }] }),
      good('three'),
    ].join('\r\n');
    const result = importJsonl(text, opts);
    expect((result.records as CritiqueRecord[]).map((r) => r.prompt)).toEqual(['one', 'three']);
    expect(result.records.map((r) => r.index)).toEqual([0, 1]);
    expect(result.errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7]);
    expect(result.errors[1]!.message).toMatch(/one user turn then one assistant turn/);
    expect(result.errors[2]!.message).toMatch(/preference row in a sft file/);
    expect(result.errors[3]!.message).toMatch(/not a full-trace/);
    expect(result.errors[4]!.message).toMatch(/messages\[1\]\.role/);
  });

  it('reports a trace line with a damaged record field', () => {
    const rows = [...traceRows(run, records.slice(0, 2))];
    (rows[1] as Record<string, unknown>).initial = 5;
    const result = importJsonl(toJsonLines(rows), opts);
    expect(result.records).toStrictEqual(records.slice(0, 1));
    expect(result.errors).toEqual([{ line: 2, message: expect.stringMatching(/"initial" must be a string/) }]);
  });
});
