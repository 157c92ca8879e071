import * as Comlink from 'comlink';
import type { WorkerApi } from '../worker/pipeline.worker';

export type { WorkerApi };
export type Pipeline = Comlink.Remote<WorkerApi>;

/** Starts the one module worker that owns the model and the running recipe. */
export function startPipeline(): Pipeline {
  const worker = new Worker(new URL('../worker/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'pipeline' });
  return Comlink.wrap<WorkerApi>(worker);
}

/** Callbacks must be proxied to cross the worker boundary (plain functions can't be cloned). */
export const proxy = Comlink.proxy;
