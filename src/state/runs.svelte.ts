import { toUserError, type UserError } from '../core/errors';
import { runItemText } from '../core/recipes/index';
import type { Run, RunRecord, RunSpec } from '../core/run';
import { listRuns, readRecords, renameRun, requestPersistence } from '../storage';
import type { LaunchOptions, RunCounts, RunEvent, RunProgress, TraceEvent } from '../worker/runner';
import { LiveTraces } from './live-traces.svelte';
import type { PhaseProgress } from '../worker/recipes';
import { RUN_CHANNEL, whenRunLockFree } from '../worker/coordination';
import type { EngineState } from './engine.svelte';
import { proxy, type Pipeline } from './worker-client';

/** All runs, the one being watched, and its live trace. */
export class RunsState {
  runs = $state<Run[]>([]);
  selectedId = $state<string | null>(null);
  progress = $state<RunProgress | null>(null);
  /** A phase that comes before a run's records (preference candidates by another model). */
  phase = $state<(PhaseProgress & { runId: string }) | null>(null);
  /** The records in flight as they stream; the view follows one of them. */
  readonly traces = new LiveTraces();
  /** Records in flight the user asked for; null = as many as the engine serves at once. */
  concurrency = $state<number | null>(null);
  recent = $state<RunRecord[]>([]);
  error = $state<UserError | null>(null);
  activeId = $state<string | null>(null);

  selected = $derived(this.runs.find((r) => r.id === this.selectedId) ?? null);
  /** A run is going, here or in another tab: starting another would conflict. */
  busy = $derived(this.activeId !== null || this.runs.some((r) => r.status === 'running'));

  constructor(
    private readonly pipeline: Pipeline,
    private readonly engine: EngineState,
  ) {}

  async init(): Promise<void> {
    // A run still marked "running" belongs to a tab that was closed or reloaded: show it as paused.
    await this.pipeline.recoverInterrupted();
    this.activeId = await this.pipeline.activeRunId();
    await this.refresh();
    this.listenToOtherTabs();
  }

  /** The tab that runs a recipe broadcasts its status and progress; the others follow along. */
  private listenToOtherTabs(): void {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(RUN_CHANNEL);
    channel.onmessage = (message: MessageEvent<RunEvent>) => {
      const event = message.data;
      if (event.type === 'status') (this.upsert(event.run), this.watchOtherTab());
      else if (event.type === 'counts') this.setCounts(event.runId, event.counts);
      else if (event.type === 'progress') this.progress = event.progress;
      else if (event.type === 'deleted') this.forget(event.runId);
    };
  }

  /** Engine stops per run, so a run that keeps crashing the worker ends up paused, not looping. */
  private crashes = new Map<string, number>();

  /**
   * The worker died and a new one was started: its run lock is gone, so the interrupted run is
   * paused in storage; resume it (the model is reloaded, the record in flight redone) unless it
   * has already crashed the engine three times.
   */
  async afterRestart(): Promise<void> {
    const interrupted = this.activeId;
    this.activeId = null;
    this.traces.clear();
    await this.pipeline.recoverInterrupted();
    await this.refresh();
    if (!interrupted) return;
    const crashes = (this.crashes.get(interrupted) ?? 0) + 1;
    this.crashes.set(interrupted, crashes);
    if (crashes >= 3) {
      this.error = {
        name: 'EngineCrashed',
        message: `The engine stopped ${crashes} times during this run, so the run is paused.`,
        hint: 'Try a smaller model or fewer max tokens, then press Resume. Everything stored so far is kept.',
      };
      return;
    }
    await this.resume(interrupted);
  }

  async refresh(): Promise<void> {
    this.runs = await listRuns();
    this.watchOtherTab();
  }

  private watching = false;

  /**
   * A run another tab is running ends with a status message, unless that tab is closed or crashes
   * first: then its lock is released with nothing said. Waiting on the lock catches both, and the
   * run left "running" is shown as paused (resumable) here.
   */
  private watchOtherTab(): void {
    const elsewhere = this.activeId === null && this.runs.some((r) => r.status === 'running' || r.status === 'queued');
    if (!elsewhere || this.watching) return;
    this.watching = true;
    void whenRunLockFree().then(async () => {
      this.watching = false;
      if (this.activeId !== null) return;
      await this.pipeline.recoverInterrupted();
      await this.refresh();
    });
  }

  async select(runId: string): Promise<void> {
    this.selectedId = runId;
    this.traces.clear();
    this.recent = (await readRecords(runId)).slice(-5).reverse();
  }

  async start(name: string, spec: RunSpec): Promise<void> {
    this.error = null;
    void requestPersistence(); // ask once, on the first save; a page (not a worker) must ask
    try {
      const run = await this.pipeline.startRun(name, spec, proxy(this.onEvent), proxy(this.engine.onProgress), this.launchOptions());
      this.activeId = run.id;
      await this.refresh();
      await this.select(run.id);
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  private launchOptions(): LaunchOptions {
    return this.concurrency ? { concurrency: this.concurrency } : {};
  }

  async resume(runId: string): Promise<void> {
    this.error = null;
    try {
      const run = await this.pipeline.resumeRun(runId, proxy(this.onEvent), proxy(this.engine.onProgress), this.launchOptions());
      if (run.status === 'running') this.activeId = run.id;
      await this.refresh();
      await this.select(run.id);
    } catch (error) {
      this.error = toUserError(error, 'press Resume');
    }
  }

  async pause(runId: string): Promise<void> {
    await this.pipeline.pauseRun(runId);
    await this.refresh();
  }

  /** Stores the run's new name; the list shows it at once. */
  async rename(runId: string, name: string): Promise<void> {
    this.upsert(await renameRun(runId, name));
  }

  async cancel(runId: string): Promise<void> {
    await this.pipeline.cancelRun(runId);
    await this.refresh();
  }

  private readonly onEvent = (event: RunEvent) => {
    switch (event.type) {
      case 'status':
        this.upsert(event.run);
        if (event.run.status !== 'running') {
          // A stopped run shows neither its live trace nor a pace or time left (its phases stay: what was done).
          if (this.traces.runId === event.run.id) this.traces.clear();
          if (this.progress?.runId === event.run.id) this.progress = null;
        }
        if (event.run.status !== 'running' && this.activeId === event.run.id) {
          this.activeId = null;
          // A run may have loaded another model (a preference run's judge).
          void this.engine.refreshLoaded();
          void this.engine.refreshCache();
        }
        break;
      case 'record':
        this.setCounts(event.runId, event.counts);
        if (this.selectedId === event.runId) this.recent = [event.record, ...this.recent].slice(0, 5);
        break;
      case 'counts':
        this.setCounts(event.runId, event.counts);
        break;
      case 'progress':
        if (this.runs.find((r) => r.id === event.progress.runId)?.status !== 'running') break;
        this.progress = event.progress;
        break;
      case 'phase':
        this.phase = { ...event.progress, runId: event.runId };
        break;
      case 'trace':
        this.onTrace(event.runId, event.event);
        break;
      case 'flight':
        this.traces.setFlight(event.runId, event.indexes);
        break;
      case 'error':
        this.error = event.error;
        break;
      case 'deleted':
        this.forget(event.runId);
        break;
    }
  };

  private onTrace(runId: string, event: TraceEvent): void {
    const run = this.runs.find((r) => r.id === runId);
    // Batched events may arrive after the run stopped: they must not bring the live trace back.
    if (run && run.status !== 'running') return;
    this.traces.add(runId, event, run ? runItemText(run.spec, event.index) : '');
  }

  /** A run deleted while it ran (here or in another tab) leaves the list and stops being followed. */
  private forget(runId: string): void {
    this.runs = this.runs.filter((r) => r.id !== runId);
    if (this.activeId === runId) this.activeId = null;
    if (this.traces.runId === runId) this.traces.clear();
    if (this.selectedId === runId) this.selectedId = null;
  }

  /** A record was stored: only the counters change (the run's spec is not sent again). */
  private setCounts(runId: string, counts: RunCounts): void {
    const i = this.runs.findIndex((r) => r.id === runId);
    if (i >= 0) this.runs[i] = { ...this.runs[i]!, ...counts };
  }

  private upsert(run: Run): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    if (i >= 0) this.runs[i] = run;
    else this.runs = [run, ...this.runs];
  }
}
