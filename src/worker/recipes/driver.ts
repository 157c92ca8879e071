/** What the runner gives a recipe's driver, and what a driver does (one per recipe, see index.ts). */
import type { Engine } from '../../core/engine';
import type { Run, RunRecord } from '../../core/run';
import type { ModelRef } from '../../core/types';

/** Progress of a phase that comes before a run's records (e.g. preference candidates). */
export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

/** What a recipe driver gets from the runner. Events are recipe-specific plain data. */
export interface DriverContext {
  run: Run;
  signal: AbortSignal;
  /** The engine for a model, loading it if another one is loaded. */
  engineFor(ref: ModelRef): Promise<Engine>;
  onEvent(event: { type: string; index: number }): void;
  onPhase(progress: PhaseProgress): void;
}

/**
 * Adapts a pure recipe (core/recipes) to the runner: how to make the record at `index`, and any
 * phase that must finish for all indices first. Both must be resumable: they may be called again
 * for an index whose earlier attempt was interrupted.
 */
export interface RecipeDriver {
  prepare?(ctx: DriverContext): Promise<void>;
  makeRecord(index: number, ctx: DriverContext): Promise<RunRecord>;
  /** A record saying why `index` could not be made, for input errors that retrying won't fix. */
  failedRecord?(index: number, ctx: DriverContext, reason: string): RunRecord;
}
