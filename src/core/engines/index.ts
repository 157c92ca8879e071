/**
 * Registry of engines' model references (pure: no worker, DOM or engine imports). A new engine adds
 * its reference type to `ModelRef` and its entry to `modelRefKinds`; the compiler then asks for the
 * worker's loader in `worker/engines/index.ts` as well.
 */
import type { Reader } from '../schema/validate';
import { endpointRefs, type EndpointRef } from './endpoint';
import type { ModelRefKind } from './model-ref';
import { webLlmRefs, type WebLlmRef } from './webllm';
import { wllamaRefs, type WllamaRef } from './wllama';

/** What the worker needs to (re)load a model; stored in a run so Resume can reload the same one. */
export type ModelRef = WebLlmRef | WllamaRef | EndpointRef;

export type Backend = ModelRef['backend'];

export type RefOf<B extends Backend> = Extract<ModelRef, { backend: B }>;

export const modelRefKinds: { [B in Backend]: ModelRefKind<RefOf<B>> } = {
  webgpu: webLlmRefs,
  cpu: wllamaRefs,
  server: endpointRefs,
};

const BACKENDS = Object.keys(modelRefKinds) as Backend[];

/** The entry for a ref's own backend; the registry is keyed by backend, so the types always agree. */
export function refKindOf(ref: ModelRef): ModelRefKind<ModelRef> {
  return modelRefKinds[ref.backend] as ModelRefKind<ModelRef>;
}

export function modelLabel(ref: ModelRef): string {
  return refKindOf(ref).label(ref);
}

/** Where models of this backend run, in one word ("GPU", "CPU"). */
export function runsOn(backend: Backend): string {
  return modelRefKinds[backend].runsOn;
}

/** Reads a stored model reference, failing with the field's name when it is unknown or damaged. */
export function readModelRef(stored: Reader): ModelRef {
  return modelRefKinds[stored.oneOf('backend', BACKENDS)].read(stored);
}
