/**
 * Checks stored prompt-augmentation specs and records (self-instruct, back-translation). The
 * fields the app relies on are checked; the rest (proposals, translations) is kept as stored.
 */
import type { BackTranslateSpec, SelfInstructSpec } from '../augment-types';
import type { ModelRef, PromptItem, RunRecord } from '../types';
import { SCHEMA_VERSION } from '../types';
import type { Reader } from './validate';

export interface AugmentReaders {
  model(r: Reader): ModelRef;
  prompts(r: Reader, field: string): PromptItem[];
}

function checkCommon(s: Reader, read: AugmentReaders): void {
  read.model(s.child('model'));
  const sampling = s.child('sampling');
  sampling.num('temperature');
  sampling.int('maxTokens');
  s.num('seed');
  s.child('similarity').oneOf('metric', ['rouge-l', 'jaccard'] as const);
}

export function readSelfInstructSpec(s: Reader, read: AugmentReaders): SelfInstructSpec {
  checkCommon(s, read);
  read.prompts(s, 'seeds');
  s.int('steps');
  s.int('perBatch');
  s.child('similarity').num('threshold');
  return structuredClone(s.obj) as unknown as SelfInstructSpec;
}

export function readBackTranslateSpec(s: Reader, read: AugmentReaders): BackTranslateSpec {
  checkCommon(s, read);
  read.prompts(s, 'prompts');
  s.arr('pivots').forEach((p, i) => typeof p === 'string' || s.fail(`pivots[${i}]`, 'a string'));
  s.str('sourceLanguage');
  s.child('similarity').num('low');
  s.child('similarity').num('high');
  return structuredClone(s.obj) as unknown as BackTranslateSpec;
}

/** Self-instruct and back-translation records carry `recipe`; earlier record kinds don't need it. */
export function readAugmentRecord(r: Reader): RunRecord {
  const recipe = r.oneOf('recipe', ['self-instruct', 'back-translate'] as const);
  r.str('id');
  r.str('runId');
  r.int('index');
  r.child('usage').num('ms');
  if (recipe === 'self-instruct') {
    r.items('kept').forEach((k) => k.str('text'));
    r.arr('proposed');
  } else {
    r.str('prompt');
    r.items('translations').forEach((t) => t.str('backText'));
  }
  const record = structuredClone(r.obj) as unknown as RunRecord;
  record.schemaVersion = SCHEMA_VERSION;
  return record;
}
