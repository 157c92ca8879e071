/** What a dataset card says of a run and its files; each recipe builds a CardRun (core/recipes). */
import type { ModelRef, SamplingParams } from '../types';
import type { ExportFormatId } from './table';

/** What the card needs to know about the run, for any recipe; each recipe's `cardRun` builds it (core/recipes). */
export interface CardRun {
  name: string;
  recipe: string;
  /** Each model with what it did, e.g. "answers and revisions", "judge". */
  models: readonly { role: string; model: ModelRef }[];
  sampling: readonly SamplingParams[];
  /** Absent for imported and merged datasets, whose generation settings are not known here. */
  seed?: number;
  /** Imported or merged datasets: where the records came from, in a sentence. */
  origin?: string;
  /** Critique→revision: rounds per prompt. */
  rounds?: number;
  /** Preference: where the two answers came from, and how the judge was run. */
  candidates?: string;
  judge?: { mode: string; principlesPerComparison: number; tieMargin: number };
  /** Preference: the judge check made with the same judge settings before the run, if any. */
  judgeCheck?: JudgeCheckCitation;
  constitution?: { name: string; principles?: readonly { name: string; enabled?: boolean }[] };
  promptSet?: { name: string; size?: number };
}

export type CardFormat = ExportFormatId;

/** What a preference run made after a judge check keeps of it, for its dataset card. */
export interface JudgeCheckCitation {
  runId: string;
  name: string;
  pairs: number;
  agreement: number | null;
  interval: [number, number] | null;
  kappa: number | null;
  singleOrderAgreement: number | null;
  positionConsistency: number | null;
  ece: number | null;
  brier: number | null;
  suggestedMargin: number | null;
}

/** The card's sentence about a check. */
export function citationText(c: JudgeCheckCitation): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const n3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));
  const interval = c.interval ? ` (95% interval ${pct(c.interval[0])}–${pct(c.interval[1])})` : '';
  return (
    `checked against ${c.pairs} human-labelled pairs in "${c.name}": agreement ${pct(c.agreement)}${interval}, Cohen's κ ${n3(c.kappa)}; ` +
    `first order only ${pct(c.singleOrderAgreement)}; position consistency ${pct(c.positionConsistency)}; ECE ${n3(c.ece)}, Brier ${n3(c.brier)}` +
    (c.suggestedMargin === null ? '' : `; suggested tie margin ${c.suggestedMargin}`)
  );
}
