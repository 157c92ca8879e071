/** Spec and record of the critique → revision recipe (Constitutional AI, supervised stage). */
import type { Constitution, FinishReason, ModelRef, PromptItem, PromptRecordBase, Review, SamplingParams } from '../../types';
import type { ContextFitRecord } from './context-fit';

export interface CritiqueRevisionSpec {
  recipe: 'critique-revision';
  model: ModelRef;
  sampling: SamplingParams;
  seed: number;
  rounds: number;
  /** Frozen copy: later edits of the constitution never change what a run says it used. */
  constitution: Constitution;
  promptSetId: string;
  promptSetName: string;
  prompts: PromptItem[];
  /** The context check made before Start: few-shot examples asked for and used (trimmed to fit). */
  contextFit?: ContextFitRecord;
}

export interface CritiqueRound {
  principleId: string;
  principleName: string;
  critiqueRequest: string;
  critique: string;
  revisionRequest: string;
  revision: string;
  critiqueFinish: FinishReason;
  revisionFinish: FinishReason;
}

export interface CritiqueRecord extends PromptRecordBase {
  recipe: 'critique-revision';
  initial: string;
  initialFinish: FinishReason;
  rounds: CritiqueRound[];
  final: string;
  review?: Review;
  /** 'import': made from a row of an imported dataset, not generated here. */
  source?: 'import';
  /** Set when this prompt could not be processed (e.g. longer than the model's context): kept, not exported. */
  error?: string;
}
