/** A judge check's comparison with another stored check (its report is read like the check's own). */
import { isCheckRun } from '../core/recipes/judge-check/spec';
import type { Run } from '../core/run';
import { listRuns } from '../storage';
import { JudgeCheckReportState } from './judged-records.svelte';

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
