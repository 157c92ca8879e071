/**
 * Registry of the worker's engines, one line each. Keyed by the same backends as
 * `core/engines/index.ts`, so the compiler asks for a driver here for every kind of model reference.
 */
import type { Backend, ModelRef, RefOf } from '../../core/engines';
import type { CachedModel, EngineDriver } from './driver';
import { endpointDriver } from './endpoint';
import { webLlmDriver } from './webllm';
import { wllamaDriver } from './wllama';

export const engineDrivers: { [B in Backend]: EngineDriver<RefOf<B>> } = {
  webgpu: webLlmDriver,
  cpu: wllamaDriver,
  server: endpointDriver,
};

/** The driver for a ref's own backend; the registry is keyed by backend, so the types always agree. */
export function driverFor(ref: ModelRef): EngineDriver<ModelRef> {
  return engineDrivers[ref.backend] as EngineDriver<ModelRef>;
}

/** Every engine's stored models, engine by engine in registry order. */
export async function listCachedModels(): Promise<CachedModel[]> {
  const all: CachedModel[] = [];
  for (const driver of Object.values(engineDrivers)) all.push(...(await driver.cached()));
  return all;
}
