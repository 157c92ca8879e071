/**
 * The judge-quality summary of one preference run, kept up to date as records arrive. Records are
 * read from storage once each (by position, in index order) and kept only in a slim form: the
 * fields `summarise` reads, without answer texts or top alternatives.
 */
import { summarise, type JudgeSummary } from '../core/judge';
import type { OrderJudgement, PreferenceRecord } from '../core/recipes/preference/types';
import { ownRecords } from '../core/recipes/index';
import { CHUNK_SIZE, readRecords } from '../storage';

const liteOrder = ({ reasoning: _reasoning, ...order }: OrderJudgement): OrderJudgement => ({ ...order, top: [] });

/** A record without its bulk; enough for every figure of the summary. */
function slim(record: PreferenceRecord): PreferenceRecord {
  return {
    ...record,
    prompt: '',
    candidates: [{ text: '', origin: record.candidates[0].origin }, { text: '', origin: record.candidates[1].origin }],
    chosen: null,
    rejected: null,
    judgements: record.judgements.map((j) => ({
      ...j,
      comparison: '',
      orders: [liteOrder(j.orders[0]), liteOrder(j.orders[1])],
    })),
  };
}

export class PreferenceSummaryState {
  summary = $state<JudgeSummary | null>(null);
  /** |P(answer 1 better) − 0.5| of each label with a probability, and the tie margin they were judged with. */
  margins = $state.raw<number[]>([]);
  tieMargin = $state<number | null>(null);
  error = $state<string | null>(null);
  private runId: string | null = null;
  private read = 0;
  private records: PreferenceRecord[] = [];
  private queue: Promise<void> = Promise.resolve();

  /** Reads whatever of `runId`'s first `recordCount` records has not been read yet. */
  sync(runId: string, recordCount: number): Promise<void> {
    if (runId !== this.runId) {
      this.runId = runId;
      this.read = 0;
      this.records = [];
      this.summary = null;
      this.error = null;
    }
    this.queue = this.queue.then(() => this.catchUp(runId, recordCount));
    return this.queue;
  }

  private async catchUp(runId: string, recordCount: number): Promise<void> {
    try {
      while (runId === this.runId && this.read < recordCount) {
        const more = await readRecords(runId, this.read, Math.min(CHUNK_SIZE, recordCount - this.read));
        if (runId !== this.runId) return;
        if (more.length === 0) break;
        this.read += more.length;
        for (const record of ownRecords('preference', more)) this.records.push(slim(record));
      }
      if (runId === this.runId) {
        this.summary = summarise(this.records);
        this.margins = this.records.flatMap((r) => (r.label.pAnswer1 === null ? [] : [Math.abs(r.label.pAnswer1 - 0.5)]));
        this.tieMargin = this.records[0]?.tieMargin ?? null;
      }
    } catch (error) {
      if (runId === this.runId) this.error = `Could not read the run's records: ${(error as Error).message}`;
    }
  }
}
