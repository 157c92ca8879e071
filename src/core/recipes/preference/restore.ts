/**
 * Checks stored preference specs and records. Their judgement details (per-order probabilities,
 * top alternatives) are kept as stored once the fields the app relies on are checked: they are
 * evidence for recomputing a label, and dropping unknown parts would lose it.
 */
import type { CandidateSource, JudgeSettings, PreferenceRecord, PreferenceSpec } from './types';
import type { SharedReaders } from '../recipe';
import { SCHEMA_VERSION } from '../../types';
import type { Reader } from '../../schema/validate';
import type { JudgeCheckCitation } from '../../formats/card-run';


function readSource(s: Reader, read: SharedReaders): CandidateSource {
  const kind = s.oneOf('kind', ['sampled', 'revision', 'imported'] as const);
  if (kind === 'revision') return { kind, runId: s.str('runId'), runName: s.str('runName') };
  if (kind === 'imported') {
    const pairs = s.items('pairs').map((p) => ({ prompt: p.str('prompt'), answerA: p.str('answerA'), answerB: p.str('answerB'), ...(p.has('promptId') ? { promptId: p.str('promptId') } : {}) }));
    return { kind, name: s.str('name'), pairs };
  }
  const sampling = s.items('sampling').map((x) => ({ temperature: x.num('temperature'), topP: x.num('topP'), maxTokens: x.int('maxTokens') }));
  if (sampling.length !== 2) s.fail('sampling', 'a list of two sampling settings');
  return { kind, model: read.model(s.child('model')), sampling: [sampling[0], sampling[1]] };
}

function readJudge(j: Reader, read: SharedReaders): JudgeSettings {
  return {
    model: read.model(j.child('model')),
    principlesPerComparison: j.int('principlesPerComparison'),
    mode: j.oneOf('mode', ['plain', 'cot'] as const),
    tieMargin: j.num('tieMargin'),
    rawPrompt: j.bool('rawPrompt'),
    reasoningMaxTokens: j.int('reasoningMaxTokens'),
  };
}

export function readPreferenceSpec(s: Reader, read: SharedReaders): PreferenceSpec {
  return {
    recipe: 'preference',
    source: readSource(s.child('source'), read),
    judge: readJudge(s.child('judge'), read),
    seed: s.num('seed'),
    constitution: read.constitution(s.child('constitution')),
    promptSetId: s.str('promptSetId'),
    promptSetName: s.str('promptSetName'),
    prompts: read.prompts(s, 'prompts'),
    ...(s.has('judgeCheck') ? { judgeCheck: readCitation(s.child('judgeCheck')) } : {}),
  };
}

const numOrNull = (r: Reader, field: string): number | null => (r.has(field) ? r.num(field) : null);

function readCitation(c: Reader): JudgeCheckCitation {
  const interval = c.has('interval') ? c.arr('interval') : null;
  if (interval && (interval.length !== 2 || !interval.every((x) => typeof x === 'number'))) c.fail('interval', 'two numbers');
  return {
    runId: c.str('runId'),
    name: c.str('name'),
    pairs: c.int('pairs'),
    agreement: numOrNull(c, 'agreement'),
    interval: interval as [number, number] | null,
    kappa: numOrNull(c, 'kappa'),
    singleOrderAgreement: numOrNull(c, 'singleOrderAgreement'),
    positionConsistency: numOrNull(c, 'positionConsistency'),
    ece: numOrNull(c, 'ece'),
    brier: numOrNull(c, 'brier'),
    suggestedMargin: numOrNull(c, 'suggestedMargin'),
  };
}

export function readPreferenceRecord(r: Reader, read: SharedReaders): PreferenceRecord {
  const candidates = r.items('candidates');
  if (candidates.length !== 2) r.fail('candidates', 'a list of two answers');
  candidates.forEach((c) => c.str('text'));
  r.items('judgements').forEach((j) => {
    j.str('principleId');
    if (j.items('orders').length !== 2) j.fail('orders', 'a list of two orders');
  });
  r.child('label').oneOf('verdict', ['answer1', 'answer2', 'tie', 'undecided'] as const);
  r.int('index');
  r.str('id');
  r.str('runId');
  r.str('prompt');
  r.child('usage').num('ms');
  const record = structuredClone(r.obj) as unknown as PreferenceRecord;
  record.schemaVersion = SCHEMA_VERSION;
  record.recipe = 'preference';
  if (r.has('review')) record.review = read.review(r.child('review'));
  return record;
}
