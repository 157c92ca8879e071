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
 * v1 values must be complete: a missing required field is an error, not silently defaulted.
 */
import {
  SCHEMA_VERSION,
  type Constitution,
  type CritiqueRecord,
  type CritiqueRound,
  type FewShotExample,
  type FinishReason,
  type ModelRef,
  type Principle,
  type PromptItem,
  type PromptSet,
  type Review,
  type Run,
  type RunRecord,
  type RunSpec,
  type RunStatus,
} from '../types';
import { Reader, readerFor } from './validate';
import { readModelRef } from '../engines';
import { readPreferenceRecord, readPreferenceSpec, type SharedReaders } from './restore-preference';
import { readAugmentRecord, readBackTranslateSpec, readSelfInstructSpec } from './restore-augment';
import { readImportSpec } from './restore-import';

const RECIPES = ['critique-revision', 'preference', 'self-instruct', 'back-translate', 'import'] as const;

const FINISH: readonly FinishReason[] = ['stop', 'length', 'abort'];
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
  return {
    id: r.str('id'),
    name: r.str('name'),
    critique: r.str('critique'),
    revision: r.str('revision'),
    comparison: r.str('comparison', v0 ? '' : undefined),
    enabled: r.bool('enabled', v0 ? true : undefined),
  };
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
  prompts: (r, field) => readPrompts(r, field, false),
  review: (r) => readReview(r),
};

function readSpec(r: Reader, v0: boolean): RunSpec {
  const s = r.child('spec');
  const recipe = s.oneOf('recipe', RECIPES, v0 ? 'critique-revision' : undefined);
  if (recipe === 'preference') return readPreferenceSpec(s, shared);
  if (recipe === 'self-instruct') return readSelfInstructSpec(s, shared);
  if (recipe === 'back-translate') return readBackTranslateSpec(s, shared);
  if (recipe === 'import') return readImportSpec(s);
  const sampling = s.child('sampling');
  return {
    recipe,
    model: readModel(s.child('model')),
    sampling: {
      temperature: sampling.num('temperature'),
      topP: sampling.num('topP'),
      maxTokens: sampling.int('maxTokens'),
    },
    seed: s.num('seed'),
    rounds: s.int('rounds'),
    constitution: readConstitution(s.child('constitution')),
    promptSetId: s.str('promptSetId'),
    promptSetName: s.str('promptSetName'),
    prompts: readPrompts(s, 'prompts', v0),
  };
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
  return run;
}

function readRound(r: Reader, v0: boolean): CritiqueRound {
  const finish = v0 ? 'stop' : undefined;
  return {
    principleId: r.str('principleId'),
    principleName: r.str('principleName'),
    critiqueRequest: r.str('critiqueRequest'),
    critique: r.str('critique'),
    revisionRequest: r.str('revisionRequest'),
    revision: r.str('revision'),
    critiqueFinish: r.oneOf('critiqueFinish', FINISH, finish),
    revisionFinish: r.oneOf('revisionFinish', FINISH, finish),
  };
}

function readReview(r: Reader): Review {
  const review: Review = { state: r.oneOf('state', ['accepted', 'rejected', 'edited'] as const) };
  const edited = r.optStr('editedText');
  if (edited !== undefined) review.editedText = edited;
  return review;
}

/** `indexHint` is the record's position in the log, used only for v0 records that lack `index`. */
export function restoreRecord(raw: unknown, indexHint?: number): RunRecord {
  const r = readerFor('record', raw);
  const v0 = versionOf(r) === 0;
  if (r.has('judgements')) return readPreferenceRecord(r, shared);
  if (r.has('recipe')) return readAugmentRecord(r);
  const usage = r.child('usage', v0 ? { promptTokens: 0, completionTokens: 0, ms: 0 } : undefined);
  const rec: CritiqueRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: r.str('id'),
    runId: r.str('runId'),
    index: r.int('index', v0 ? indexHint : undefined),
    promptId: r.str('promptId'),
    prompt: r.str('prompt'),
    initial: r.str('initial'),
    initialFinish: r.oneOf('initialFinish', FINISH, v0 ? 'stop' : undefined),
    rounds: r.items('rounds').map((x) => readRound(x, v0)),
    final: r.str('final'),
    usage: { promptTokens: usage.num('promptTokens'), completionTokens: usage.num('completionTokens'), ms: usage.num('ms') },
    createdAt: r.num('createdAt'),
  };
  if (r.has('review')) rec.review = readReview(r.child('review'));
  if (r.has('source')) rec.source = r.oneOf('source', ['import'] as const);
  const error = r.optStr('error');
  if (error !== undefined) rec.error = error;
  return rec;
}
