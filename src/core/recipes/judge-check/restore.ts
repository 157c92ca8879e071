/** Checks stored judge-check specs and records; judgement details are kept as stored (see preference/restore.ts). */
import { Reader } from '../../schema/validate';
import type { SharedReaders } from '../recipe';
import { readPreferenceRecord, readPreferenceSpec } from '../preference/restore';
import type { CheckPair, JudgeCheckRecord, JudgeCheckSpec } from './types';

function readPair(p: Reader): CheckPair {
  const better = p.int('better');
  if (better > 1) p.fail('better', '0 or 1');
  return { prompt: p.str('prompt'), answerA: p.str('answerA'), answerB: p.str('answerB'), better: better as 0 | 1, ...(p.has('promptId') ? { promptId: p.str('promptId') } : {}) };
}

export function readJudgeCheckSpec(s: Reader, read: SharedReaders): JudgeCheckSpec {
  const source = s.child('source');
  const pairs = source.items('pairs').map(readPair);
  // The judge, seed, constitution and prompts read like a preference run's.
  const { source: _source, recipe: _recipe, ...rest } = readPreferenceSpec(new Reader(s.label, { ...s.obj, source: { kind: 'revision', runId: '', runName: '' } }, s.prefix), read);
  return { ...rest, recipe: 'judge-check', source: { name: source.str('name'), pairs } };
}

export function readJudgeCheckRecord(r: Reader, read: SharedReaders): JudgeCheckRecord {
  const better = r.int('humanBetter');
  if (better > 1) r.fail('humanBetter', '0 or 1');
  const { recipe: _recipe, scores: _scores, ...record } = readPreferenceRecord(r, read);
  return { ...record, recipe: 'judge-check', humanBetter: better as 0 | 1 };
}
