/** Spec and record of the RLCD recipe: contrastive pairs made under a positive and a negative instruction. */
import type { OrderJudgement } from '../preference/types';
import type { ConstitutionRunSpec } from '../constitution-run';
import type { FinishReason, PromptRecordBase, Review } from '../../types';

/** Each prompt draws one enabled principle and answers under its two instructions. */
export interface RlcdSpec extends ConstitutionRunSpec {
  recipe: 'rlcd';
  /** When set, the same model judges each pair (both orders) to check the construction label. */
  judge: { rawPrompt: boolean } | null;
}

/** The judge's view of one pair: P(positive answer better), from both orders. */
export interface RlcdJudgement {
  orders: [OrderJudgement, OrderJudgement];
  /** P(positive answer better), mean of the orders that gave a probability; null if none did. */
  pPositive: number | null;
  /** Whether the judge picked the positive answer, as the construction says; null when it could not tell. */
  agrees: boolean | null;
  consistent: boolean | null;
}

export interface RlcdRecord extends PromptRecordBase {
  recipe: 'rlcd';
  principleId: string;
  principleName: string;
  /** The instructions the two answers were made under (system turn). */
  positiveInstruction: string;
  negativeInstruction: string;
  /** Chosen by construction. */
  positive: string;
  positiveFinish: FinishReason;
  /** Rejected by construction. */
  negative: string;
  negativeFinish: FinishReason;
  judge?: RlcdJudgement;
  review?: Review;
  /** Set when this prompt could not be processed (e.g. longer than the model's context): kept, not exported. */
  error?: string;
}
