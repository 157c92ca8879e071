import type { Engine } from '../core/engine';
import type { RecipeEvent } from '../core/recipes/critique-revision/make';
import type { PreferenceEvent } from '../core/recipes/preference/make';
import type { AugmentEvent } from '../core/recipes/augment/types';
import type { MagpieEvent } from '../core/recipes/magpie/make';
import type { ClairEvent } from '../core/recipes/clair/make';
import type { RlcdEvent } from '../core/recipes/rlcd/make';
import { runTotal } from '../core/recipes/index';
import type { ModelRef } from '../core/types';
import type { Run, RunRecord, RunSpec, RunStatus } from '../core/run';
import { SCHEMA_VERSION } from '../core/types';
import { toUserError, type UserError } from '../core/errors';
import { appendRecord } from '../storage/records';
import { deleteRun, getRun, listRuns, saveRun } from '../storage/runs';
import { driverFor, type PhaseProgress } from './recipes';
import { RunningElsewhereError, runChannel, runLockHeld, takeRunLock } from './coordination';

/** A live event of the recipe that is running, for the trace view. */
export type TraceEvent = RecipeEvent | PreferenceEvent | AugmentEvent | MagpieEvent | ClairEvent | RlcdEvent;

export interface RunProgress {
  runId: string;
  done: number;
  total: number;
  /** Completion tokens per second of generation time, over this session of the run. */
  tokensPerSecond: number;
  /** Estimated milliseconds to finish, from the average time per record so far. */
  etaMs: number | null;
}

/** What the UI hears about runs. Records are announced only after they are stored. */
export type RunEvent =
  | { type: 'status'; run: Run }
  | { type: 'record'; run: Run; record: RunRecord }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'phase'; runId: string; progress: PhaseProgress }
  | { type: 'trace'; runId: string; event: TraceEvent }
  | { type: 'error'; runId: string; error: UserError }
  /** The run's stored header is gone (deleted elsewhere): it stopped and is no longer listed. */
  | { type: 'deleted'; runId: string };

type StopReason = 'pause' | 'cancel';

interface ActiveRun {
  runId: string;
  controller: AbortController;
  finished: Promise<void>;
}

export interface RunnerOptions {
  /** Forget the loaded model, so the next engineFor() loads it afresh (after an engine failure). */
  resetEngine?: () => Promise<void>;
  /** Tries per record before the run pauses with the reason. */
  maxAttempts?: number;
}

/** Drives one run at a time over the loaded engine: generate, store, then announce. */
export class Runner {
  private active: ActiveRun | null = null;
  private readonly channel = runChannel();

  constructor(
    private readonly engineFor: (ref: ModelRef) => Promise<Engine>,
    private readonly options: RunnerOptions = {},
  ) {}

  get activeRunId(): string | null {
    return this.active?.runId ?? null;
  }

  async start(name: string, spec: RunSpec, emit: (e: RunEvent) => void): Promise<Run> {
    const now = Date.now();
    const run: Run = {
      schemaVersion: SCHEMA_VERSION,
      id: crypto.randomUUID(),
      name,
      spec,
      status: 'queued',
      cursor: 0,
      recordCount: 0,
      stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 },
      createdAt: now,
      updatedAt: now,
    };
    await saveRun(run);
    return this.launch(run, emit);
  }

  async resume(runId: string, emit: (e: RunEvent) => void): Promise<Run> {
    const run = await getRun(runId);
    if (!run) throw new Error(`No run with id ${runId}`);
    if (run.status === 'done' || run.status === 'cancelled') return run;
    return this.launch(run, emit);
  }

  /** Stops the run; the record in flight is dropped and redone on resume. */
  async stop(runId: string, reason: StopReason): Promise<void> {
    const active = this.active;
    if (active?.runId === runId) {
      active.controller.abort(reason);
      await active.finished;
      return;
    }
    const run = await getRun(runId);
    if (run && reason === 'cancel' && run.status !== 'done') await saveRun({ ...run, status: 'cancelled' });
  }

  /**
   * Deletes a run and its records. This tab's running run is stopped first; one that another tab
   * is running is refused, since that tab would go on writing records nobody can see.
   */
  async delete(runId: string): Promise<void> {
    if (this.active?.runId === runId) await this.stop(runId, 'cancel');
    const run = await getRun(runId);
    const live = run && (run.status === 'running' || run.status === 'queued');
    if (live && !this.active && (await runLockHeld())) throw new RunningElsewhereError();
    await deleteRun(runId);
  }

  /**
   * Runs left "running" by a closed or crashed tab are paused, so the user can resume them.
   * Not while another tab holds the run lock: its run is really running.
   */
  async recoverInterrupted(): Promise<number> {
    if (!this.active && (await runLockHeld())) return 0;
    const stale = (await listRuns()).filter((r) => (r.status === 'running' || r.status === 'queued') && r.id !== this.activeRunId);
    for (const run of stale) await saveRun({ ...run, status: 'paused' });
    return stale.length;
  }

  private async launch(run: Run, emitHere: (e: RunEvent) => void): Promise<Run> {
    if (this.active) throw new Error('Another run is in progress: pause or cancel it first.');
    const release = await takeRunLock();
    // Other tabs see status and progress (not the token stream) of the run this tab owns.
    const emit = (e: RunEvent) => {
      emitHere(e);
      if (e.type === 'status' || e.type === 'progress' || e.type === 'record' || e.type === 'deleted') this.channel.post(e.type === 'record' ? { type: 'status', run: e.run } : e);
    };
    const controller = new AbortController();
    const running = await setStatus(run, 'running', emit, undefined);
    const finished = this.loop(running, controller, emit).finally(() => {
      this.active = null;
      release();
    });
    this.active = { runId: run.id, controller, finished };
    return running;
  }

  /** Makes one record; an engine failure reloads the model and retries, up to maxAttempts tries. */
  private async attempt(make: () => Promise<RunRecord>, signal: AbortSignal): Promise<RunRecord> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await make();
      } catch (error) {
        if (signal.aborted || !isEngineFailure(error) || attempt >= maxAttempts || !this.options.resetEngine) {
          if (attempt > 1 && !signal.aborted) throw new Error(`failed ${attempt} times: ${(error as Error).message}`, { cause: error });
          throw error;
        }
        await this.options.resetEngine();
      }
    }
  }

  private async loop(run: Run, controller: AbortController, emit: (e: RunEvent) => void): Promise<void> {
    const { signal } = controller;
    const total = runTotal(run.spec);
    const session = { tokens: 0, ms: 0, records: 0, started: performance.now() };
    try {
      const driver = driverFor(run);
      const pending = batchTraceEvents(run.id, emit);
      const ctx = {
        run,
        signal,
        engineFor: this.engineFor,
        onEvent: pending.push,
        onPhase: (progress: PhaseProgress) => emit({ type: 'phase', runId: run.id, progress }),
      };
      await driver.prepare?.(ctx);
      while (run.cursor < total) {
        signal.throwIfAborted();
        const index = run.cursor;
        const current = run;
        const record = await this.attempt(() => driver.makeRecord(index, { ...ctx, run: current }), signal).catch((error: unknown) => {
          // A prompt the model cannot take (longer than its context) is recorded as such; the run goes on.
          if (isInputTooLong(error) && driver.failedRecord) return driver.failedRecord(index, { ...ctx, run: current }, toUserError(error).message);
          throw error;
        });
        pending.flush();
        run = await appendRecord(run, record); // durable first…
        emit({ type: 'record', run, record }); // …then announced
        session.tokens += record.usage.completionTokens;
        session.ms += record.usage.ms;
        session.records += 1;
        emit({ type: 'progress', progress: progressOf(run, session) });
      }
      pending.flush();
      await setStatus(run, 'done', emit, undefined);
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : null;
      if (reason === 'cancel') return void (await setStatus(run, 'cancelled', emit, undefined));
      if (reason === 'pause') return void (await setStatus(run, 'paused', emit, undefined));
      const userError = toUserError(error, 'press Resume');
      emit({ type: 'error', runId: run.id, error: userError });
      // Paused, not failed: everything stored is kept and Resume retries the record in flight.
      await setStatus(run, 'paused', emit, userError.message);
    }
  }
}

/** The request did not fit the model's context window: the same input will never fit. */
function isInputTooLong(error: unknown): boolean {
  const e = error as Error;
  return e?.name === 'ContextWindowSizeExceededError' || /context (size|window|length)|exceeds the available context/i.test(e?.message ?? '');
}

/** Errors a fresh model load may cure; storage and input errors are not among them. */
function isEngineFailure(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  if (isInputTooLong(error)) return false;
  return !['StorageFullError', 'QuotaExceededError', 'AbortError', 'RangeError', 'RunLockedError'].includes(name);
}

async function setStatus(run: Run, status: RunStatus, emit: (e: RunEvent) => void, error: string | undefined): Promise<Run> {
  const latest = await getRun(run.id);
  // Deleted while it ran (another tab, an old list): stopping must not bring its header back.
  if (!latest && status !== 'running') {
    emit({ type: 'deleted', runId: run.id });
    return run;
  }
  const next: Run = { ...(latest ?? run), status, error, updatedAt: Date.now() };
  try {
    await saveRun(next);
  } catch (saveError) {
    // A full disk can refuse even this small write. Stopping must still stop: the page is told,
    // and the stored "running" is turned into "paused" when the app next starts.
    if (status === 'running') throw saveError;
  }
  emit({ type: 'status', run: next });
  return next;
}

function progressOf(run: Run, session: { tokens: number; ms: number; records: number; started: number }): RunProgress {
  const total = runTotal(run.spec);
  const perRecord = (performance.now() - session.started) / session.records;
  return {
    runId: run.id,
    done: run.recordCount,
    total,
    tokensPerSecond: session.ms > 0 ? (session.tokens / session.ms) * 1000 : 0,
    etaMs: session.records > 0 ? perRecord * (total - run.cursor) : null,
  };
}

/**
 * Streams trace events to the UI in batches (every 100 ms): one message per token would cost more
 * than generating the token on a fast engine. Tokens of the same step are merged.
 */
function batchTraceEvents(runId: string, emit: (e: RunEvent) => void) {
  let queue: TraceEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const event of queue) emit({ type: 'trace', runId, event });
    queue = [];
  };
  const push = (event: TraceEvent) => {
    const last = queue.at(-1);
    if (event.type === 'token' && last?.type === 'token' && sameStep(last, event)) {
      queue[queue.length - 1] = { ...last, text: last.text + event.text } as TraceEvent;
    } else {
      queue.push(event);
    }
    timer ??= setTimeout(flush, 100);
  };
  return { push: push as (event: { type: string; index: number }) => void, flush };
}

function sameStep(a: TraceEvent, b: TraceEvent): boolean {
  return a.index === b.index && 'step' in a && 'step' in b && a.step === b.step && ('round' in a ? a.round : 0) === ('round' in b ? b.round : 0);
}
