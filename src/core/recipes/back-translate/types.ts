/** Spec and record of the back-translation recipe: paraphrases through pivot languages. */
import type { FinishReason, ModelRef, PromptItem, Review, SamplingParams, Usage } from '../../types';
import type { SimilarityFilter } from '../augment/types';

export interface BackTranslateSpec {
  recipe: 'back-translate';
  model: ModelRef;
  sampling: SamplingParams;
  seed: number;
  /** Language the prompts are written in, e.g. "English". */
  sourceLanguage: string;
  /** Languages to translate through, e.g. ["French", "German"]. */
  pivots: string[];
  prompts: PromptItem[];
  promptSetId: string;
  promptSetName: string;
  similarity: SimilarityFilter & {
    /** Below `low` the paraphrase drifted; at or above `high` it is (nearly) identical. */
    low: number;
    high: number;
  };
}

export type BackTranslateDropReason = 'identical' | 'drifted' | 'empty' | 'cut-off' | 'duplicate';

export interface BackTranslation {
  pivot: string;
  pivotText: string;
  backText: string;
  similarity: number;
  kept: boolean;
  reason?: BackTranslateDropReason;
  pivotFinish: FinishReason;
  /** Absent when the trip ended at the pivot (cut off or empty). */
  backFinish?: FinishReason;
}

export interface BackTranslateRecord {
  schemaVersion: number;
  id: string;
  runId: string;
  recipe: 'back-translate';
  /** Position of the prompt in the spec: the durable-log key. */
  index: number;
  promptId: string;
  prompt: string;
  translations: BackTranslation[];
  usage: Usage;
  review?: Review;
  createdAt: number;
}
