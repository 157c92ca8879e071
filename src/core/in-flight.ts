/**
 * Many records in flight, stored in index order. Up to K records are made at once; finished ones
 * wait until every earlier index is finished too, and then the contiguous run at the cursor is
 * handed to `commit` in one batch. Started-but-uncommitted records never exceed K, so a crash or
 * a reload redoes at most K records, and nothing is stored twice or out of order.
 */
import type { Engine, EngineLease } from './engine';
import type { ModelRef } from './types';

export interface FlightPlan<R> {
  /** The indexes still to make, ascending (a resume passes those missing from the log). */
  indexes: readonly number[];
  /** Records in flight at most (K); values below 1 count as 1. */
  concurrency: number;
  /** Aborting stops new records, aborts those in flight, and still commits what is finished in order. */
  signal: AbortSignal;
  /** Makes one record; `signal` aborts it (a sibling failed, or the run stops). */
  make(index: number, signal: AbortSignal): Promise<R>;
  /** Stores a batch of records whose indexes are contiguous in `indexes`; called one batch at a time. */
  commit(batch: R[]): Promise<void>;
  /** Hears a record start (the trace view may follow one of those in flight). */
  onStart?(index: number): void;
}

/** Runs the plan; resolves when every index is committed, rejects with the first failure or the abort. */
export function runInFlight<R>(plan: FlightPlan<R>): Promise<void> {
  return new Flight(plan).run();
}

class Flight<R> {
  private readonly k: number;
  private readonly inner = new AbortController();
  private readonly done = new Map<number, R>();
  /** Position in `indexes` of the next record to start, and of the first one not committed. */
  private next = 0;
  private committed = 0;
  private running = 0;
  private committing = false;
  private failure: { error: unknown } | null = null;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };

  constructor(private readonly plan: FlightPlan<R>) {
    this.k = Math.max(1, Math.floor(plan.concurrency) || 1);
  }

  run(): Promise<void> {
    const finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    const onAbort = () => this.fail(this.plan.signal.reason ?? new DOMException('aborted', 'AbortError'));
    if (this.plan.signal.aborted) onAbort();
    else this.plan.signal.addEventListener('abort', onAbort, { once: true });
    this.pump();
    return finished.finally(() => this.plan.signal.removeEventListener('abort', onAbort));
  }

  /** Starts records while the window [committed, committed + K) has room, then checks for the end. */
  private pump(): void {
    const { indexes } = this.plan;
    while (!this.failure && this.next < indexes.length && this.next < this.committed + this.k) {
      this.start(indexes[this.next++]!);
    }
    this.finishIfIdle();
  }

  private start(index: number): void {
    this.running++;
    this.plan.onStart?.(index);
    let made: Promise<R>;
    try {
      made = this.plan.make(index, this.inner.signal);
    } catch (error) {
      made = Promise.reject(error);
    }
    made.then(
      (record) => {
        this.running--;
        this.done.set(index, record);
        void this.flush();
      },
      (error: unknown) => {
        this.running--;
        this.fail(error);
        this.finishIfIdle();
      },
    );
  }

  /** Commits the contiguous finished run at the cursor, one batch at a time. */
  private async flush(): Promise<void> {
    if (this.committing) return;
    const batch = this.readyBatch();
    if (!batch.length) return this.pump();
    this.committing = true;
    try {
      await this.plan.commit(batch);
      for (let i = 0; i < batch.length; i++) this.done.delete(this.plan.indexes[this.committed + i]!);
      this.committed += batch.length;
    } catch (error) {
      this.fail(error);
    } finally {
      this.committing = false;
    }
    if (this.failure) return this.finishIfIdle();
    return this.flush();
  }

  private readyBatch(): R[] {
    const batch: R[] = [];
    for (let at = this.committed; at < this.plan.indexes.length; at++) {
      const record = this.done.get(this.plan.indexes[at]!);
      if (record === undefined) break;
      batch.push(record);
    }
    return batch;
  }

  /** The first failure wins; the rest of the records in flight are aborted. */
  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.inner.abort(error);
  }

  private finishIfIdle(): void {
    if (this.running > 0 || this.committing) return;
    // Finished records before the failure were committed as they came (see flush).
    if (this.failure) return this.settle.reject(this.failure.error);
    if (this.committed >= this.plan.indexes.length) this.settle.resolve();
  }
}

/**
 * One record's view of the engines: the first time it asks for a model whose engine can lease, it
 * takes a lease (one backing server for all of its turns) and keeps it until `release`.
 */
export function leasingEngines(engineFor: (ref: ModelRef) => Promise<Engine>) {
  const leases = new Map<Engine, EngineLease>();
  return {
    async engineFor(ref: ModelRef): Promise<Engine> {
      const engine = await engineFor(ref);
      if (!engine.lease) return engine;
      let lease = leases.get(engine);
      if (!lease) {
        lease = engine.lease();
        leases.set(engine, lease);
      }
      return lease.engine;
    },
    release(): void {
      for (const lease of leases.values()) lease.release();
      leases.clear();
    },
  };
}

/** Records in flight for an engine: a server's slots (or the user's choice), 1 for in-browser engines. */
export function flightSize(engine: Pick<Engine, 'slots'>, requested: number | undefined, sequential: boolean): number {
  if (sequential || !engine.slots) return 1;
  return Math.max(1, Math.floor(requested ?? engine.slots));
}
