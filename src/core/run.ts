/** A run and its records: the unions over every recipe (core/recipes/index.ts holds the recipes). */
import type { CritiqueRecord, CritiqueRevisionSpec } from './recipes/critique-revision/types';
import type { PreferenceRecord, PreferenceSpec } from './recipes/preference/types';
import type { BackTranslateRecord, BackTranslateSpec } from './recipes/back-translate/types';
import type { SelfInstructRecord, SelfInstructSpec } from './recipes/self-instruct/types';
import type { ImportSpec } from './recipes/import/types';
import type { CardSettings } from './formats/card-settings';
import type { MagpieRecord, MagpieSpec } from './recipes/magpie/types';
import type { ClairRecord, ClairSpec } from './recipes/clair/types';
import type { RlcdRecord, RlcdSpec } from './recipes/rlcd/types';
import type { JudgeCheckRecord, JudgeCheckSpec } from './recipes/judge-check/types';

export type RunSpec = CritiqueRevisionSpec | PreferenceSpec | SelfInstructSpec | BackTranslateSpec | MagpieSpec | ClairSpec | RlcdSpec | JudgeCheckSpec | ImportSpec;

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
  /** Records kept but not processed (e.g. the prompt did not fit the model's context); absent = 0. */
  failedCount?: number;
  /** Records with a chosen/rejected pair (absent on runs stored before it was counted). */
  pairedCount?: number;
  error?: string;
  /** License, languages and sources the user chose for this dataset's card; absent until chosen. */
  card?: CardSettings;
  createdAt: number;
  updatedAt: number;
}

export interface RunStats {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds spent generating (excludes pauses). */
  generationMs: number;
}

export type RunRecord = CritiqueRecord | PreferenceRecord | SelfInstructRecord | BackTranslateRecord | MagpieRecord | ClairRecord | RlcdRecord | JudgeCheckRecord;
