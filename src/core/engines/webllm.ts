import type { ModelRefKind } from './model-ref';

/** A model from WebLLM's prebuilt list, run on the GPU through WebGPU. */
export type WebLlmRef = { backend: 'webgpu'; modelId: string };

export const webLlmRefs: ModelRefKind<WebLlmRef> = {
  runsOn: 'GPU',
  read: (stored) => ({ backend: 'webgpu', modelId: stored.str('modelId') }),
  label: (ref) => ref.modelId,
  cardLine: (ref, code) => `${code(ref.modelId)} (WebLLM on WebGPU)`,
};
