import type { Engine } from '../../core/engine';
import type { Backend, ModelRef } from '../../core/engines';
import type { LoadProgress } from './progress';
import type { CpuRuntime } from '../../core/engines/cpu-plan';

/** A model stored in the browser by one of the engines, as the model lists show it. */
export interface CachedModel {
  backend: Backend;
  /** The engine's own cache key (WebLLM model id, CPU cache entry name). */
  key: string;
  label: string;
  /** Bytes on disk, when known. */
  size: number | null;
  /** How to load it again. */
  ref: ModelRef;
}

/** `runtime`: how a GGUF model runs (threads, GPU offload), for engines that choose. */
export type LoadedEngine = Engine & { unload(): Promise<void>; readonly runtime?: CpuRuntime };

/** The worker's side of one engine: loading its models and managing its cache. */
export interface EngineDriver<Ref extends ModelRef> {
  /**
   * Brings the model's files into the browser without loading them, so a download that fails
   * (a 404, a stall, Cancel) leaves the model that is loaded in place. Absent where download and
   * load are one step (WebLLM).
   */
  fetch?(ref: Ref, onProgress: (p: LoadProgress) => void, signal: AbortSignal): Promise<void>;
  load(ref: Ref, onProgress: (p: LoadProgress) => void, signal: AbortSignal): Promise<LoadedEngine>;
  /** The models this engine has stored in the browser. */
  cached(): Promise<CachedModel[]>;
  deleteCached(key: string): Promise<void>;
}
