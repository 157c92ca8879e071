/** The runner's live events: progress over all records in flight, and the trace stream in batches. */
import type { Run, RunRecord } from '../core/run';
import type { UserError } from '../core/errors';
import type { RunProgress } from './run-progress';
import type { PhaseProgress } from './recipes/driver';
import type { RecipeEvent } from '../core/recipes/critique-revision/make';
import type { PreferenceEvent } from '../core/recipes/preference/make';
import type { AugmentEvent } from '../core/recipes/augment/types';
import type { MagpieEvent } from '../core/recipes/magpie/make';
import type { ClairEvent } from '../core/recipes/clair/make';
import type { RlcdEvent } from '../core/recipes/rlcd/make';

/** A live event of the recipe that is running, for the trace view. */
export type TraceEvent = RecipeEvent | PreferenceEvent | AugmentEvent | MagpieEvent | ClairEvent | RlcdEvent;

/** What the UI hears about runs. Records are announced only after they are stored. */
export type RunEvent =
  | { type: 'status'; run: Run }
  /** The run's counters only: the whole run (its spec holds every prompt) is not copied per record. */
  | { type: 'record'; runId: string; counts: RunCounts; record: RunRecord }
  | { type: 'counts'; runId: string; counts: RunCounts }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'phase'; runId: string; progress: PhaseProgress }
  | { type: 'trace'; runId: string; event: TraceEvent }
  /** The indexes of the records now in flight (the trace view follows one of them). */
  | { type: 'flight'; runId: string; indexes: number[] }
  | { type: 'error'; runId: string; error: UserError }
  /** The run's stored header is gone (deleted elsewhere): it stopped and is no longer listed. */
  | { type: 'deleted'; runId: string };

export type RunCounts = Pick<Run, 'cursor' | 'recordCount' | 'stats' | 'updatedAt' | 'failedCount' | 'pairedCount'>;



/**
 * Streams trace events to the UI in batches (every 100 ms): one message per token would cost more
 * than generating the token on a fast engine. Tokens of the same step are merged.
 */
export function batchTraceEvents(runId: string, emit: (e: RunEvent) => void) {
  let queue: TraceEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const event of queue) emit({ type: 'trace', runId, event });
    queue = [];
  };
  const push = (event: TraceEvent) => {
    const last = queue.at(-1);
    if (event.type === 'token' && last?.type === 'token' && sameStep(last, event)) {
      queue[queue.length - 1] = { ...last, text: last.text + event.text } as TraceEvent;
    } else {
      queue.push(event);
    }
    timer ??= setTimeout(flush, 100);
  };
  return { push: push as (event: { type: string; index: number }) => void, flush };
}

function sameStep(a: TraceEvent, b: TraceEvent): boolean {
  return a.index === b.index && 'step' in a && 'step' in b && a.step === b.step && ('round' in a ? a.round : 0) === ('round' in b ? b.round : 0);
}
