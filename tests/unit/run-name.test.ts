import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { preferenceRunSpec } from '../../src/core/recipes/preference/spec';
import { defaultRunName } from '../../src/core/run-name';
import { cachedCopyOf, readRememberedModel, sameModelRef } from '../../src/core/engines/last-model';
import type { ModelRef } from '../../src/core/types';

const model: ModelRef = { backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 };
const judgeModel: ModelRef = { backend: 'webgpu', modelId: 'Judge-q4f32_1-MLC' };
const when = new Date(2026, 11, 3, 14, 5);
const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 32 };
const promptSet = { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, 2) };

describe('default run names', () => {
  it('say recipe · model · source · time, with the recipe label from the recipe table', () => {
    const spec = critiqueRunSpec({ model, constitution: harmlessConstitution, promptSet, rounds: 1, seed: 1, fewShot: 0, sampling });
    expect(defaultRunName(spec, samplePromptSet.name, when)).toBe(`Critique → revision · tiny.gguf · Sample prompts · ${'2026-12-03 14:05'}`);
  });

  it('name every model a run uses once, and drop an empty source', () => {
    const judge = { model: judgeModel, principlesPerComparison: 1, mode: 'plain' as const, tieMargin: 0.05, rawPrompt: true };
    const source = { kind: 'sampled' as const, model, promptSet, temperatures: [0.7, 1.1] as const, topP: 0.9, maxTokens: 32 };
    const spec = preferenceRunSpec({ source, judge, constitution: harmlessConstitution, seed: 1 });
    expect(defaultRunName(spec, '  ', when)).toBe(`Preference (AI judge) · tiny.gguf + Judge-q4f32_1-MLC · ${'2026-12-03 14:05'}`);
    const sameModel = preferenceRunSpec({ source, judge: { ...judge, model }, constitution: harmlessConstitution, seed: 1 });
    expect(defaultRunName(sameModel, 'Mine', when).split(' · ').slice(1)).toEqual(['tiny.gguf', 'Mine', '2026-12-03 14:05']);
  });
});

describe('the last model', () => {
  const cached = [{ ref: { backend: 'cpu', kind: 'url', url: 'https://x/a.gguf', name: 'a.gguf' } as ModelRef }, { ref: { size: 10, name: 'tiny.gguf', kind: 'file', backend: 'cpu' } as ModelRef }];

  it('reads back what was stored, and forgets damaged text', () => {
    expect(readRememberedModel(JSON.stringify(model))).toEqual(model);
    expect(readRememberedModel(null)).toBeNull();
    expect(readRememberedModel('{not json')).toBeNull();
    expect(readRememberedModel(JSON.stringify({ backend: 'tpu' }))).toBeNull();
  });

  it('is found in the cache whatever the key order, and not when only the name matches', () => {
    expect(cachedCopyOf(model, cached)).toBe(cached[1]);
    expect(sameModelRef(model, { ...model, size: 11 })).toBe(false);
    expect(cachedCopyOf({ ...model, size: 11 }, cached)).toBeNull();
    expect(cachedCopyOf(judgeModel, cached)).toBeNull();
  });
});
