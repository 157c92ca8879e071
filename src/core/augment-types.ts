/**
 * Specs and records of the two prompt-making recipes (self-instruct, back-translation). Plain,
 * cloneable data like core/types.ts; kept apart until the run/record unions there take them in.
 */
import type { FinishReason, ModelRef, PromptItem, Review, SamplingParams, Usage } from './types';
import type { SimilarityMetric } from './similarity';

export interface SimilarityFilter {
  metric: SimilarityMetric;
  /** Jaccard n-gram size. */
  n?: number;
}

export interface SelfInstructSpec {
  recipe: 'self-instruct';
  model: ModelRef;
  sampling: SamplingParams;
  seed: number;
  /** Human-written examples the model is shown. */
  seeds: PromptItem[];
  /** Optional subjects; each batch draws one. */
  topics: string[];
  /** Optional free text: what the prompt set is for. */
  description: string;
  /** Number of batches (one step, one record each). */
  steps: number;
  /** How many new prompts to ask for per batch. */
  perBatch: number;
  /** How many seeds to show per batch. */
  seedsShown: number;
  /** How many earlier accepted prompts to show alongside the seeds (variety, as self-instruct does). */
  generatedShown: number;
  similarity: SimilarityFilter & {
    /** A proposal at least this similar to a seed, an accepted prompt or one kept earlier is dropped. */
    threshold: number;
  };
  /** Proposals outside [minChars, maxChars] are dropped. */
  minChars: number;
  maxChars: number;
}

export type SelfInstructDropReason = 'similar' | 'too-short' | 'too-long' | 'cut-off';

export interface KeptPrompt {
  id: string;
  text: string;
  /** Highest similarity to anything it was compared with (0 when there was nothing). */
  similarity: number;
  nearest?: string;
}

export interface DroppedPrompt {
  text: string;
  reason: SelfInstructDropReason;
  similarity?: number;
  nearest?: string;
}

export interface SelfInstructRecord {
  schemaVersion: number;
  id: string;
  runId: string;
  recipe: 'self-instruct';
  /** The step (batch) number: the durable-log key. */
  index: number;
  /** Provenance: which seeds (ids) and earlier generated prompts (texts) were shown, and the topic. */
  shownSeedIds: string[];
  shownGenerated: string[];
  topic?: string;
  /** The model's raw reply and how it ended. */
  raw: string;
  finish: FinishReason;
  proposed: string[];
  kept: KeptPrompt[];
  dropped: DroppedPrompt[];
  usage: Usage;
  review?: Review;
  createdAt: number;
}

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

export type AugmentStep = 'propose' | 'to-pivot' | 'from-pivot';

/** Coarse events while a step runs, like the critique recipe's. */
export type AugmentEvent =
  | { type: 'step'; index: number; step: AugmentStep; pivot?: string }
  | { type: 'token'; index: number; step: AugmentStep; text: string };
