/**
 * Checks stored prompt-augmentation specs and records (self-instruct, back-translation). The
 * fields the app relies on are checked; the rest (proposals, translations) is kept as stored.
 */
import type { BackTranslateRecord, BackTranslateSpec } from '../back-translate/types';
import type { SelfInstructRecord, SelfInstructSpec } from '../self-instruct/types';
import type { ModelRef, PromptItem } from '../../types';
import { SCHEMA_VERSION } from '../../types';
import type { Reader } from '../../schema/validate';

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

function checkRecordBase(r: Reader): void {
  r.str('id');
  r.str('runId');
  r.int('index');
  r.child('usage').num('ms');
}

/** The stored record as it is, once the fields the app relies on are checked. */
function checked<T extends { schemaVersion: number }>(r: Reader): T {
  const record = structuredClone(r.obj) as unknown as T;
  record.schemaVersion = SCHEMA_VERSION;
  return record;
}

export function readSelfInstructRecord(r: Reader): SelfInstructRecord {
  checkRecordBase(r);
  r.items('kept').forEach((k) => k.str('text'));
  r.arr('proposed');
  return checked<SelfInstructRecord>(r);
}

export function readBackTranslateRecord(r: Reader): BackTranslateRecord {
  checkRecordBase(r);
  r.str('prompt');
  r.items('translations').forEach((t) => t.str('backText'));
  return checked<BackTranslateRecord>(r);
}
