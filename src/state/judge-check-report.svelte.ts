/**
 * The report card of one judge check, kept up to date as its records arrive. Records are read once
 * each (by position) and kept without their answer texts and top alternatives.
 */
import { ownRecords } from '../core/recipes/index';
import { judgeCheckReport, type JudgeCheckReport } from '../core/recipes/judge-check/report';
import type { JudgeCheckRecord } from '../core/recipes/judge-check/types';
import { isCheckRun } from '../core/recipes/judge-check/spec';
import type { Run } from '../core/run';
import { CHUNK_SIZE, listRuns, readRecords } from '../storage';

function slim(record: JudgeCheckRecord): JudgeCheckRecord {
  return {
    ...record,
    prompt: '',
    candidates: [{ text: '', origin: 'imported' }, { text: '', origin: 'imported' }],
    chosen: null,
    rejected: null,
    judgements: record.judgements.map((j) => ({
      ...j,
      comparison: '',
      orders: [{ ...j.orders[0], top: [], reasoning: undefined }, { ...j.orders[1], top: [], reasoning: undefined }],
    })),
  };
}

export class JudgeCheckReportState {
  report = $state.raw<JudgeCheckReport | null>(null);
  error = $state<string | null>(null);
  private runId: string | null = null;
  private records: JudgeCheckRecord[] = [];
  private read = 0;
  private queue: Promise<void> = Promise.resolve();

  sync(runId: string, recordCount: number): Promise<void> {
    if (runId !== this.runId) {
      this.runId = runId;
      this.records = [];
      this.read = 0;
      this.report = null;
      this.error = null;
    }
    this.queue = this.queue.then(() => this.catchUp(runId, recordCount));
    return this.queue;
  }

  private async catchUp(runId: string, recordCount: number): Promise<void> {
    try {
      while (runId === this.runId && this.read < recordCount) {
        const more = await readRecords(runId, this.read, Math.min(CHUNK_SIZE, recordCount - this.read));
        if (runId !== this.runId || more.length === 0) break;
        this.read += more.length;
        for (const record of ownRecords('judge-check', more)) this.records.push(slim(record));
      }
      if (runId === this.runId) this.report = judgeCheckReport(this.records);
    } catch (error) {
      if (runId === this.runId) this.error = `Could not read the check's records: ${(error as Error).message}`;
    }
  }
}

/** The other checks one may compare with, and the chosen one's report. */
export class JudgeCheckCompareState {
  others = $state.raw<Run[]>([]);
  otherId = $state('');
  readonly other = new JudgeCheckReportState();

  /** Lists the stored checks other than `runId` that have judged something. */
  async list(runId: string): Promise<void> {
    const runs = await listRuns();
    this.others = runs.filter((r) => r.id !== runId && isCheckRun(r) && r.recordCount > 0).sort((a, b) => b.createdAt - a.createdAt);
  }

  get otherRun(): Run | null {
    return this.others.find((r) => r.id === this.otherId) ?? null;
  }
}
