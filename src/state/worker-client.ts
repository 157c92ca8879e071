import * as Comlink from 'comlink';
import type { WorkerApi } from '../worker/pipeline.worker';

export type { WorkerApi };
export type Pipeline = Comlink.Remote<WorkerApi>;


/** Callbacks must be proxied to cross the worker boundary (plain functions can't be cloned). */
export const proxy = Comlink.proxy;
