/** Data model shared by the worker, the UI and the tests. Everything here is plain, cloneable data. */


/** Bumped whenever a stored shape changes; `core/schema/restore.ts` migrates older shapes on read. */
export const SCHEMA_VERSION = 2;

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface Principle {
  id: string;
  name: string;
  /** Asks the model to point out where its answer falls short of this principle. */
  critique: string;
  /** Asks the model to rewrite its answer so it follows this principle. */
  revision: string;
  /** Judge question comparing two answers under this principle (preference recipe). */
  comparison: string;
  /** Contrastive pairs (RLCD): the instructions to answer with and without regard for this principle. */
  contrast?: PrincipleContrast;
  enabled: boolean;
}

export interface PrincipleContrast {
  positive: string;
  negative: string;
}

/** An example conversation (user prompt, answer, critique request, critique, revision request, revision). */
export interface FewShotExample {
  id: string;
  messages: ChatMessage[];
}

export interface Constitution {
  schemaVersion: number;
  id: string;
  name: string;
  description: string;
  principles: Principle[];
  fewShot: FewShotExample[];
  builtin?: boolean;
  updatedAt: number;
}

/** A prompt set without its prompts, and how many it holds: what the page keeps of every set. */
export type PromptSetHead = Omit<PromptSet, 'prompts'> & { count: number };

export interface PromptItem {
  id: string;
  text: string;
  tags?: string[];
  source?: string;
}

export interface PromptSet {
  schemaVersion: number;
  id: string;
  name: string;
  prompts: PromptItem[];
  builtin?: boolean;
  updatedAt: number;
}

// Model references are defined per engine in core/engines; re-exported here with the rest of the data model.
import type { ModelRef as EngineModelRef } from './engines';
export type { Backend, ModelRef } from './engines';
export { modelLabel } from './engines';

/** The same model reference (field by field, as stored). */
export function sameModel(a: EngineModelRef | null, b: EngineModelRef | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface SamplingParams {
  temperature: number;
  topP: number;
  maxTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

export interface Review {
  state: 'accepted' | 'rejected' | 'edited';
  editedText?: string;
}

/** What every record made from one prompt of a run carries. */
export interface PromptRecordBase {
  schemaVersion: number;
  id: string;
  runId: string;
  /** Position of the prompt in the run's spec: the durable-log key. */
  index: number;
  promptId: string;
  prompt: string;
  /** Tokens and time of every engine call that made this record (for preference: candidates and judge). */
  usage: Usage;
  createdAt: number;
}


