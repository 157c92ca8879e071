import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import { DEFAULT_CANDIDATE_TEMPERATURES, DEFAULT_REASONING_TOKENS, preferenceRunSpec, type PreferenceRunChoices } from '../../src/core/recipes/preference/spec';
import type { ModelRef } from '../../src/core/types';
import { parseImportedPairs } from '../../src/core/formats/preference';

const model: ModelRef = { backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 };
const judgeModel: ModelRef = { backend: 'webgpu', modelId: 'Judge-q4f32_1-MLC' };
const judge = { model, principlesPerComparison: 1, mode: 'plain' as const, tieMargin: 0.05, rawPrompt: true };

function sampled(over: Partial<Extract<PreferenceRunChoices['source'], { kind: 'sampled' }>> = {}): PreferenceRunChoices {
  return {
    source: {
      kind: 'sampled',
      model,
      promptSet: { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, 3) },
      temperatures: DEFAULT_CANDIDATE_TEMPERATURES,
      topP: 0.9,
      maxTokens: 32,
      ...over,
    },
    judge,
    constitution: harmlessConstitution,
    seed: 7.9,
  };
}

describe('preferenceRunSpec', () => {
  it('freezes sampled candidates with two temperatures and the judge settings', () => {
    const spec = preferenceRunSpec(sampled());
    expect(spec.recipe).toBe('preference');
    expect(spec.source).toEqual({
      kind: 'sampled',
      model,
      sampling: [
        { temperature: 0.7, topP: 0.9, maxTokens: 32 },
        { temperature: 1.1, topP: 0.9, maxTokens: 32 },
      ],
    });
    expect(spec.judge).toEqual({ ...judge, reasoningMaxTokens: DEFAULT_REASONING_TOKENS });
    expect(spec.seed).toBe(7);
    expect(spec.prompts).toEqual(samplePromptSet.prompts.slice(0, 3));
    expect(spec.promptSetId).toBe(samplePromptSet.id);
  });

  it('deep-copies everything, so later edits never change the spec', () => {
    const choices = sampled();
    const spec = preferenceRunSpec(choices);
    expect(spec.constitution).not.toBe(harmlessConstitution);
    expect(spec.constitution).toEqual(harmlessConstitution);
    expect(spec.prompts[0]).not.toBe(samplePromptSet.prompts[0]);
    if (choices.source.kind !== 'sampled' || spec.source.kind !== 'sampled') throw new Error('unreachable');
    expect(spec.source.model).not.toBe(choices.source.model);
    expect(spec.judge.model).not.toBe(model);
    // The result is plain data that crosses to a worker.
    expect(structuredClone(spec)).toEqual(spec);
  });

  it('takes a revision run\'s prompts from its records in index order', () => {
    const records = [
      { index: 1, promptId: 'b', prompt: 'second' },
      { index: 0, promptId: 'a', prompt: 'first' },
    ];
    const spec = preferenceRunSpec({ ...sampled(), source: { kind: 'revision', run: { id: 'r1', name: 'Earlier' }, records }, judge: { ...judge, model: judgeModel } });
    expect(spec.source).toEqual({ kind: 'revision', runId: 'r1', runName: 'Earlier' });
    expect(spec.prompts).toEqual([{ id: 'a', text: 'first' }, { id: 'b', text: 'second' }]);
    expect(spec.judge.model).toEqual(judgeModel);
  });

  it('freezes imported pairs with one prompt per pair', () => {
    const { pairs, errors } = parseImportedPairs('{"prompt":"p","answerA":"x","answerB":"y","id":9}\nnot json\n{"prompt":"q","chosen":"c","rejected":"r"}\n');
    expect(errors.map((e) => e.line)).toEqual([2]);
    const spec = preferenceRunSpec({ ...sampled(), source: { kind: 'imported', name: 'pairs.jsonl', pairs } });
    expect(spec.prompts.map((p) => [p.id, p.text])).toEqual([['9', 'p'], ['imported-2', 'q']]);
    expect(spec.source.kind === 'imported' && spec.source.pairs).toEqual(pairs);
    expect(spec.source.kind === 'imported' && spec.source.pairs).not.toBe(pairs);
  });

  it('refuses settings a run cannot follow, with readable messages', () => {
    expect(() => preferenceRunSpec(sampled({ promptSet: { id: 'x', name: 'x', prompts: [] } }))).toThrow(/no prompts/);
    expect(() => preferenceRunSpec(sampled({ maxTokens: 0 }))).toThrow(/max tokens/);
    expect(() => preferenceRunSpec(sampled({ temperatures: [0.7, 3] }))).toThrow(/temperatures/);
    expect(() => preferenceRunSpec({ ...sampled(), judge: { ...judge, tieMargin: 0.5 } })).toThrow(/tie margin/);
    expect(() => preferenceRunSpec({ ...sampled(), judge: { ...judge, principlesPerComparison: 0 } })).toThrow(/principles per comparison/);
    const enabled = harmlessConstitution.principles.filter((p) => p.enabled).length;
    expect(() => preferenceRunSpec({ ...sampled(), judge: { ...judge, principlesPerComparison: enabled + 1 } })).toThrow(new RegExp(`at most ${enabled}`));
    expect(preferenceRunSpec({ ...sampled(), judge: { ...judge, principlesPerComparison: enabled } }).judge.principlesPerComparison).toBe(enabled);
    expect(() => preferenceRunSpec({ ...sampled(), judge: { ...judge, mode: 'cot', reasoningMaxTokens: 0 } })).toThrow(/reasoning budget/);
    expect(() => preferenceRunSpec({ ...sampled(), source: { kind: 'imported', name: 'empty', pairs: [] } })).toThrow(/no prompts/);
  });
});
