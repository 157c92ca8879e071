/**
 * Data model of the preference recipe (RLAIF: the model as judge). Plain, cloneable data, stored
 * with a `schemaVersion` like every other record. A judgement keeps the raw alternatives the engine
 * returned, so a label can be recomputed later (another tie margin, other token matching).
 */
import type { TopToken } from '../../engine';
import type { JudgeCheckCitation } from '../../formats/card-run';
import type { Constitution, FinishReason, ModelRef, PromptItem, PromptRecordBase, Review, SamplingParams } from '../../types';

/** 'plain': one letter scored straight away. 'cot': the judge reasons first (probabilities clamped). */
export type JudgeMode = 'plain' | 'cot';

export interface JudgeSettings {
  /** The judge model: the candidates' own model, or another one loaded after candidates are made. */
  model: ModelRef;
  /** Principles drawn per comparison (1 up to all enabled ones); their labels are averaged. */
  principlesPerComparison: number;
  mode: JudgeMode;
  /** |P(answer 1 better) − 0.5| below this counts as a tie, and a tie yields no chosen/rejected pair. */
  tieMargin: number;
  /** Score the raw completion form ("… The answer is: (") where the engine can; chat form otherwise. */
  rawPrompt: boolean;
  /** Token budget for the reasoning in chain-of-thought mode. */
  reasoningMaxTokens: number;
}

/** One line of an imported pair file. */
export interface ImportedPair {
  promptId?: string;
  prompt: string;
  answerA: string;
  answerB: string;
}

/** Where the two answers of each comparison come from. */
export type CandidateSource =
  /** Two answers sampled per prompt; the two sampling settings may differ (e.g. temperature). */
  | { kind: 'sampled'; model: ModelRef; sampling: [SamplingParams, SamplingParams] }
  /** Initial answer vs final revision of each record of an earlier critique→revision run. */
  | { kind: 'revision'; runId: string; runName: string }
  /** Pairs from a file, frozen into the spec. */
  | { kind: 'imported'; name: string; pairs: ImportedPair[] };

export interface PreferenceSpec {
  recipe: 'preference';
  source: CandidateSource;
  judge: JudgeSettings;
  seed: number;
  /** Frozen copy: its principles' `comparison` questions are what the judge is asked. */
  constitution: Constitution;
  promptSetId: string;
  promptSetName: string;
  /** One item per comparison, in run order (for revision and imported sources: the pairs' prompts). */
  prompts: PromptItem[];
  /** The judge check run with these judge settings before this run, named on the dataset card. */
  judgeCheck?: JudgeCheckCitation;
}

export type CandidateOrigin = 'sampled' | 'initial' | 'revision' | 'imported';

export interface Candidate {
  text: string;
  origin: CandidateOrigin;
  /** Sampled candidates only: how they were sampled, so a run can be reproduced. */
  temperature?: number;
  seed?: number;
  finishReason?: FinishReason;
}

/** Output of the first phase (candidates), stored durably before the judge phase starts. */
export interface CandidatePair extends PromptRecordBase {
  /** candidates[0] is "answer 1": every soft label is P(answer 1 is the better one). */
  candidates: [Candidate, Candidate];
}

export type Letter = 'A' | 'B';

/** Work one judgement took: the benchmark reads these. */
export interface JudgeCost {
  /** Model forward passes: one per scored or generated token (a prefill counts once). */
  forwardPasses: number;
  /** Tokens the judge generated (reasoning plus any fallback letter). */
  decodeTokens: number;
  promptTokens: number;
  ms: number;
}

/** The judge asked once, with one principle, in one order. */
export interface OrderJudgement {
  /** Which candidate was shown as option (A); the other was (B). */
  candidateShownAsA: 0 | 1;
  form: 'raw' | 'chat';
  method: 'logprobs' | 'constrained';
  /** Next-token probability of "A" and of "B" as returned; null = not among the returned alternatives. */
  letterProbabilities: [number | null, number | null];
  /** The raw top alternatives of the scoring pass. */
  top: TopToken[];
  /** The letter the constrained fallback produced (only when no probability came back). */
  chosen?: Letter;
  /** Chain-of-thought mode: what the judge wrote before answering. */
  reasoning?: string;
  /** P(A) renormalised over the two letters (clamped in CoT mode); null when there was no probability. */
  pA: number | null;
  cost: JudgeCost;
}

/** One principle, asked in both orders. */
export interface PrincipleJudgement {
  principleId: string;
  principleName: string;
  comparison: string;
  /** [answer 1 shown as (A), answer 1 shown as (B)]. */
  orders: [OrderJudgement, OrderJudgement];
  /** P(answer 1 better), the mean over the orders that gave a probability; null if none did. */
  pAnswer1: number | null;
  /** Whether both orders picked the same winner; null when an order had no winner. */
  consistent: boolean | null;
}

export type Verdict = 'answer1' | 'answer2' | 'tie' | 'undecided';

export interface PreferenceLabel {
  /** Soft label: P(answer 1 better), averaged over orders and principles; null when no probability came back. */
  pAnswer1: number | null;
  verdict: Verdict;
  /** 'letters': no probability at all, so the fallback letters were counted (low confidence). */
  basis: 'probabilities' | 'letters' | 'none';
}

export interface PreferenceRecord extends PromptRecordBase {
  recipe: 'preference';
  candidates: [Candidate, Candidate];
  /** The judge's model name and the settings the label was computed with. */
  judgeModel: string;
  mode: JudgeMode;
  tieMargin: number;
  judgements: PrincipleJudgement[];
  label: PreferenceLabel;
  /** Texts of the winner and the loser; null for a tie or an undecided comparison. */
  chosen: string | null;
  rejected: string | null;
  /** Some order gave no probability (fallback letter, or nothing): the label is less trustworthy. */
  lowConfidence: boolean;
  /** Every principle's two orders agreed on the winner (null when that could not be told). */
  positionConsistent: boolean | null;
  /** Imported rows only: their score_chosen / score_rejected as given (a probability or a rating). */
  scores?: { chosen?: number; rejected?: number };
  review?: Review;
}
