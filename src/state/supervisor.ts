import * as Comlink from 'comlink';
import type { WorkerApi } from '../worker/pipeline.worker';
import type { Pipeline } from './worker-client';

const HEARTBEAT_MS = 2_000;
/** A busy worker still answers within this; shader compilation can stall it for a few seconds. */
const HEARTBEAT_TIMEOUT_MS = 8_000;

function createWorker(): Worker {
  return new Worker(new URL('../worker/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'pipeline' });
}

/** What every call still in flight to a worker that died is rejected with. */
export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';
  constructor() {
    super('The background worker stopped (it crashed, ran out of memory or stopped answering) before this finished; a new one has been started. Nothing half-done was kept: try again.');
  }
}

/** Rejected when the current worker is replaced; handled here so an unused one is no unhandled rejection. */
function deathNotice(): { died: Promise<never>; kill: () => void } {
  let kill: () => void = () => undefined;
  const died = new Promise<never>((_resolve, reject) => (kill = () => reject(new WorkerStoppedError())));
  died.catch(() => undefined);
  return { died, kill };
}

/**
 * Owns the pipeline worker and replaces it when it dies (a crash, an out-of-memory kill): a
 * heartbeat notices the silence, a fresh worker is started and `onRestart` lets the app reload
 * its model and resume the interrupted run. `pipeline` always talks to the current worker.
 */
export class PipelineSupervisor {
  private worker: Worker;
  private remote: Pipeline;
  private death = deathNotice();
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;
  restarts = 0;
  onRestart: () => void = () => undefined;

  /**
   * Forwards every call to whichever worker is current. A call made to a worker that then dies
   * rejects with WorkerStoppedError: without this its promise would never settle (the UI busy forever).
   */
  readonly pipeline: Pipeline = new Proxy({} as Pipeline, {
    get: (_target, prop) => {
      const member = (this.remote as unknown as Record<PropertyKey, unknown>)[prop];
      if (typeof prop !== 'string' || prop === 'then' || typeof member !== 'function') return member;
      const { died } = this.death;
      return (...args: unknown[]) => Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), died]);
    },
  });

  constructor() {
    this.worker = createWorker();
    this.remote = Comlink.wrap<WorkerApi>(this.worker);
  }

  watch(): void {
    this.timer ??= setInterval(() => void this.check(), HEARTBEAT_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const alive = await Promise.race([
        this.remote.ping().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HEARTBEAT_TIMEOUT_MS)),
      ]);
      if (!alive) this.restart();
    } finally {
      this.checking = false;
    }
  }

  private restart(): void {
    this.worker.terminate();
    this.remote[Comlink.releaseProxy]();
    this.death.kill();
    this.death = deathNotice();
    this.worker = createWorker();
    this.remote = Comlink.wrap<WorkerApi>(this.worker);
    this.restarts++;
    this.onRestart();
  }
}
