/** What a dataset card says of a run and its files; each recipe builds a CardRun (core/recipes). */
import type { ModelRef, SamplingParams } from '../types';
import type { ExportFormatId } from './table';

/** What the card needs to know about the run, for any recipe; each recipe's `cardRun` builds it (core/recipes). */
export interface CardRun {
  name: string;
  recipe: string;
  /** Each model with what it did, e.g. "answers and revisions", "judge". */
  models: readonly { role: string; model: ModelRef }[];
  sampling: readonly SamplingParams[];
  /** Absent for imported and merged datasets, whose generation settings are not known here. */
  seed?: number;
  /** Imported or merged datasets: where the records came from, in a sentence. */
  origin?: string;
  /** Critique→revision: rounds per prompt. */
  rounds?: number;
  /** Preference: where the two answers came from, and how the judge was run. */
  candidates?: string;
  judge?: { mode: string; principlesPerComparison: number; tieMargin: number };
  constitution?: { name: string; principles?: readonly { name: string; enabled?: boolean }[] };
  promptSet?: { name: string; size?: number };
}

export type CardFormat = ExportFormatId;
