/** What the two prompt-making recipes (self-instruct, back-translation) share. */
import type { SimilarityMetric } from '../../similarity';

export interface SimilarityFilter {
  metric: SimilarityMetric;
  /** Jaccard n-gram size. */
  n?: number;
}

export type AugmentStep = 'propose' | 'to-pivot' | 'from-pivot';

/** Coarse events while a step runs, like the critique recipe's. */
export type AugmentEvent =
  | { type: 'step'; index: number; step: AugmentStep; pivot?: string }
  | { type: 'token'; index: number; step: AugmentStep; text: string };
