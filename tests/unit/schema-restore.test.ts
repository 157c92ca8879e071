import 'fake-indexeddb/auto';
import { set } from 'idb-keyval';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { CritiqueRecord } from '../../src/core/recipes/critique-revision/types';
import {
  getStore,
  listConstitutions,
  readRecords,
  resetStoreForTests,
  restoreConstitution,
  restorePromptSet,
  restoreRecord,
  restoreRun,
} from '../../src/storage';

/** Shapes as written before schemaVersion existed (see the v0 definition in restore.ts). */
const v0Constitution = () => ({
  id: 'c0',
  name: 'Old',
  principles: [{ id: 'p', name: 'Kind', critique: 'crit', revision: 'rev' }],
});

const v0Record = (final = 'f') => ({
  id: 'rec',
  runId: 'r0',
  promptId: 'q',
  prompt: 'hi',
  initial: 'a',
  rounds: [
    { principleId: 'p', principleName: 'Kind', critiqueRequest: 'cr', critique: 'c', revisionRequest: 'rr', revision: 'r' },
  ],
  final,
  createdAt: 5,
});

const v0Run = () => ({
  id: 'abc',
  name: 'old run',
  status: 'paused',
  cursor: 2,
  createdAt: 10,
  spec: {
    model: { backend: 'cpu', kind: 'url', url: 'https://x/m.gguf', name: 'm' },
    sampling: { temperature: 0.5, topP: 1, maxTokens: 32 },
    seed: 3,
    rounds: 1,
    constitution: v0Constitution(),
    promptSetId: 'ps',
    promptSetName: 'PS',
    prompts: ['one', 'two', 'three'],
  },
});

beforeEach(async () => {
  await resetStoreForTests();
});

describe('restore: v0 migration', () => {
  it('migrates a v0 constitution: enabled defaults to true, missing lists filled', () => {
    const raw = v0Constitution();
    const c = restoreConstitution(raw);
    expect(c.schemaVersion).toBe(SCHEMA_VERSION);
    expect(c.principles[0]).toMatchObject({ enabled: true, comparison: '' });
    expect(c).toMatchObject({ description: '', fewShot: [], updatedAt: 0 });
    expect(raw).not.toHaveProperty('schemaVersion'); // input left untouched
  });

  it('migrates v0 string prompts to prompt items', () => {
    const p = restorePromptSet({ schemaVersion: 0, id: 's', name: 'S', prompts: ['a', 'b'] });
    expect(p.prompts).toEqual([
      { id: 'p0', text: 'a' },
      { id: 'p1', text: 'b' },
    ]);
  });

  it('migrates a v0 run: stats, recordCount and recipe filled', () => {
    const run = restoreRun(v0Run());
    expect(run).toMatchObject({ schemaVersion: SCHEMA_VERSION, recordCount: 2, updatedAt: 10 });
    expect(run.stats).toEqual({ promptTokens: 0, completionTokens: 0, generationMs: 0 });
    const spec = run.spec;
    if (spec.recipe !== 'critique-revision') throw new Error(`expected a critique-revision spec, got ${spec.recipe}`);
    expect(spec.prompts.map((p) => p.text)).toEqual(['one', 'two', 'three']);
    expect(spec.constitution.principles[0]?.enabled).toBe(true);
  });

  it('migrates a v0 record: index from its log position, usage and finish reasons filled', () => {
    const rec = restoreRecord(v0Record(), 7) as CritiqueRecord;
    expect(rec).toMatchObject({ schemaVersion: SCHEMA_VERSION, index: 7, initialFinish: 'stop' });
    expect(rec.usage).toEqual({ promptTokens: 0, completionTokens: 0, ms: 0 });
    expect(rec.rounds[0]).toMatchObject({ critiqueFinish: 'stop', revisionFinish: 'stop' });
    expect(() => restoreRecord(v0Record())).toThrow('record rec: field "index" must be a non-negative integer');
  });

  it('schema 1 records, stored without `recipe`, get the recipe their fields say made them', () => {
    const usage = { promptTokens: 1, completionTokens: 2, ms: 3 };
    const base = { schemaVersion: 1, runId: 'r1', index: 0, promptId: 'p', prompt: 'q', usage, createdAt: 1 };
    const critique = { ...base, id: 'c', initial: 'a', initialFinish: 'stop', rounds: [], final: 'a' };
    const order = { candidateShownAsA: 0, form: 'raw', method: 'logprobs', letterProbabilities: [0.6, 0.4], top: [], pA: 0.6, cost: { forwardPasses: 1, decodeTokens: 0, promptTokens: 1, ms: 1 } };
    const preference = {
      ...base, id: 'p', candidates: [{ text: 'x', origin: 'sampled' }, { text: 'y', origin: 'sampled' }], judgeModel: 'm', mode: 'plain', tieMargin: 0,
      judgements: [{ principleId: 'h', principleName: 'H', comparison: 'Which?', orders: [order, { ...order, candidateShownAsA: 1 }], pAnswer1: 0.6, consistent: true }],
      label: { pAnswer1: 0.6, verdict: 'answer1', basis: 'probabilities' }, chosen: 'x', rejected: 'y', lowConfidence: false, positionConsistent: true,
    };
    const selfInstruct = { schemaVersion: 1, id: 's', runId: 'r1', recipe: 'self-instruct', index: 0, shownSeedIds: [], shownGenerated: [], raw: '', finish: 'stop', proposed: [], kept: [], dropped: [], usage, createdAt: 1 };
    const recipes = [critique, preference, selfInstruct].map((raw) => restoreRecord(raw));
    expect(recipes.map((r) => [r.recipe, r.schemaVersion])).toEqual([
      ['critique-revision', SCHEMA_VERSION],
      ['preference', SCHEMA_VERSION],
      ['self-instruct', SCHEMA_VERSION],
    ]);
    // From schema 2 on the tag is required: a record that lacks it is damaged, not guessed at.
    expect(() => restoreRecord({ ...critique, schemaVersion: 2 })).toThrow(/recipe/);
  });

  it('migrates v0 records stored in a chunk when reading the log', async () => {
    await set(['chunk', 'r0', 1], { runId: 'r0', chunkNo: 1, records: [v0Record('x'), v0Record('y')] }, getStore());
    const recs = await readRecords('r0');
    expect((recs as CritiqueRecord[]).map((r) => [r.index, r.final])).toEqual([
      [100, 'x'],
      [101, 'y'],
    ]);
  });
});

describe('restore: rejects malformed data naming the field', () => {
  it('names a nested run field', () => {
    const bad = { ...v0Run(), spec: { ...v0Run().spec, prompts: 'oops' } };
    expect(() => restoreRun(bad)).toThrow('run abc: field "spec.prompts" must be an array');
  });

  it('names a deeply nested field', () => {
    const raw = { ...v0Run(), spec: { ...v0Run().spec, sampling: { temperature: 'hot', topP: 1, maxTokens: 1 } } };
    expect(() => restoreRun(raw)).toThrow('field "spec.sampling.temperature" must be a number');
  });

  it('requires v1 fields that v0 could omit', () => {
    const raw = { ...v0Constitution(), schemaVersion: 1, description: '', fewShot: [], updatedAt: 1 };
    expect(() => restoreConstitution(raw)).toThrow('constitution c0: field "principles[0].comparison" must be a string');
  });

  it('rejects bad enums, non-objects and data from a newer app', () => {
    expect(() => restoreRun({ ...v0Run(), status: 'zombie' })).toThrow('field "status" must be one of');
    expect(() => restorePromptSet(null)).toThrow('prompt set: stored value must be an object');
    expect(() => restorePromptSet({ schemaVersion: 99, id: 's', name: 'S', prompts: [] })).toThrow(/newer version/);
  });

  it('skips an unreadable stored item in lists instead of hiding the rest', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await set(['constitution', 'good'], v0Constitution(), getStore());
    await set(['constitution', 'bad'], { id: 'bad', name: 3 }, getStore());
    expect((await listConstitutions()).map((c) => c.id)).toEqual(['c0']);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
