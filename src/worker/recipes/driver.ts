/** What the runner gives a recipe's driver, and what a driver does (one per recipe, see index.ts). */
import type { Engine } from '../../core/engine';
import type { Run, RunRecord } from '../../core/run';
import { SCHEMA_VERSION, type ModelRef, type PromptItem, type PromptRecordBase } from '../../core/types';

/** Progress of a phase that comes before a run's records (e.g. preference candidates). */
export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * What a driver may read and keep between records: the run's durable log and the per-index
 * stages of a multi-phase run. The page passes IndexedDB (storage/), the command line its own files.
 */
export interface RunStore {
  /** Records in index order; `offset`/`limit` count positions in that order. */
  readRecords(runId: string, offset?: number, limit?: number): Promise<RunRecord[]>;
  saveStage(runId: string, index: number, value: unknown): Promise<void>;
  readStage<T>(runId: string, index: number): Promise<T | undefined>;
  /** Stages stored so far (they are written in index order). */
  countStage(runId: string): Promise<number>;
}

/** What a recipe driver gets from the runner. Events are recipe-specific plain data. */
export interface DriverContext {
  store: RunStore;
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

/** The fields every record made from one prompt of a run shares (see PromptRecordBase). */
export type PromptRecordShared = Pick<PromptRecordBase, 'schemaVersion' | 'id' | 'runId' | 'index' | 'promptId' | 'prompt' | 'usage' | 'createdAt'>;

/**
 * The driver of a recipe that makes one record per prompt with one model (critique → revision,
 * CLAIR, RLCD): `make` is the pure recipe function; `failed` adds the recipe's own empty fields to a
 * record that says why its prompt could not be processed.
 */
export function perPromptDriver<S extends { model: ModelRef; prompts: PromptItem[] }, R extends RunRecord>(
  specOf: (run: Run) => S,
  make: (index: number, ctx: { runId: string; engine: Engine; spec: S; signal: AbortSignal; onEvent: DriverContext['onEvent'] }) => Promise<R>,
  failed: (shared: PromptRecordShared, reason: string) => R,
): RecipeDriver {
  return {
    async makeRecord(index, ctx) {
      const spec = specOf(ctx.run);
      const engine = await ctx.engineFor(spec.model);
      return make(index, { runId: ctx.run.id, engine, spec, signal: ctx.signal, onEvent: ctx.onEvent });
    },
    failedRecord(index, ctx, reason) {
      const item = specOf(ctx.run).prompts[index];
      const shared: PromptRecordShared = {
        schemaVersion: SCHEMA_VERSION,
        id: `${ctx.run.id}:${index}`,
        runId: ctx.run.id,
        index,
        promptId: item?.id ?? String(index),
        prompt: item?.text ?? '',
        usage: { promptTokens: 0, completionTokens: 0, ms: 0 },
        createdAt: Date.now(),
      };
      return failed(shared, reason);
    },
  };
}
