/**
 * Importing a JSONL dataset and combining datasets (merge, drop duplicates), both done by the
 * worker. The page keeps the choices, the duplicate preview and what came back.
 */
import type { DedupeOptions } from '../core/dedupe';
import type { CombineOutcome, DatasetImportOutcome } from '../worker/datasets';
import type { Pipeline } from './worker-client';

const failed = (error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error), errors: [], errorCount: 0 });
const failedCombine = (error: unknown): CombineOutcome => ({ ok: false, message: error instanceof Error ? error.message : String(error), records: 0, exact: 0, near: 0 });

export class DatasetImportState {
  busy = $state<string | null>(null);
  outcome = $state.raw<DatasetImportOutcome | null>(null);
  /** The file of an import that did not finish (the worker stopped), offered again by "Try again". */
  retryable = $state.raw<File | null>(null);

  constructor(
    private readonly pipeline: Pipeline,
    private readonly onImported: (runId: string) => Promise<void>,
  ) {}

  async importFile(file: File): Promise<void> {
    if (this.busy) return;
    this.busy = `Reading ${file.name}…`;
    this.outcome = null;
    this.retryable = null;
    try {
      const name = file.name.replace(/\.(jsonl|json|txt)$/i, '') || file.name;
      const outcome = await this.pipeline.importDataset(file, { fileName: file.name, name });
      this.outcome = outcome;
      if (outcome.ok) await this.onImported(outcome.runId);
    } catch (error) {
      this.outcome = failed(error);
      this.retryable = file;
    } finally {
      this.busy = null;
    }
  }
}

export class CombineState {
  selected = $state.raw<string[]>([]);
  name = $state('');
  dedupe = $state(true);
  near = $state(true);
  threshold = $state(0.8);
  preview = $state.raw<CombineOutcome | null>(null);
  outcome = $state.raw<CombineOutcome | null>(null);
  busy = $state<string | null>(null);

  constructor(
    private readonly pipeline: Pipeline,
    private readonly onCreated: (runId: string) => Promise<void>,
  ) {}

  toggle(runId: string, on: boolean): void {
    this.selected = on ? [...new Set([...this.selected, runId])] : this.selected.filter((id) => id !== runId);
    this.preview = null;
  }

  /** Forget a dataset that was deleted. */
  forget(runId: string): void {
    if (this.selected.includes(runId)) this.toggle(runId, false);
  }

  options(): DedupeOptions {
    return { threshold: Math.min(1, Math.max(0.05, this.threshold)), near: this.near };
  }

  changed(): void {
    this.preview = null;
  }

  async previewDuplicates(): Promise<void> {
    if (this.busy || this.selected.length === 0) return;
    this.busy = 'Looking for duplicates…';
    try {
      this.preview = await this.pipeline.previewDuplicates([...this.selected], this.options());
    } catch (error) {
      this.preview = failedCombine(error);
    } finally {
      this.busy = null;
    }
  }

  async create(defaultName: string): Promise<void> {
    if (this.busy || this.selected.length === 0) return;
    this.busy = this.dedupe ? 'Merging and dropping duplicates…' : 'Merging…';
    this.outcome = null;
    try {
      const name = this.name.trim() || defaultName;
      const outcome = await this.pipeline.combineDatasets([...this.selected], { name, dedupe: this.dedupe ? this.options() : null });
      this.outcome = outcome;
      if (outcome.ok && outcome.runId) {
        this.selected = [];
        this.preview = null;
        this.name = '';
        await this.onCreated(outcome.runId);
      }
    } catch (error) {
      // The worker stopped mid-merge: the selection is kept, so pressing the button again retries.
      this.outcome = failedCombine(error);
    } finally {
      this.busy = null;
    }
  }
}
