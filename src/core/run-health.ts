/** What a run's list entries and summaries say about records that were kept but not processed. */
import type { Run } from './run';
import type { RunDownload } from './recipes/recipe';

type Counts = Pick<Run, 'recordCount' | 'failedCount'>;

/** Records that carry generated data (not the ones stored as not processed). */
export function processedCount(run: Counts): number {
  return Math.max(0, run.recordCount - (run.failedCount ?? 0));
}

/**
 * "3 of 5 not processed: …", or null when every record was processed. The runner stores a record
 * as not processed only when its request did not fit the model's context, so that is the reason given.
 */
export function notProcessedNote(run: Counts): string | null {
  const failed = run.failedCount ?? 0;
  if (failed === 0) return null;
  return `${failed} of ${run.recordCount} not processed: prompt longer than the model's context`;
}

/** Why a download of this run would be empty (it is then disabled); null when it would have rows. */
export function emptyDownloadReason(run: Counts & Pick<Run, 'pairedCount'>, download?: Pick<RunDownload, 'needsPairs'>): string | null {
  if (run.recordCount === 0) return 'No records yet: nothing to download.';
  if (download?.needsPairs && run.pairedCount === 0) {
    return 'No pairs to download: every comparison is a tie or undecided. See the judge summary for a tie margin that decides some.';
  }
  if (processedCount(run) === 0) return `Nothing to download: none of the ${run.recordCount} records was processed (each prompt was longer than the model's context).`;
  return null;
}

/** A run that did not make all it set out to: marked in the run list so it stands out. */
export interface RunMark {
  kind: 'failed' | 'cancelled' | 'partial';
  text: string;
}

/**
 * Failed, cancelled, or finished with records not processed; null for a run that is fine or can
 * still go on (running, queued, paused). `total`: the records the run set out to make.
 */
export function runMark(run: Counts & Pick<Run, 'status'>, total: number): RunMark | null {
  if (run.status === 'failed') return { kind: 'failed', text: `Failed after ${run.recordCount} of ${total}` };
  if (run.status === 'cancelled') return { kind: 'cancelled', text: run.recordCount < total ? `Cancelled: ${run.recordCount} of ${total} made` : 'Cancelled' };
  if (run.status === 'done' && (run.failedCount ?? 0) > 0) return { kind: 'partial', text: `Partial: ${processedCount(run)} of ${total} processed` };
  return null;
}
