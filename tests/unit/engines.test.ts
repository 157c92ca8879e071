import { describe, expect, it } from 'vitest';
import { modelLabel, modelRefKinds, readModelRef, runsOn, type ModelRef } from '../../src/core/engines';
import { Reader } from '../../src/core/schema/validate';

const refs: ModelRef[] = [
  { backend: 'webgpu', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' },
  { backend: 'cpu', kind: 'url', url: 'https://x/m.gguf', name: 'm.gguf' },
  { backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 },
  { backend: 'server', baseUrls: ['http://127.0.0.1:8080'], model: 'stories' },
];

const read = (stored: Record<string, unknown>) => readModelRef(new Reader('run r', stored, 'spec.model.'));

describe('model references', () => {
  it('reads back every kind of stored reference unchanged', () => {
    for (const ref of refs) expect(read({ ...ref })).toEqual(ref);
  });

  it('names the bad field of a damaged reference', () => {
    expect(() => read({ backend: 'tpu' })).toThrow('run r: field "spec.model.backend" must be one of "webgpu", "cpu"');
    expect(() => read({ backend: 'cpu', kind: 'disk' })).toThrow('field "spec.model.kind" must be one of "url", "file"');
    expect(() => read({ backend: 'webgpu' })).toThrow('field "spec.model.modelId" must be a string');
    expect(() => read({ backend: 'cpu', kind: 'file', name: 'x' })).toThrow('field "spec.model.size" must be a number');
  });

  it('labels each reference by its engine', () => {
    expect(refs.map(modelLabel)).toEqual(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'm.gguf', 'tiny.gguf', 'stories']);
    expect(Object.keys(modelRefKinds).map((b) => runsOn(b as ModelRef['backend']))).toEqual(['GPU', 'CPU', 'server']);
  });
});
