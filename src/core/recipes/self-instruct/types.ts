/** Spec and record of the self-instruct recipe: new prompts proposed from seed prompts. */
import type { FinishReason, ModelRef, PromptItem, Review, SamplingParams, Usage } from '../../types';
import type { SimilarityFilter } from '../augment/types';

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
