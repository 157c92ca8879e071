/** Checks stored RLCD specs and records: the fields the app relies on are checked, the rest kept as stored. */
import type { Reader } from '../../schema/validate';
import { SCHEMA_VERSION } from '../../types';
import type { SharedReaders } from '../recipe';
import type { RlcdRecord, RlcdSpec } from './types';

export function readRlcdSpec(s: Reader, read: SharedReaders): RlcdSpec {
  const spec = structuredClone(s.obj) as unknown as RlcdSpec;
  spec.model = read.model(s.child('model'));
  spec.constitution = read.constitution(s.child('constitution'));
  spec.prompts = read.prompts(s, 'prompts');
  s.child('sampling').int('maxTokens');
  s.num('seed');
  return spec;
}

export function readRlcdRecord(r: Reader, read: SharedReaders): RlcdRecord {
  for (const field of ['id', 'runId', 'promptId', 'prompt', 'principleId', 'principleName', 'positive', 'negative', 'positiveInstruction', 'negativeInstruction']) r.str(field);
  r.int('index');
  r.child('usage').num('ms');
  const record = structuredClone(r.obj) as unknown as RlcdRecord;
  record.schemaVersion = SCHEMA_VERSION;
  if (r.has('review')) record.review = read.review(r.child('review'));
  return record;
}
