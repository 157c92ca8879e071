/** Checks stored CLAIR specs and records: the fields the app relies on are checked, the rest kept as stored. */
import type { Reader } from '../../schema/validate';
import { SCHEMA_VERSION } from '../../types';
import type { SharedReaders } from '../recipe';
import type { ClairRecord, ClairSpec } from './types';

export function readClairSpec(s: Reader, read: SharedReaders): ClairSpec {
  const spec = structuredClone(s.obj) as unknown as ClairSpec;
  spec.model = read.model(s.child('model'));
  spec.constitution = read.constitution(s.child('constitution'));
  spec.prompts = read.prompts(s, 'prompts');
  s.child('sampling').int('maxTokens');
  s.num('seed');
  s.num('minDistance');
  s.num('maxDistance');
  return spec;
}

export function readClairRecord(r: Reader, read: SharedReaders): ClairRecord {
  for (const field of ['id', 'runId', 'promptId', 'prompt', 'principleId', 'principleName', 'answer', 'revision']) r.str(field);
  r.int('index');
  r.num('distance');
  r.child('usage').num('ms');
  const record = structuredClone(r.obj) as unknown as ClairRecord;
  record.schemaVersion = SCHEMA_VERSION;
  if (r.has('review')) record.review = read.review(r.child('review'));
  return record;
}
