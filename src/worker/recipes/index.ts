import type { Engine } from '../../core/engine';
import type { ModelRef, Run, RunRecord } from '../../core/types';
import { critiqueRevisionDriver } from './critique-revision';
import { preferenceDriver } from './preference';
import { backTranslateDriver, selfInstructDriver } from './augment';

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

export function driverFor(run: Run): RecipeDriver {
  switch (run.spec.recipe) {
    case 'critique-revision':
      return critiqueRevisionDriver;
    case 'preference':
      return preferenceDriver;
    case 'self-instruct':
      return selfInstructDriver;
    case 'back-translate':
      return backTranslateDriver;
    case 'import':
      return importedDriver;
  }
}

/** Imported and merged datasets are finished when stored: there is nothing to generate or resume. */
const importedDriver: RecipeDriver = {
  makeRecord() {
    return Promise.reject(new Error('imported datasets are not generated'));
  },
};
