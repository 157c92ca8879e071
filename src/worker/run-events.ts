/** The runner's live events: progress over all records in flight, and the trace stream in batches. */
import type { Run } from '../core/run';
import { runTotal } from '../core/recipes/index';
import type { RunEvent, RunProgress, TraceEvent } from './runner';

/** Counts every record of the flight: wall-clock time, since records in flight overlap. */
export function progressOf(run: Run, session: { tokens: number; records: number; started: number }): RunProgress {
  const total = runTotal(run.spec);
  const elapsed = performance.now() - session.started;
  const perRecord = elapsed / session.records;
  return {
    runId: run.id,
    done: run.recordCount,
    total,
    tokensPerSecond: elapsed > 0 ? (session.tokens / elapsed) * 1000 : 0,
    etaMs: session.records > 0 ? perRecord * Math.max(0, total - run.recordCount) : null,
  };
}

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
