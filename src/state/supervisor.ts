import * as Comlink from 'comlink';
import type { WorkerApi } from '../worker/pipeline.worker';
import type { Pipeline } from './worker-client';

const HEARTBEAT_MS = 2_000;
/** A busy worker still answers within this; shader compilation can stall it for a few seconds. */
const HEARTBEAT_TIMEOUT_MS = 8_000;
/**
 * Calls that keep the worker's thread for a long stretch in one go: parsing a 50 MB prompt file,
 * or merging and writing 500,000 prompts, takes longer than the usual timeout on a busy machine.
 * While one is in flight, silence is waited out this long before the worker counts as dead.
 * (Dataset imports read in slices and answer pings, so a worker dying in one is noticed at once.)
 */
const SLOW_CALLS: ReadonlySet<keyof WorkerApi> = new Set<keyof WorkerApi>(['previewPromptImport', 'addPromptImport']);
const SLOW_HEARTBEAT_TIMEOUT_MS = 120_000;

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
  /** Slow calls in flight (see SLOW_CALLS). */
  private slowCalls = 0;
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
      const call = (...args: unknown[]) => Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), died]);
      if (!SLOW_CALLS.has(prop as keyof WorkerApi)) return call;
      return async (...args: unknown[]) => {
        this.slowCalls++;
        try {
          return await call(...args);
        } finally {
          this.slowCalls--;
        }
      };
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
      if (!(await this.answers())) this.restart();
    } finally {
      this.checking = false;
    }
  }

  /** Whether the worker answers a ping in time: the usual timeout, or the long one while a slow call runs. */
  private async answers(): Promise<boolean> {
    const ping = this.remote.ping().then(() => true);
    const within = (ms: number) => Promise.race([ping, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
    if (await within(HEARTBEAT_TIMEOUT_MS)) return true;
    return this.slowCalls > 0 && within(SLOW_HEARTBEAT_TIMEOUT_MS - HEARTBEAT_TIMEOUT_MS);
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
