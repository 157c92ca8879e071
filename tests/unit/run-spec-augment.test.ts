import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/core/types';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import {
  BACK_TRANSLATE_DEFAULTS,
  backTranslateRunSpec,
  parseLines,
  parsePivots,
  SELF_INSTRUCT_DEFAULTS,
  selfInstructRunSpec,
  type BackTranslateChoices,
  type SelfInstructChoices,
} from '../../src/core/recipes/augment/spec';
import { promptSetFromRun } from '../../src/core/recipes/made-prompts';
import type { BackTranslateRecord } from '../../src/core/recipes/back-translate/types';
import type { SelfInstructRecord } from '../../src/core/recipes/self-instruct/types';
import type { ModelRef, PromptSet } from '../../src/core/types';

const model: ModelRef = { backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 };
const set: PromptSet = { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, 6) };

function si(over: Partial<SelfInstructChoices> = {}): SelfInstructChoices {
  return {
    model,
    seeds: set,
    topics: ['cooking', ' travel ', 'Cooking', ''],
    description: '  everyday requests ',
    steps: 3,
    perBatch: 4,
    metric: 'rouge-l',
    threshold: 0.7,
    seed: 9.7,
    sampling: { ...SELF_INSTRUCT_DEFAULTS.sampling },
    ...over,
  };
}

function bt(over: Partial<BackTranslateChoices> = {}): BackTranslateChoices {
  return {
    model,
    promptSet: set,
    count: 2,
    sourceLanguage: 'English',
    pivots: ['French', 'German'],
    metric: 'rouge-l',
    low: 0.3,
    high: 0.9,
    seed: 1,
    sampling: { ...BACK_TRANSLATE_DEFAULTS.sampling },
    ...over,
  };
}

describe('selfInstructRunSpec', () => {
  it('freezes deep copies of the seeds and model, cleans topics and the description', () => {
    const choices = si({ seedCount: 4 });
    const spec = selfInstructRunSpec(choices);
    expect(spec.recipe).toBe('self-instruct');
    expect(spec.seeds.map((s) => s.id)).toEqual(['p01', 'p02', 'p03', 'p04']);
    expect(spec.topics).toEqual(['cooking', 'travel']);
    expect(spec.description).toBe('everyday requests');
    expect(spec.seed).toBe(9);
    expect(spec.seedsShown).toBe(4);
    expect(spec.similarity).toEqual({ metric: 'rouge-l', threshold: 0.7 });
    set.prompts[0].tags!.push('mutated');
    expect(spec.seeds[0].tags).not.toContain('mutated');
    set.prompts[0].tags!.pop();
    (choices.model as { name: string }).name = 'other';
    expect(spec.model).toEqual({ backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 });
  });

  it('keeps the n-gram size only for Jaccard, and checks it', () => {
    expect(selfInstructRunSpec(si({ metric: 'jaccard', n: 3 })).similarity).toEqual({ metric: 'jaccard', threshold: 0.7, n: 3 });
    expect(() => selfInstructRunSpec(si({ metric: 'jaccard', n: 0 }))).toThrow(/n-gram size/);
  });

  it('refuses settings the recipe cannot use', () => {
    expect(() => selfInstructRunSpec(si({ seeds: { ...set, prompts: [] } }))).toThrow(/seed prompt/);
    expect(() => selfInstructRunSpec(si({ threshold: 0 }))).toThrow(/threshold/);
    expect(() => selfInstructRunSpec(si({ threshold: 1.5 }))).toThrow(/threshold/);
    expect(() => selfInstructRunSpec(si({ steps: 0 }))).toThrow(/steps/);
    expect(() => selfInstructRunSpec(si({ perBatch: 51 }))).toThrow(/per batch/);
    expect(() => selfInstructRunSpec(si({ sampling: { temperature: 1, topP: 1, maxTokens: 0 } }))).toThrow(/max tokens/);
  });
});

describe('backTranslateRunSpec', () => {
  it('freezes the first prompts of the set, the pivots and the band', () => {
    const spec = backTranslateRunSpec(bt());
    expect(spec.prompts.map((p) => p.id)).toEqual(['p01', 'p02']);
    expect(spec.promptSetId).toBe('builtin-samples');
    expect(spec.pivots).toEqual(['French', 'German']);
    expect(spec.similarity).toEqual({ metric: 'rouge-l', low: 0.3, high: 0.9 });
    expect(spec.sourceLanguage).toBe('English');
    expect(spec.prompts[0]).not.toBe(set.prompts[0]);
  });

  it('refuses a bad band, no pivot, the source language as pivot, and repeats', () => {
    expect(() => backTranslateRunSpec(bt({ low: 0.9, high: 0.5 }))).toThrow(/band/);
    expect(() => backTranslateRunSpec(bt({ pivots: [] }))).toThrow(/pivot/);
    expect(() => backTranslateRunSpec(bt({ pivots: ['english'] }))).toThrow(/own language/);
    expect(() => backTranslateRunSpec(bt({ pivots: [' '] }))).toThrow(/no name/);
    expect(() => backTranslateRunSpec(bt({ count: 0 }))).toThrow(/no prompts/);
  });
});

describe('parsePivots and parseLines', () => {
  it('merges the list and free text, each language once', () => {
    expect(parsePivots(['French', 'German'], 'german, Swahili;\n Klingon ,')).toEqual(['French', 'German', 'Swahili', 'Klingon']);
    expect(parseLines('a\r\n\n b \nA\nc')).toEqual(['a', 'b', 'c']);
  });
});

const siRecord = (index: number, kept: string[], topic?: string): SelfInstructRecord => ({
  schemaVersion: 1,
  id: `r:${index}`,
  runId: 'r',
  recipe: 'self-instruct',
  index,
  shownSeedIds: ['p01'],
  shownGenerated: [],
  ...(topic ? { topic } : {}),
  raw: '',
  finish: 'stop',
  proposed: kept,
  kept: kept.map((text, i) => ({ id: `r:${index}:${i}`, text, similarity: 0.2 })),
  dropped: [],
  usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
  createdAt: 0,
});

describe('promptSetFromRun', () => {
  it('self-instruct: kept prompts in step order, with the run and recipe as provenance, repeats once', () => {
    const run = { name: 'Seeds run', spec: selfInstructRunSpec(si()) };
    const set = promptSetFromRun(run, [siRecord(1, ['Second batch', 'first one']), siRecord(0, ['First one'], 'cooking')], { id: 'new', now: 5 });
    expect(set).toMatchObject({ id: 'new', updatedAt: 5, schemaVersion: SCHEMA_VERSION, name: 'Prompts from self-instruct run "Seeds run"' });
    expect(set.prompts.map((p) => p.text)).toEqual(['First one', 'Second batch']);
    expect(set.prompts[0].tags).toEqual(['self-instruct', 'cooking']);
    expect(set.prompts[0].source).toMatch(/^self-instruct, run "Seeds run": self-instruct r step 1/);
    expect(set.builtin).toBeUndefined();
  });

  it('back-translation: paraphrases tagged with their pivot, the original quoted in the source, originals optional', () => {
    const run = { name: 'BT', spec: backTranslateRunSpec(bt()) };
    const record: BackTranslateRecord = {
      schemaVersion: 1,
      id: 'r:0',
      runId: 'r',
      recipe: 'back-translate',
      index: 0,
      promptId: 'p01',
      prompt: 'What can I cook tonight?',
      translations: [
        { pivot: 'French', pivotText: 'Que puis-je cuisiner ce soir ?', backText: 'What could I cook this evening?', similarity: 0.5, kept: true, pivotFinish: 'stop', backFinish: 'stop' },
        { pivot: 'German', pivotText: 'x', backText: 'Nonsense', similarity: 0.1, kept: false, reason: 'drifted', pivotFinish: 'stop', backFinish: 'stop' },
      ],
      usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
      createdAt: 0,
    };
    const plain = promptSetFromRun(run, [record], { id: 'x', now: 1 });
    expect(plain.prompts).toHaveLength(1);
    expect(plain.prompts[0].text).toBe('What could I cook this evening?');
    expect(plain.prompts[0].tags).toEqual(['back-translation', 'French']);
    expect(plain.prompts[0].source).toMatch(/back-translation, run "BT": back-translated via French .*original: "What can I cook tonight\?"/);
    const withOriginals = promptSetFromRun(run, [record], { id: 'x', now: 1, includeOriginals: true });
    expect(withOriginals.prompts.map((p) => p.text)).toEqual(['What can I cook tonight?', 'What could I cook this evening?']);
    expect(withOriginals.prompts[0]).toMatchObject({ id: 'p01', tags: ['original'], source: 'original prompt of back-translation, run "BT"' });
  });

  it('refuses a run that makes no prompts', () => {
    const run = { name: 'x', spec: { recipe: 'critique-revision' } } as never;
    expect(() => promptSetFromRun(run, [], { id: 'x', now: 1 })).toThrow(/does not make prompts/);
  });
});
