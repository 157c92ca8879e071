/**
 * The records of one run, read from storage as they arrive (each once, in index order), for the
 * figures a recipe shows above its run. `slim` may drop bulky fields the figures do not need.
 */
import type { RecipeId } from '../core/recipes/recipe';
import { ownRecords } from '../core/recipes/index';
import type { RunRecord } from '../core/run';
import { CHUNK_SIZE, readRecords } from '../storage';

type RecordOf<K> = Extract<RunRecord, { recipe: K }>;

export class RunRecordsState<K extends RecipeId> {
  records = $state.raw<RecordOf<K>[]>([]);
  error = $state<string | null>(null);
  /** Whether the records stored when the run was last synced have all been read. */
  loaded = $state(false);
  private runId: string | null = null;
  private read = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly recipe: K,
    private readonly slim: (record: RecordOf<K>) => RecordOf<K> = (r) => r,
  ) {}

  /** Reads whatever of `runId`'s first `recordCount` records has not been read yet. */
  sync(runId: string, recordCount: number): Promise<void> {
    if (runId !== this.runId) {
      this.runId = runId;
      this.read = 0;
      this.records = [];
      this.error = null;
      this.loaded = false;
    }
    this.queue = this.queue.then(() => this.catchUp(runId, recordCount));
    return this.queue;
  }

  private async catchUp(runId: string, recordCount: number): Promise<void> {
    try {
      const more: RecordOf<K>[] = [];
      while (runId === this.runId && this.read < recordCount) {
        const batch = await readRecords(runId, this.read, Math.min(CHUNK_SIZE, recordCount - this.read));
        if (runId !== this.runId || batch.length === 0) break;
        this.read += batch.length;
        more.push(...ownRecords(this.recipe, batch).map(this.slim));
      }
      if (runId === this.runId && more.length) this.records = [...this.records, ...more];
      if (runId === this.runId) this.loaded = true;
    } catch (error) {
      if (runId === this.runId) this.error = `Could not read the run's records: ${(error as Error).message}`;
    }
  }
}
