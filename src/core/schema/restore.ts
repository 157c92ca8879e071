/**
 * Checks and migrates values read from IndexedDB into the current shapes of core/types.ts.
 *
 * Schema v0 is the shape written before `schemaVersion` existed (missing or 0). Compared to v1:
 * - principles lacked `enabled` (→ true) and `comparison` (→ ''); constitutions could lack
 *   `description` (→ '') and `fewShot` (→ []);
 * - prompt sets could store prompts as plain strings (→ { id: `p<i>`, text });
 * - runs lacked `stats` (→ zeros), `recordCount` (→ cursor) and `spec.recipe` (→ critique-revision);
 * - records lacked `index` (→ their position in the dense log, passed as `indexHint`),
 *   `usage` (→ zeros) and the finish reasons (→ 'stop').
 * Schema v1 records did not carry `recipe` (→ told from their fields, see `legacyRecipe`).
 * Principles of any version may lack `contrast` (it came later): RLCD then writes the pair from the principle's name.
 * v1 and later values must be complete: a missing required field is an error, not silently defaulted.
 */
import { RECIPE_IDS, RUN_KINDS, recipeById, runKindById } from '../recipes/index';
import type { RecipeId, SharedReaders } from '../recipes/recipe';
import type { Run, RunRecord, RunSpec, RunStatus } from '../run';
import { SCHEMA_VERSION, type Constitution, type FewShotExample, type ModelRef, type Principle, type PromptItem, type PromptSet, type Review } from '../types';
import { Reader, readerFor } from './validate';
import { readModelRef } from '../engines';
import type { CardSettings } from '../formats/card-settings';

const STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'];
const ROLES = ['system', 'user', 'assistant'] as const;

/** 0 for pre-versioning data; refuses data from a newer app rather than guessing at it. */
function versionOf(r: Reader): number {
  const v = r.int('schemaVersion', 0);
  if (v > SCHEMA_VERSION) {
    throw new Error(`${r.label}: written by a newer version of the app (schema ${v}); please update`);
  }
  return v;
}

function readPrinciple(r: Reader, v0: boolean): Principle {
  const principle: Principle = {
    id: r.str('id'),
    name: r.str('name'),
    critique: r.str('critique'),
    revision: r.str('revision'),
    comparison: r.str('comparison', v0 ? '' : undefined),
    enabled: r.bool('enabled', v0 ? true : undefined),
  };
  // Principles stored before contrast pairs existed have none: they are read as they are, and
  // contrastOf (recipes/rlcd/contrast.ts) writes the pair from the principle's current name when used.
  if (r.has('contrast')) {
    const contrast = r.child('contrast');
    principle.contrast = { positive: contrast.str('positive'), negative: contrast.str('negative') };
  }
  return principle;
}

function readFewShot(r: Reader): FewShotExample {
  const messages = r.items('messages').map((m) => ({ role: m.oneOf('role', ROLES), content: m.str('content') }));
  return { id: r.str('id'), messages };
}

function readConstitution(r: Reader): Constitution {
  const v0 = versionOf(r) === 0;
  const c: Constitution = {
    schemaVersion: SCHEMA_VERSION,
    id: r.str('id'),
    name: r.str('name'),
    description: r.str('description', v0 ? '' : undefined),
    principles: r.items('principles').map((p) => readPrinciple(p, v0)),
    fewShot: r.items('fewShot', v0 ? [] : undefined).map(readFewShot),
    updatedAt: r.num('updatedAt', 0),
  };
  if (r.has('builtin')) c.builtin = r.bool('builtin');
  return c;
}

function readPromptItem(p: Reader): PromptItem {
  const item: PromptItem = { id: p.str('id'), text: p.str('text') };
  if (p.has('tags')) {
    item.tags = p.arr('tags').map((t, j) => (typeof t === 'string' ? t : p.fail(`tags[${j}]`, 'a string')));
  }
  const source = p.optStr('source');
  if (source !== undefined) item.source = source;
  return item;
}

function readPrompts(r: Reader, field: string, v0: boolean): PromptItem[] {
  return r.arr(field).map((raw, i) =>
    v0 && typeof raw === 'string' ? { id: `p${i}`, text: raw } : readPromptItem(r.element(field, i, raw)),
  );
}

export function restoreConstitution(raw: unknown): Constitution {
  return readConstitution(readerFor('constitution', raw));
}

export function restorePromptSet(raw: unknown): PromptSet {
  const r = readerFor('prompt set', raw);
  const v0 = versionOf(r) === 0;
  const p: PromptSet = {
    schemaVersion: SCHEMA_VERSION,
    id: r.str('id'),
    name: r.str('name'),
    prompts: readPrompts(r, 'prompts', v0),
    updatedAt: r.num('updatedAt', 0),
  };
  if (r.has('builtin')) p.builtin = r.bool('builtin');
  return p;
}

/** Each engine reads its own kind of reference (core/engines), so a new engine can't be missed here. */
function readModel(m: Reader): ModelRef {
  return readModelRef(m);
}

const shared: SharedReaders = {
  model: readModel,
  constitution: readConstitution,
  prompts: (r, field, v0 = false) => readPrompts(r, field, v0),
  review: (r) => readReview(r),
};

function readSpec(r: Reader, v0: boolean): RunSpec {
  const s = r.child('spec');
  const recipe = s.oneOf('recipe', RUN_KINDS, v0 ? 'critique-revision' : undefined);
  return runKindById(recipe).readSpec(s, shared, v0);
}

/** The `spec` field of an object (a spec file for the command line); errors name `spec.…` fields. */
export function restoreRunSpec(r: Reader): RunSpec {
  return readSpec(r, false);
}

export function restoreRun(raw: unknown): Run {
  const r = readerFor('run', raw);
  const v0 = versionOf(r) === 0;
  const zero = { promptTokens: 0, completionTokens: 0, generationMs: 0 };
  const stats = r.child('stats', v0 ? zero : undefined);
  const cursor = r.int('cursor');
  const run: Run = {
    schemaVersion: SCHEMA_VERSION,
    id: r.str('id'),
    name: r.str('name'),
    spec: readSpec(r, v0),
    status: r.oneOf('status', STATUSES),
    cursor,
    recordCount: r.int('recordCount', v0 ? cursor : undefined),
    stats: {
      promptTokens: stats.num('promptTokens'),
      completionTokens: stats.num('completionTokens'),
      generationMs: stats.num('generationMs'),
    },
    createdAt: r.num('createdAt'),
    updatedAt: r.num('updatedAt', v0 ? r.num('createdAt') : undefined),
  };
  const error = r.optStr('error');
  if (error !== undefined) run.error = error;
  if (r.has('failedCount')) run.failedCount = r.int('failedCount');
  if (r.has('pairedCount')) run.pairedCount = r.int('pairedCount');
  if (r.has('card')) run.card = readCardSettings(r.child('card'));
  return run;
}

/** A dataset's card choices; runs stored before they existed have none (the card then uses defaults). */
function readCardSettings(c: Reader): CardSettings {
  const strings = (field: string) => c.arr(field, []).map((v, i) => (typeof v === 'string' ? v : c.fail(`${field}[${i}]`, 'a string')));
  const settings: CardSettings = { license: c.str('license'), languages: strings('languages'), sourceDatasets: strings('sourceDatasets') };
  const name = c.optStr('licenseName');
  if (name !== undefined) settings.licenseName = name;
  return settings;
}

function readReview(r: Reader): Review {
  const review: Review = { state: r.oneOf('state', ['accepted', 'rejected', 'edited'] as const) };
  const edited = r.optStr('editedText');
  if (edited !== undefined) review.editedText = edited;
  return review;
}

/**
 * Records written before schema 2 did not say which recipe made them; their fields tell, and this
 * is the one place that reads a record's shape to find out.
 */
function legacyRecipe(r: Reader): RecipeId {
  if (r.has('judgements')) return 'preference';
  if (r.has('recipe')) return r.oneOf('recipe', ['self-instruct', 'back-translate'] as const);
  return 'critique-revision';
}

/** `indexHint` is the record's position in the log, used only for v0 records that lack `index`. */
export function restoreRecord(raw: unknown, indexHint?: number): RunRecord {
  const r = readerFor('record', raw);
  const version = versionOf(r);
  const recipe = version < 2 ? legacyRecipe(r) : r.oneOf('recipe', RECIPE_IDS);
  const record = recipeById(recipe).readRecord(r, shared, version === 0, indexHint);
  record.recipe = recipe;
  return record;
}
