/**
 * The figures above a judged run (a preference run's judge summary, a judge check's report card),
 * kept up to date as records arrive. Records are read once each through `RunRecordsState` and kept
 * slim: without answer texts, comparisons or top alternatives, which no figure reads.
 */
import { summarise, type JudgeSummary } from '../core/judge';
import { judgeCheckReport, type JudgeCheckReport } from '../core/recipes/judge-check/report';
import type { OrderJudgement, PreferenceRecord } from '../core/recipes/preference/types';
import type { JudgeCheckRecord } from '../core/recipes/judge-check/types';
import { RunRecordsState } from './run-records.svelte';

const liteOrder = ({ reasoning: _reasoning, ...order }: OrderJudgement): OrderJudgement => ({ ...order, top: [] });

/** A judged record without its bulk; enough for every figure of the summaries. */
function slim<R extends PreferenceRecord | JudgeCheckRecord>(record: R): R {
  return {
    ...record,
    prompt: '',
    candidates: [{ text: '', origin: record.candidates[0].origin }, { text: '', origin: record.candidates[1].origin }],
    chosen: null,
    rejected: null,
    judgements: record.judgements.map((j) => ({ ...j, comparison: '', orders: [liteOrder(j.orders[0]), liteOrder(j.orders[1])] })),
  };
}

/** The judge-quality summary of one preference run; null until the stored records are read. */
export class PreferenceSummaryState {
  readonly #records = new RunRecordsState('preference', slim);
  readonly summary: JudgeSummary | null = $derived(this.#records.loaded ? summarise(this.#records.records) : null);
  /** |P(answer 1 better) − 0.5| of each label with a probability, for the margin histogram. */
  readonly margins: number[] = $derived(this.#records.records.flatMap((r) => (r.label.pAnswer1 === null ? [] : [Math.abs(r.label.pAnswer1 - 0.5)])));
  /** The tie margin the run's labels were judged with; null before any record. */
  readonly tieMargin: number | null = $derived(this.#records.records[0]?.tieMargin ?? null);

  get error(): string | null {
    return this.#records.error;
  }

  sync(runId: string, recordCount: number): Promise<void> {
    return this.#records.sync(runId, recordCount);
  }
}

/** The report card of one judge check; null until the stored records are read. */
export class JudgeCheckReportState {
  readonly #records = new RunRecordsState('judge-check', slim);
  readonly report: JudgeCheckReport | null = $derived(this.#records.loaded ? judgeCheckReport(this.#records.records) : null);

  get error(): string | null {
    return this.#records.error;
  }

  sync(runId: string, recordCount: number): Promise<void> {
    return this.#records.sync(runId, recordCount);
  }
}
