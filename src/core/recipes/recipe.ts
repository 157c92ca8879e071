/**
 * What a recipe is to the rest of the app. Each recipe folder (core/recipes/<id>/) exports one
 * `Recipe`, and core/recipes/index.ts collects them in a table keyed by id, so the runner, the
 * datasets screen, merges, exports and the card ask the table instead of testing ids or shapes.
 */
import type { CardFormat, CardRun } from '../formats/card-run';
import type { Fields } from '../formats/features';
import type { Reader } from '../schema/validate';
import type { DatasetSource } from './import/types';
import type { ImportedPair } from './preference/types';
import type { Constitution, FinishReason, ModelRef, PromptItem, Review } from '../types';

/** Recipes that make records. */
export type RecipeId = 'critique-revision' | 'preference' | 'self-instruct' | 'back-translate' | 'judge-check' | 'magpie' | 'clair' | 'rlcd';

/** Export formats a recipe may offer rows for; the full trace fits every record. */
export type TrainingFormat = Exclude<CardFormat, 'trace'>;

/** A one-click download of the run list: its button's id and label, and the export format it writes. */
export interface RunDownload {
  id: string;
  label: string;
  format: CardFormat;
  /** Rows come only from records with a chosen/rejected pair (facts' `paired`): none, and the file would be empty. */
  needsPairs?: boolean;
}

/** Readers of parts every spec and record shares; core/schema/restore.ts provides them. */
export interface SharedReaders {
  model(r: Reader): ModelRef;
  constitution(r: Reader): Constitution;
  /** `v0`: plain strings are read as prompts (the shape before schema versions). */
  prompts(r: Reader, field: string, v0?: boolean): PromptItem[];
  review(r: Reader): Review;
}

/** What a run of some kind is: how its spec reads back, what it uses, and how it is described. */
export interface RunKind<S> {
  /** Shown in the datasets list, e.g. "Critique → revision". */
  label(spec: S): string;
  /** The models the run uses, in the order it needs them. */
  models(spec: S): ModelRef[];
  /** How many records a finished run holds. */
  total(spec: S): number;
  /** The text a record starts from, for the live trace ('' where a step has no single prompt). */
  itemText(spec: S, index: number): string;
  /** The constitution's name, where the run has one. */
  constitutionName(spec: S): string | undefined;
  /** The spec without its bulky parts (prompts, constitution text), for the full-trace rows. */
  settings(spec: S): Record<string, unknown>;
  /** What the dataset card says of the run. */
  cardRun(name: string, spec: S): CardRun;
  /** Datasets made elsewhere: the runs their records came from, as the file or the merge said. */
  sourcesOf?(spec: S): DatasetSource[];
  /**
   * Full-trace rows: the run a record says it came from, where that is not this run (an imported
   * trace names the run that made it); absent or null means this run.
   */
  traceRun?(spec: S): { id: string; about: Record<string, unknown> } | null;
  /** Checks a stored spec; `v0` is true for data written before schema versions. */
  readSpec(s: Reader, read: SharedReaders, v0: boolean): S;
}

/** The facts the datasets screen keeps of each record (see core/datasets/summary.ts). */
export interface RecordFacts {
  /** The prompt (or the batch) the record is about. */
  title: string;
  /** Principles used, in order: critique rounds, or those the judge was asked. */
  principles: string[];
  /** P(answer 1 better) of a judged pair; null without one. */
  pAnswer1: number | null;
  consistent: boolean | null;
  /** The comparison produced a chosen/rejected pair. */
  paired: boolean;
  /** Generation failed (e.g. the prompt did not fit): kept, never exported. */
  failed: boolean;
  /** Critique: the revisions left the initial answer as it was. */
  unchanged: boolean;
  /** Words before and after (critique: initial answer and exported answer); -1 when not known. */
  lengthBefore: number;
  lengthAfter: number;
}

/** A recipe that makes records of type R from runs of spec S. */
export interface Recipe<S, R> extends RunKind<S> {
  readonly id: RecipeId;
  /** Checks a stored record; `indexHint` is its position in the log, for v0 records without `index`. */
  readRecord(r: Reader, read: SharedReaders, v0: boolean, indexHint?: number): R;
  /** The trace row's column types, for the full-trace export (formats/features.ts). */
  recordFeatures: Fields;
  /**
   * The record as a trace row, where its stored shape would not load in `datasets` (absent: as
   * stored), and back again on a re-import (which must also take rows written as stored).
   */
  trace?: { out(record: R): Record<string, unknown>; in(row: Record<string, unknown>): Record<string, unknown> };
  facts(record: R): RecordFacts;
  /** Principles used, with ids, for the usage plot. */
  principleUses(record: R): { id: string; name: string }[];
  /** How each generation of the record ended (undefined where unknown). */
  finishes(record: R): (FinishReason | undefined)[];
  /** The texts a search looks in. */
  texts(record: R): string[];
  /** The texts that make two records the same (deduplication). */
  parts(record: R): string[];
  /** The model's own text an edit replaces; null when a reviewer may only accept or reject. */
  editableText(record: R): string | null;
  /** The text an export would carry now (the edit, if any); null when there is none. */
  currentText(record: R): string | null;
  /** The review a reviewer's action produces. */
  review(record: R, state: Review['state'], editedText?: string): Review;
  /** Recipes that make prompts: the prompts a finished run made, each saying where it came from. */
  madePrompts?: {
    /** How a prompt set's name calls the recipe, e.g. "self-instruct". */
    noun: string;
    /** Whether the run's original prompts can be saved along with what it made. */
    hasOriginals: boolean;
    /** Why a saved prompt set would be empty. */
    emptyReason: string;
    collect(records: readonly R[], from: string, includeOriginals: boolean): PromptItem[];
  };
  /**
   * A record reads the records before it (e.g. to avoid repeating them), so records are made one
   * at a time even on an engine that could take several at once.
   */
  sequential?: true;
  /** The two answers of a record, for the preference recipe to judge afresh; absent where there are none. */
  answerPair?(record: R): ImportedPair;
  /** One-click downloads in the run list (the full trace is always offered too). */
  quickDownloads?: readonly RunDownload[];
  /** Rows this recipe's records give in each training format, for a batch in record order. */
  rows: Partial<Record<TrainingFormat, (records: readonly R[]) => Iterable<unknown>>>;
}

/** The facts of a record with no answers to compare or count (the prompt-making recipes). */
export function promptMakingFacts(title: string): RecordFacts {
  return { title, principles: [], pAnswer1: null, consistent: null, paired: false, failed: false, unchanged: false, lengthBefore: -1, lengthAfter: -1 };
}

/** Recipes that make one record per prompt of their spec. */
export const onePerPrompt = {
  total: (spec: { prompts: readonly PromptItem[] }) => spec.prompts.length,
  itemText: (spec: { prompts: readonly PromptItem[] }, index: number) => spec.prompts[index]?.text ?? '',
};

/** What the prompt-making recipes share: no principles, nothing to edit, no training rows. */
export const promptMaking = {
  constitutionName: () => undefined,
  principleUses: () => [],
  editableText: () => null,
  currentText: () => null,
  review: (_record: unknown, state: Review['state']): Review => {
    if (state === 'edited') throw new Error('this record has no answer to edit');
    return { state };
  },
  rows: {},
};
