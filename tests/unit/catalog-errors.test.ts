import { describe, expect, it } from 'vitest';
import { gpuCatalogue, recommendGpuModel, usableGpuModels, type Capabilities } from '../../src/core/catalog';
import { toUserError } from '../../src/core/errors';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { parsePastedPrompts } from '../../src/core/run-spec';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { samplePromptSet } from '../../src/core/builtins/prompts';
import { parseWebLlmProgress } from '../../src/worker/engines/progress';

const list = [
  { model_id: 'SmolLM2-360M-Instruct-q4f16_1-MLC', vram_required_MB: 376 },
  { model_id: 'SmolLM2-360M-Instruct-q4f32_1-MLC', vram_required_MB: 580 },
  { model_id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', vram_required_MB: 945 },
  { model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1060 },
  { model_id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1889 },
  { model_id: 'Llama-3.1-70B-Instruct-q4f16_1-MLC', vram_required_MB: 40000 },
  { model_id: 'Qwen2.5-0.5B-Instruct-q0f16-MLC', vram_required_MB: 1000 },
];
const caps = (over: Partial<Capabilities> = {}): Capabilities => ({
  webgpu: true,
  shaderF16: false,
  adapter: { vendor: 'google', architecture: 'swiftshader', isFallback: true },
  deviceMemoryGB: 8,
  wasm: { jspi: true, memory64: true },
  ...over,
});

describe('model catalogue', () => {
  it('keeps only small instruct q4 builds, sorted by memory, and marks f16 builds', () => {
    const c = gpuCatalogue(list);
    expect(c.map((m) => m.id)).toEqual([
      'SmolLM2-360M-Instruct-q4f16_1-MLC',
      'SmolLM2-360M-Instruct-q4f32_1-MLC',
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
      'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
    ]);
    expect(c.filter((m) => m.needsF16).map((m) => m.quant)).toEqual(['f16', 'f16']);
  });

  it('offers f32 builds only where shader-f16 is missing, and nothing without WebGPU', () => {
    const c = gpuCatalogue(list);
    expect(usableGpuModels(c, caps()).every((m) => m.quant === 'f32')).toBe(true);
    expect(usableGpuModels(c, caps({ shaderF16: true }))).toHaveLength(5);
    expect(usableGpuModels(c, caps({ webgpu: false }))).toEqual([]);
    expect(recommendGpuModel(c, caps({ webgpu: false }))).toBeNull();
  });

  it('recommends the smallest capable model that fits the browser', () => {
    const c = gpuCatalogue(list);
    expect(recommendGpuModel(c, caps())?.id).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(recommendGpuModel(c, caps({ shaderF16: true }))?.id).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    const roomy = caps({ adapter: { vendor: 'nvidia', architecture: 'ada', isFallback: false }, deviceMemoryGB: 16 });
    expect(recommendGpuModel(c, roomy)?.id).toBe('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
  });
});

describe('user-facing errors', () => {
  it.each([
    [new TypeError('Failed to fetch'), /Cannot reach the model host/, /cached/],
    [Object.assign(new Error('x'), { name: 'DeviceLostError' }), /ran out of memory/, /smaller model/],
    [Object.assign(new Error('needs shader-f16'), { name: 'ShaderF16SupportError' }), /shader-f16/, /q4f32/],
    [new Error('failed to load model: invalid magic'), /not a model/, /\.gguf/],
    [Object.assign(new Error('full'), { name: 'QuotaExceededError' }), /storage is full/, /Delete/],
  ])('%s → says what happened and what to do', (error, message, hint) => {
    const e = toUserError(error);
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
  });

  it('a full disk says how to carry on where it happened: Resume only for a paused run', () => {
    const full = Object.assign(new Error('Browser storage is full (1.0 MB used).'), { name: 'StorageFullError' });
    expect(toUserError(full).hint).toBe('Delete old runs or cached models, then try again.');
    expect(toUserError(full, 'press Resume').hint).toBe('Delete old runs or cached models, then press Resume.');
  });

  it('keeps unknown errors as they are', () => {
    expect(toUserError(new RangeError('odd'))).toEqual({ name: 'RangeError', message: 'odd', hint: '' });
    expect(toUserError('plain')).toMatchObject({ message: 'plain' });
  });
});

describe('run spec', () => {
  it('parses pasted prompts one per line, dropping blanks and duplicates', () => {
    expect(parsePastedPrompts('a\r\n\n  b  \na\n').map((p) => p.text)).toEqual(['a', 'b']);
  });

  it('freezes a deep copy and validates the choices', () => {
    const constitution = structuredClone(harmlessConstitution);
    const choices = {
      model: { backend: 'webgpu' as const, modelId: 'x' },
      constitution,
      promptSet: samplePromptSet,
      rounds: 2,
      seed: 3,
      fewShot: 1,
      sampling: { temperature: 1, topP: 1, maxTokens: 10 },
    };
    const spec = critiqueRunSpec(choices);
    constitution.principles[0].critique = 'changed later';
    expect(spec.constitution.principles[0].critique).not.toBe('changed later');
    expect(spec.constitution.fewShot).toHaveLength(1);
    expect(() => critiqueRunSpec({ ...choices, rounds: 5 })).toThrow(/rounds/);
    expect(() => critiqueRunSpec({ ...choices, promptSet: { ...samplePromptSet, prompts: [] } })).toThrow(/no prompts/);
  });
});

describe('built-ins', () => {
  it('have a constitution of at least 16 complete principles and 2 few-shot examples', () => {
    expect(harmlessConstitution.principles.length).toBeGreaterThanOrEqual(16);
    for (const p of harmlessConstitution.principles) {
      expect(p.critique.length && p.revision.length && p.comparison.length).toBeGreaterThan(10);
    }
    expect(new Set(harmlessConstitution.principles.map((p) => p.id)).size).toBe(harmlessConstitution.principles.length);
    expect(harmlessConstitution.fewShot.length).toBeGreaterThanOrEqual(2);
  });

  it('have at least 40 tagged prompts, ordinary and red-team', () => {
    expect(samplePromptSet.prompts.length).toBeGreaterThanOrEqual(40);
    const tags = samplePromptSet.prompts.flatMap((p) => p.tags ?? []);
    expect(tags).toContain('ordinary');
    expect(tags).toContain('red-team');
  });
});

describe('WebLLM progress text', () => {
  it('reads bytes and percent from the fetch report', () => {
    const p = parseWebLlmProgress({ progress: 0.4, text: 'Fetching param cache[3/24]: 120MB fetched. 40% completed, 5 secs elapsed.' });
    expect(p).toMatchObject({ phase: 'download', loaded: 120e6, total: 300e6, fraction: 0.4 });
    expect(parseWebLlmProgress({ progress: 0.9, text: 'Loading GPU shader modules[1/30]' }).phase).toBe('init');
  });
});
