/** The live trace of the records in flight: each streams into its own trace; the view follows one. */
import type { TraceEvent } from '../worker/runner';

export interface TraceStep {
  /** e.g. "Critique · round 1 · Honesty" */
  title: string;
  text: string;
}

/** The record being made right now, as it streams. */
export interface LiveTrace {
  runId: string;
  index: number;
  prompt: string;
  steps: TraceStep[];
}

export class LiveTraces {
  runId = $state<string | null>(null);
  /** The traces of the records in flight (and of the last one shown), by index. */
  byIndex = $state<Record<number, LiveTrace>>({});
  inFlight = $state<number[]>([]);
  /** The record the user chose to follow; null = the earliest in flight. */
  pick = $state<number | null>(null);
  private lastIndex = $state<number | null>(null);

  /** The trace on screen: the chosen record while it is in flight, else the earliest in flight. */
  readonly live = $derived.by((): LiveTrace | null => {
    const chosen = this.pick !== null && this.inFlight.includes(this.pick) ? this.pick : null;
    const first = this.inFlight.find((i) => this.byIndex[i]);
    const index = chosen ?? first ?? this.lastIndex;
    return index === null ? null : (this.byIndex[index] ?? null);
  });

  add(runId: string, event: TraceEvent, prompt: string): void {
    if (this.runId !== runId) this.reset(runId);
    const trace = (this.byIndex[event.index] ??= { runId, index: event.index, prompt, steps: [] });
    const steps = trace.steps;
    if (event.type === 'token') {
      if (steps.length > 0) steps[steps.length - 1]!.text += event.text;
    } else {
      steps.push(traceStep(event));
    }
    this.lastIndex = event.index;
  }

  /** Records stored leave the flight; their traces go, except the one still on screen. */
  setFlight(runId: string, indexes: number[]): void {
    if (this.runId !== runId) this.reset(runId);
    this.inFlight = indexes;
    const keep = new Set([...indexes, this.live?.index ?? -1]);
    for (const key of Object.keys(this.byIndex)) if (!keep.has(Number(key))) delete this.byIndex[Number(key)];
  }

  clear(): void {
    this.reset(null);
  }

  private reset(runId: string | null): void {
    this.runId = runId;
    this.byIndex = {};
    this.inFlight = [];
    this.pick = null;
    this.lastIndex = null;
  }
}

const STEP_TITLES: Record<string, string> = {
  answer: 'Answer',
  critique: 'Critique',
  revision: 'Revision',
  candidate: 'Candidate',
  judge: 'Judge',
  propose: 'Proposed prompts',
  'to-pivot': 'Translation',
  'from-pivot': 'Back-translation',
  'user-turn': 'User turn written by the model',
  independent: 'Independent answer (baseline)',
  positive: 'Positive answer',
  negative: 'Negative answer',
};

/** A new block of the live trace, titled from the event that opens it. */
function traceStep(event: Exclude<TraceEvent, { type: 'token' }>): TraceStep {
  if (event.type === 'judgement') {
    const { order } = event;
    const shown = order.candidateShownAsA === 0 ? 'answer 1 shown as (A)' : 'answer 2 shown as (A)';
    const pA = order.pA == null ? 'no probability (fallback letter)' : `P(A) = ${order.pA.toFixed(3)}`;
    return { title: `Judgement · ${shown}`, text: pA };
  }
  const parts = [STEP_TITLES[event.step] ?? event.step];
  if ('round' in event && event.round) parts.push(`round ${event.round}`);
  if ('candidate' in event) parts.push(String(event.candidate + 1));
  if ('principleName' in event && event.principleName) parts.push(event.principleName);
  if ('shownAsA' in event) parts.push(`answer ${event.shownAsA + 1} shown as (A)`);
  if ('pivot' in event && event.pivot) parts.push(event.pivot);
  return { title: parts.join(' · '), text: '' };
}
