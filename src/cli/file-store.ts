/**
 * The recipe drivers' run store on the command line: records come from the output file (kept in
 * memory, in index order), per-index stages (e.g. preference candidates made before judging) go
 * to a file beside it, `OUT.stages.jsonl`, so a rerun picks up the phase where it stopped.
 */
import { appendFile, readFile } from 'node:fs/promises';
import type { RunRecord } from '../core/run';
import type { RunStore } from '../worker/recipes/driver';
import { CliError } from './errors';

export function stagesFile(out: string): string {
  return `${out}.stages.jsonl`;
}

export class FileRunStore implements RunStore {
  private readonly stages = new Map<number, unknown>();
  private records: RunRecord[];

  private constructor(private readonly runId: string, private readonly stagePath: string, records: RunRecord[]) {
    this.records = [...records];
  }

  static async open(runId: string, out: string, records: RunRecord[]): Promise<FileRunStore> {
    const store = new FileRunStore(runId, stagesFile(out), records);
    const text = await readFile(store.stagePath, 'utf8').catch(() => '');
    // A torn last line is simply not a stage: that index's phase is redone.
    for (const line of text.split('\n')) {
      try {
        const { index, value } = JSON.parse(line) as { index: number; value: unknown };
        store.stages.set(index, value);
      } catch {
        /* blank or torn line */
      }
    }
    return store;
  }

  /** Records just written to the output file. */
  add(batch: readonly RunRecord[]): void {
    this.records.push(...batch);
    if (batch.some((r, i) => i > 0 && r.index < batch[i - 1]!.index)) this.records.sort((a, b) => a.index - b.index);
  }

  private own(runId: string): void {
    if (runId !== this.runId) throw new CliError(`this run reads the records of another run (${runId}), which the command line does not have`);
  }

  async readRecords(runId: string, offset = 0, limit = Infinity): Promise<RunRecord[]> {
    this.own(runId);
    return this.records.slice(offset, offset + limit);
  }

  async saveStage(runId: string, index: number, value: unknown): Promise<void> {
    this.own(runId);
    await appendFile(this.stagePath, `${JSON.stringify({ index, value })}\n`);
    this.stages.set(index, value);
  }

  async readStage<T>(runId: string, index: number): Promise<T | undefined> {
    this.own(runId);
    return this.stages.get(index) as T | undefined;
  }

  async countStage(runId: string): Promise<number> {
    this.own(runId);
    let n = 0;
    while (this.stages.has(n)) n++;
    return n;
  }
}
