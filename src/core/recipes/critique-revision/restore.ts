/** Checks stored critique → revision specs and records (v0 shapes migrate as core/schema/restore.ts says). */
import type { Reader } from '../../schema/validate';
import { SCHEMA_VERSION, type FinishReason } from '../../types';
import type { SharedReaders } from '../recipe';
import type { CritiqueRecord, CritiqueRevisionSpec, CritiqueRound } from './types';
import type { ContextFitRecord } from './context-fit';

const FINISH: readonly FinishReason[] = ['stop', 'length', 'abort'];

export function readCritiqueSpec(s: Reader, read: SharedReaders, v0: boolean): CritiqueRevisionSpec {
  const sampling = s.child('sampling');
  return {
    recipe: 'critique-revision',
    model: read.model(s.child('model')),
    sampling: {
      temperature: sampling.num('temperature'),
      topP: sampling.num('topP'),
      maxTokens: sampling.int('maxTokens'),
    },
    seed: s.num('seed'),
    rounds: s.int('rounds'),
    constitution: read.constitution(s.child('constitution')),
    promptSetId: s.str('promptSetId'),
    promptSetName: s.str('promptSetName'),
    prompts: read.prompts(s, 'prompts', v0),
    ...(s.has('contextFit') ? { contextFit: readContextFit(s.child('contextFit')) } : {}),
  };
}

function readContextFit(c: Reader): ContextFitRecord {
  return { contextTokens: c.int('contextTokens'), neededTokens: c.int('neededTokens'), fewShotAsked: c.int('fewShotAsked'), fewShotUsed: c.int('fewShotUsed') };
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

export function readCritiqueRecord(r: Reader, read: SharedReaders, v0: boolean, indexHint?: number): CritiqueRecord {
  const usage = r.child('usage', v0 ? { promptTokens: 0, completionTokens: 0, ms: 0 } : undefined);
  const rec: CritiqueRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: r.str('id'),
    runId: r.str('runId'),
    recipe: 'critique-revision',
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
  if (r.has('review')) rec.review = read.review(r.child('review'));
  if (r.has('source')) rec.source = r.oneOf('source', ['import'] as const);
  const error = r.optStr('error');
  if (error !== undefined) rec.error = error;
  return rec;
}
