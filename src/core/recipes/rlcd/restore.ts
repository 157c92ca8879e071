/** Checks stored RLCD specs and records: the fields the app relies on are checked, the rest kept as stored. */
import type { Reader } from '../../schema/validate';
import { readConstitutionRunSpec, readPromptRecord } from '../constitution-run';
import type { SharedReaders } from '../recipe';
import type { RlcdRecord, RlcdSpec } from './types';

export function readRlcdSpec(s: Reader, read: SharedReaders): RlcdSpec {
  return readConstitutionRunSpec<RlcdSpec>(s, read);
}

export function readRlcdRecord(r: Reader, read: SharedReaders): RlcdRecord {
  return readPromptRecord<RlcdRecord>(r, read, ['positive', 'negative', 'positiveInstruction', 'negativeInstruction']);
}
