/** Checks stored Magpie specs and records: the fields the app relies on are checked, the rest kept as stored. */
import type { Reader } from '../../schema/validate';
import { SCHEMA_VERSION } from '../../types';
import type { SharedReaders } from '../recipe';
import { TEMPLATE_FAMILIES } from './template';
import type { MagpieRecord, MagpieSpec } from './types';

export function readMagpieSpec(s: Reader, read: SharedReaders): MagpieSpec {
  read.model(s.child('model'));
  s.child('sampling').int('maxTokens');
  s.num('seed');
  s.int('samples');
  const template = s.child('template');
  const kind = template.oneOf('kind', ['model', 'family'] as const);
  if (kind === 'family') template.oneOf('family', TEMPLATE_FAMILIES);
  else template.child('source').oneOf('kind', ['jinja', 'conversation'] as const);
  s.str('systemPrompt');
  if (s.has('stopAtLineBreak')) s.bool('stopAtLineBreak');
  s.child('similarity').num('threshold');
  if (s.obj.reference) read.prompts(s.child('reference'), 'prompts');
  return structuredClone(s.obj) as unknown as MagpieSpec;
}

export function readMagpieRecord(r: Reader): MagpieRecord {
  r.str('id');
  r.str('runId');
  r.int('index');
  r.str('preQuery');
  r.str('raw');
  r.str('prompt');
  r.child('usage').num('ms');
  const record = structuredClone(r.obj) as unknown as MagpieRecord;
  record.schemaVersion = SCHEMA_VERSION;
  return record;
}
