/** Data model shared by the worker, the UI and the tests. Everything here is plain, cloneable data. */

import type { PreferenceRecord, PreferenceSpec } from './preference-types';
import type { BackTranslateRecord, BackTranslateSpec, SelfInstructRecord, SelfInstructSpec } from './augment-types';
import type { ImportSpec } from './dataset-types';
import type { ModelRef } from './engines';

/** Bumped whenever a stored shape changes; `storage/restore.ts` migrates older shapes on read. */
export const SCHEMA_VERSION = 1;

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
  enabled: boolean;
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
export type { Backend, ModelRef } from './engines';
export { modelLabel } from './engines';

export interface SamplingParams {
  temperature: number;
  topP: number;
  maxTokens: number;
}

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
}

export type RunSpec = CritiqueRevisionSpec | PreferenceSpec | SelfInstructSpec | BackTranslateSpec | ImportSpec;

export type RunStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface Run {
  schemaVersion: number;
  id: string;
  name: string;
  spec: RunSpec;
  status: RunStatus;
  /** Index of the next prompt to process; records [0, cursor) are durable. */
  cursor: number;
  /** Number of records durably stored. */
  recordCount: number;
  stats: RunStats;
  error?: string;
  createdAt: number;
  updatedAt: number;
}

export interface RunStats {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds spent generating (excludes pauses). */
  generationMs: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

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

export interface CritiqueRecord extends PromptRecordBase {
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

export type RunRecord = CritiqueRecord | PreferenceRecord | SelfInstructRecord | BackTranslateRecord;

export function isCritiqueRecord(record: RunRecord): record is CritiqueRecord {
  return 'rounds' in record;
}

export function isPreferenceRecord(record: RunRecord): record is PreferenceRecord {
  return 'judgements' in record;
}

export function isSelfInstructRecord(record: RunRecord): record is SelfInstructRecord {
  return 'proposed' in record;
}

export function isBackTranslateRecord(record: RunRecord): record is BackTranslateRecord {
  return 'translations' in record;
}

/** The models a run uses, in the order it needs them. */
export function runModels(spec: RunSpec): ModelRef[] {
  if (spec.recipe === 'import') return []; // imported and merged datasets were made elsewhere
  if (spec.recipe !== 'preference') return [spec.model];
  return spec.source.kind === 'sampled' ? [spec.source.model, spec.judge.model] : [spec.judge.model];
}

/** How many records a finished run holds: one per prompt, or one per batch for self-instruct. */
export function runTotal(spec: RunSpec): number {
  if (spec.recipe === 'import') return spec.records;
  return spec.recipe === 'self-instruct' ? spec.steps : spec.prompts.length;
}

/** The text a record starts from, for the live trace ('' where a step has no single prompt). */
export function runItemText(spec: RunSpec, index: number): string {
  if (spec.recipe === 'import') return '';
  return spec.recipe === 'self-instruct' ? `Batch ${index + 1} of ${spec.steps}` : (spec.prompts[index]?.text ?? '');
}
