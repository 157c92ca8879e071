/** A run session's pace: tokens per second from the first streamed tokens, and the time left. */
import type { Run } from '../core/run';
import { runTotal } from '../core/recipes/index';

export interface RunProgress {
  runId: string;
  done: number;
  total: number;
  /** Completion tokens per second of wall-clock time since the first streamed token, over all records in flight. */
  tokensPerSecond: number;
  /** Estimated milliseconds to finish, from the average time per record so far. */
  etaMs: number | null;
}

/**
 * This session's pace. The clock starts at the first streamed token, so loading the model (at the
 * start, or again on Resume) is not counted as time per record.
 */
export interface Session {
  tokens: number;
  records: number;
  started: number;
  /** Token events streamed so far (one per token from our engines): the pace before a record is done. */
  streamed: number;
  lastEmit: number;
}

/** Counts a streamed token; at most once a second, the progress is announced (tokens/s from the first seconds on). */
export function streamedToken(session: Session, announce: () => void): void {
  const now = performance.now();
  // The first token restarts the clock: the model load before it is not time spent per record.
  if (session.streamed === 0) session.started = now;
  session.streamed++;
  if (now - session.lastEmit < 1000 || now - session.started < 500) return;
  session.lastEmit = now;
  announce();
}

export function progressOf(run: Run, session: Session): RunProgress {
  const total = runTotal(run.spec);
  const elapsed = performance.now() - session.started;
  const perRecord = session.records > 0 ? elapsed / session.records : 0;
  const streamedRate = elapsed > 0 ? (session.streamed / elapsed) * 1000 : 0;
  return {
    runId: run.id,
    done: run.recordCount,
    total,
    // Records in flight overlap, so the rate is over wall-clock time, not summed per-record times.
    tokensPerSecond: session.records > 0 && elapsed > 0 ? (session.tokens / elapsed) * 1000 : streamedRate,
    etaMs: session.records > 0 ? perRecord * Math.max(0, total - run.recordCount) : null,
  };
}

