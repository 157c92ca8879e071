/** Spec and record of the Magpie recipe: user prompts written by the model from its own template's opening. */
import type { ChatTemplateSource } from '../../engine';
import type { FinishReason, ModelRef, PromptItem, Review, SamplingParams, Usage } from '../../types';
import type { SimilarityFilter } from '../augment/types';

/** Chat-template families a user can pick when the model carries no template of its own. */
export type TemplateFamily = 'chatml' | 'llama3' | 'gemma' | 'phi' | 'mistral';

/** Where the pre-query text comes from: the model's own template, or a family the user picked. */
export type TemplateChoice = { kind: 'model'; source: ChatTemplateSource } | { kind: 'family'; family: TemplateFamily };

export interface MagpieSpec {
  recipe: 'magpie';
  model: ModelRef;
  /** Sampling of the user turns. */
  sampling: SamplingParams;
  seed: number;
  /** How many user turns to sample (one record each). */
  samples: number;
  /** Frozen: the template the run was started with. */
  template: TemplateChoice;
  /** Optional steering, put in the system turn: a fixed text, and a topic and a persona drawn per sample. */
  systemPrompt: string;
  topics: string[];
  personas: string[];
  /** Also end a turn at its first line break: for models that do not end their turns (base models). */
  stopAtLineBreak?: boolean;
  /** When set, each kept prompt is answered too (SFT rows). */
  answers: { sampling: SamplingParams } | null;
  similarity: SimilarityFilter & {
    /** A prompt at least this similar to an earlier kept one or to a reference prompt is dropped. */
    threshold: number;
  };
  /** Prompts outside [minChars, maxChars] characters are dropped. */
  minChars: number;
  maxChars: number;
  /** An existing prompt set: kept prompts must not repeat it, and its diversity is shown beside the run's. */
  reference: { setId: string; name: string; prompts: PromptItem[] } | null;
}

export type MagpieDropReason = 'not-clean' | 'answers-itself' | 'too-short' | 'too-long' | 'near-duplicate';

export interface MagpieDrop {
  reason: MagpieDropReason;
  /** What exactly was wrong, in words. */
  detail: string;
  similarity?: number;
  nearest?: string;
}

export interface MagpieRecord {
  schemaVersion: number;
  id: string;
  runId: string;
  recipe: 'magpie';
  /** The sample number: the durable-log key. */
  index: number;
  /** The system text this sample was steered with ('' for none), and what was drawn for it. */
  steering: { system: string; topic?: string; persona?: string };
  /** The text the model continued: its template up to where the user's words begin. */
  preQuery: string;
  /** What the model wrote, as it came, and how it ended. */
  raw: string;
  finish: FinishReason;
  /** The cleaned user prompt ('' when the turn was not clean). */
  prompt: string;
  /** Why the prompt was dropped; absent when it was kept. */
  drop?: MagpieDrop;
  /** The model's answer to a kept prompt, when the run asks for answers. */
  answer?: string;
  answerFinish?: FinishReason;
  usage: Usage;
  review?: Review;
  createdAt: number;
}
