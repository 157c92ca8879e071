import type { Engine } from '../core/engine';
import { modelLabel, sameModel, type ModelRef } from '../core/types';
import type { LoadProgress } from './engines/progress';
import type { LoadedEngine } from './engines/driver';
import { driverFor } from './engines';
import type { CpuRuntime } from '../core/engines/cpu-plan';

export { sameModel } from '../core/types';


/** Holds the one loaded model; loading another unloads the first (one model fits in memory). */
export class ModelHolder {
  private engine: LoadedEngine | null = null;
  private ref: ModelRef | null = null;
  private loading: AbortController | null = null;

  get current(): ModelRef | null {
    return this.ref;
  }

  /** The loaded engine, if any (e.g. to read its chat template). */
  get loaded(): Engine | null {
    return this.engine;
  }

  /** Threads and GPU offload of the loaded model, where its engine chooses them. */
  get runtime(): CpuRuntime | null {
    return this.engine?.runtime ?? null;
  }

  async load(ref: ModelRef, onProgress: (p: LoadProgress) => void): Promise<Engine> {
    if (this.engine && sameModel(ref, this.ref)) return this.engine;
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    try {
      const driver = driverFor(ref);
      // Downloaded first: a download that fails leaves the working model loaded.
      await driver.fetch?.(ref, onProgress, controller.signal);
      controller.signal.throwIfAborted();
      // One model fits in memory: the old one goes only now, just before the new one loads.
      await this.unload();
      this.engine = await driver.load(ref, onProgress, controller.signal);
      this.ref = ref;
      onProgress({ phase: 'ready', loaded: 0, total: null, fraction: 1, text: `${modelLabel(ref)} is ready` });
      return this.engine;
    } finally {
      if (this.loading === controller) this.loading = null;
    }
  }

  cancelLoad(): void {
    this.loading?.abort();
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.ref = null;
    await engine?.unload().catch(() => undefined);
  }
}
