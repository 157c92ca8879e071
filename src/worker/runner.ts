import type { Engine } from '../core/engine';
import { recipeOfRun, runItemText, runModels, runTotal } from '../core/recipes/index';
import { flightSize, leasingEngines, runInFlight } from '../core/in-flight';
import { assertUsablePrompts } from '../core/prompt-check';
import type { ModelRef } from '../core/types';
import type { Run, RunRecord, RunSpec, RunStatus } from '../core/run';
import { SCHEMA_VERSION } from '../core/types';
import { isInputTooLong, toUserError } from '../core/errors';
import { appendRecords, readRecords, storedIndexes } from '../storage/records';
import { countStage, readStage, saveStage } from '../storage/stages';
import { deleteRun, getRun, listRuns, saveRun, setRecordCount } from '../storage/runs';
import { driverFor, type DriverContext, type PhaseProgress, type RecipeDriver, type RunStore } from './recipes';
import { RunningElsewhereError, runChannel, runLockHeld, takeRunLock } from './coordination';
import { streamedToken, progressOf, type Session } from './run-progress';
import { batchTraceEvents, type RunCounts, type RunEvent } from './run-events';

export type { RunCounts, RunEvent, TraceEvent } from './run-events';
export type { RunProgress } from './run-progress';

const countsOf = (run: Run): RunCounts => ({ cursor: run.cursor, recordCount: run.recordCount, stats: run.stats, updatedAt: run.updatedAt, failedCount: run.failedCount, pairedCount: run.pairedCount });

type StopReason = 'pause' | 'cancel';

/** The page's run store: IndexedDB. */
const idbRunStore: RunStore = { readRecords, readStage, saveStage, countStage };

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

/** How a run is driven; none of it changes what the records hold. */
export interface LaunchOptions {
  /** Records in flight at most; absent = the engine's slots (always 1 for in-browser engines). */
  concurrency?: number;
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

  /**
   * The run lock is taken before the run is stored: of two tabs pressing Start at once, the one
   * that loses stores nothing, so no never-started run is left behind to be resumed later.
   */
  async start(name: string, spec: RunSpec, emit: (e: RunEvent) => void, options: LaunchOptions = {}): Promise<Run> {
    if (this.active) throw new Error('Another run is in progress: pause or cancel it first.');
    assertUsablePrompts(runTotal(spec), (i) => runItemText(spec, i));
    const release = await takeRunLock();
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
    try {
      await saveRun(run);
    } catch (error) {
      release();
      throw error;
    }
    return this.launch(run, emit, options, release);
  }

  async resume(runId: string, emit: (e: RunEvent) => void, options: LaunchOptions = {}): Promise<Run> {
    const run = await getRun(runId);
    if (!run) throw new Error(`No run with id ${runId}`);
    if (run.status === 'done' || run.status === 'cancelled') return run;
    // A run stored before prompts were checked where they enter: name its bad prompt, do not fail a record on it.
    assertUsablePrompts(runTotal(run.spec), (i) => runItemText(run.spec, i));
    return this.launch(run, emit, options);
  }

  /** Stops the run; the records in flight are dropped and redone on resume. */
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

  private async launch(run: Run, emitHere: (e: RunEvent) => void, options: LaunchOptions, lock?: () => void): Promise<Run> {
    if (this.active) throw new Error('Another run is in progress: pause or cancel it first.');
    const release = lock ?? (await takeRunLock());
    // Other tabs see status and progress (not the token stream) of the run this tab owns.
    const emit = (e: RunEvent) => {
      emitHere(e);
      if (e.type === 'record') this.channel.post({ type: 'counts', runId: e.runId, counts: e.counts });
      else if (e.type === 'status' || e.type === 'progress' || e.type === 'deleted') this.channel.post(e);
    };
    const controller = new AbortController();
    let running: Run;
    try {
      running = await setStatus(run, 'running', emit, undefined);
    } catch (error) {
      release();
      throw error;
    }
    const finished = this.loop(running, controller, emit, options).finally(() => {
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

  private async loop(run: Run, controller: AbortController, emit: (e: RunEvent) => void, options: LaunchOptions): Promise<void> {
    const { signal } = controller;
    const session: Session = { tokens: 0, records: 0, started: performance.now(), streamed: 0, lastEmit: 0 };
    try {
      const driver = driverFor(run);
      const pending = batchTraceEvents(run.id, emit);
      const ctx: DriverContext = {
        run,
        signal,
        store: idbRunStore,
        engineFor: this.engineFor,
        onEvent: (event: { type: string; index: number }) => {
          pending.push(event);
          if (event.type === 'token') streamedToken(session, () => emit({ type: 'progress', progress: progressOf(run, session) }));
        },
        onPhase: (progress: PhaseProgress) => emit({ type: 'phase', runId: run.id, progress }),
      };
      await driver.prepare?.(ctx);
      // What is stored decides what is left, not the cursor: a cursor past a gap would skip prompts.
      const stored = await storedIndexes(run.id);
      if (stored.size !== run.recordCount) run = await recountFromLog(run, stored.size);
      const indexes = Array.from({ length: runTotal(run.spec) }, (_, i) => i).filter((i) => !stored.has(i));
      const inFlight = new Set<number>();
      const flight = () => emit({ type: 'flight', runId: run.id, indexes: [...inFlight].sort((a, b) => a - b) });
      await runInFlight({
        indexes,
        concurrency: indexes.length ? await this.flightSizeOf(run, options) : 1,
        signal,
        onStart: (index) => (inFlight.add(index), flight()),
        make: (index, recordSignal) => this.makeOne(driver, index, { ...ctx, run, signal: recordSignal }).finally(() => inFlight.delete(index)),
        commit: async (batch) => {
          pending.flush();
          run = await appendRecords(run, batch); // durable first…
          for (const record of batch) emit({ type: 'record', runId: run.id, counts: countsOf(run), record }); // …then announced
          session.tokens += batch.reduce((n, r) => n + r.usage.completionTokens, 0);
          session.records += batch.length;
          emit({ type: 'progress', progress: progressOf(run, session) });
          flight();
        },
      });
      pending.flush();
      await setStatus(run, 'done', emit, undefined);
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : null;
      if (reason === 'cancel') return void (await setStatus(run, 'cancelled', emit, undefined));
      if (reason === 'pause') return void (await setStatus(run, 'paused', emit, undefined));
      const userError = toUserError(error, 'press Resume');
      emit({ type: 'error', runId: run.id, error: userError });
      // Paused, not failed: everything stored is kept and Resume retries the records in flight.
      await setStatus(run, 'paused', emit, userError.message);
    }
  }

  /** Records in flight: the engine's slots or the user's choice; one for in-browser engines and sequential recipes. */
  private async flightSizeOf(run: Run, options: LaunchOptions): Promise<number> {
    const sequential = recipeOfRun(run.spec)?.sequential === true;
    const last = runModels(run.spec).at(-1);
    if (sequential || !last) return 1;
    return flightSize(await this.engineFor(last), options.concurrency, sequential);
  }

  /** One record, on its own lease of the engine when the engine spreads records over servers. */
  private async makeOne(driver: RecipeDriver, index: number, ctx: DriverContext): Promise<RunRecord> {
    const engines = leasingEngines(this.engineFor);
    const own = { ...ctx, engineFor: engines.engineFor };
    try {
      return await this.attempt(() => driver.makeRecord(index, own), ctx.signal).catch((error: unknown) => {
        // A prompt the model cannot take (longer than its context) is recorded as such; the run goes on.
        if (isInputTooLong(error) && driver.failedRecord) return driver.failedRecord(index, own, toUserError(error).message);
        throw error;
      });
    } finally {
      engines.release();
    }
  }
}

/** Errors a fresh model load may cure; storage and input errors are not among them. */
function isEngineFailure(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  if (isInputTooLong(error)) return false;
  return !['StorageFullError', 'QuotaExceededError', 'AbortError', 'RangeError', 'RunLockedError', 'PromptInputError'].includes(name);
}

/** The log is the truth: a stored count that disagrees with it is set to what the log holds. */
async function recountFromLog(run: Run, stored: number): Promise<Run> {
  await setRecordCount(run.id, stored);
  return { ...run, recordCount: stored };
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
