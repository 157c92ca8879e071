/** Checks stored CLAIR specs and records: the fields the app relies on are checked, the rest kept as stored. */
import type { Reader } from '../../schema/validate';
import { readConstitutionRunSpec, readPromptRecord } from '../constitution-run';
import type { SharedReaders } from '../recipe';
import type { ClairRecord, ClairSpec } from './types';

export function readClairSpec(s: Reader, read: SharedReaders): ClairSpec {
  const spec = readConstitutionRunSpec<ClairSpec>(s, read);
  s.num('minDistance');
  s.num('maxDistance');
  return spec;
}

export function readClairRecord(r: Reader, read: SharedReaders): ClairRecord {
  r.num('distance');
  return readPromptRecord<ClairRecord>(r, read, ['answer', 'revision']);
}
