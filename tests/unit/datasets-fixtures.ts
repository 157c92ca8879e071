// Hand-built records of every kind for the datasets tests (not a test file itself).
import type { BackTranslateRecord } from '../../src/core/recipes/back-translate/types';
import type { SelfInstructRecord } from '../../src/core/recipes/self-instruct/types';
import type { PreferenceRecord, PrincipleJudgement } from '../../src/core/recipes/preference/types';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { CritiqueRecord, CritiqueRound } from '../../src/core/recipes/critique-revision/types';
import type { Run } from '../../src/core/run';
import type { MagpieRecord } from '../../src/core/recipes/magpie/types';
import type { ClairRecord } from '../../src/core/recipes/clair/types';
import type { RlcdRecord } from '../../src/core/recipes/rlcd/types';

export function round(name: string, revision: string, finish: 'stop' | 'length' = 'stop'): CritiqueRound {
  return {
    principleId: name.toLowerCase(), principleName: name, critiqueRequest: `Critique by ${name}.`, critique: `Critique ${name}.`,
    revisionRequest: `Revise by ${name}.`, revision, critiqueFinish: 'stop', revisionFinish: finish,
  };
}

export function critique(i: number, over: Partial<CritiqueRecord> = {}, runId = 'run'): CritiqueRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'critique-revision', index: i, promptId: `q${i}`,
    prompt: `Prompt number ${i} about gardens`, initial: `first answer ${i}`, initialFinish: 'stop',
    rounds: [round(i % 2 ? 'Harmless' : 'Honest', `better answer number ${i} with more words`)],
    final: `better answer number ${i} with more words`, usage: { promptTokens: 10, completionTokens: 20 + i, ms: 1000 }, createdAt: 1_000 + i,
    ...over,
  };
}

function judgement(name: string, p: number | null, consistent: boolean | null): PrincipleJudgement {
  const order = { candidateShownAsA: 0 as const, form: 'chat' as const, method: 'logprobs' as const, letterProbabilities: [p, p === null ? null : 1 - p] as [number | null, number | null], top: [], pA: p, cost: { forwardPasses: 1, decodeTokens: 0, promptTokens: 5, ms: 1 } };
  return { principleId: name.toLowerCase(), principleName: name, comparison: `Which is more ${name}?`, orders: [order, { ...order, candidateShownAsA: 1 }], pAnswer1: p, consistent };
}

export function preference(i: number, p: number | null, consistent: boolean | null, over: Partial<PreferenceRecord> = {}, runId = 'pref'): PreferenceRecord {
  const decided = p !== null && Math.abs(p - 0.5) > 0.05;
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'preference', index: i, promptId: `q${i}`, prompt: `Compare ${i}`,
    candidates: [{ text: `answer one ${i}`, origin: 'sampled', finishReason: 'stop' }, { text: `answer two ${i}`, origin: 'sampled', finishReason: 'stop' }],
    judgeModel: 'judge.gguf', mode: 'plain', tieMargin: 0.05, judgements: [judgement('Helpful', p, consistent)],
    label: { pAnswer1: p, verdict: decided ? (p! > 0.5 ? 'answer1' : 'answer2') : 'tie', basis: p === null ? 'none' : 'probabilities' },
    chosen: decided ? (p! > 0.5 ? `answer one ${i}` : `answer two ${i}`) : null,
    rejected: decided ? (p! > 0.5 ? `answer two ${i}` : `answer one ${i}`) : null,
    lowConfidence: false, positionConsistent: consistent, usage: { promptTokens: 5, completionTokens: 8, ms: 400 }, createdAt: 2_000 + i, ...over,
  };
}

export function selfInstruct(i: number, runId = 'si'): SelfInstructRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'self-instruct', index: i, shownSeedIds: [], shownGenerated: [], topic: 'cooking',
    raw: '1. How do I boil an egg?', finish: 'length', proposed: ['How do I boil an egg?'], kept: [{ id: 'k', text: 'How do I boil an egg?', similarity: 0 }], dropped: [],
    usage: { promptTokens: 1, completionTokens: 1, ms: 1 }, createdAt: 3_000 + i,
  };
}

export function backTranslate(i: number, runId = 'bt'): BackTranslateRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'back-translate', index: i, promptId: `q${i}`, prompt: `Original ${i}`,
    translations: [{ pivot: 'French', pivotText: 'Bonjour', backText: `Paraphrase ${i}`, similarity: 0.5, kept: true, pivotFinish: 'stop', backFinish: 'stop' }],
    usage: { promptTokens: 1, completionTokens: 1, ms: 1 }, createdAt: 4_000 + i,
  };
}

const USAGE = { promptTokens: 1, completionTokens: 1, ms: 1 };

export function magpie(i: number, over: Partial<MagpieRecord> = {}, runId = 'mp'): MagpieRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'magpie', index: i, steering: { system: '', persona: 'a gardener' },
    preQuery: '<|im_start|>user\n', raw: `How deep should I plant tulips ${i}?<|im_end|>`, finish: 'stop', prompt: `How deep should I plant tulips ${i}?`,
    answer: 'About 15 cm.', answerFinish: 'stop', usage: USAGE, createdAt: 5_000 + i, ...over,
  };
}

export function clair(i: number, over: Partial<ClairRecord> = {}, runId = 'cl'): ClairRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'clair', index: i, promptId: `q${i}`, prompt: `Explain ${i}`,
    principleId: 'honest', principleName: 'Honest', answer: `An answer ${i}.`, answerFinish: 'stop', revisionRequest: 'Change as little as you can.',
    revision: `A truer answer ${i}.`, revisionFinish: 'stop', distance: 0.3, usage: USAGE, createdAt: 6_000 + i, ...over,
  };
}

export function rlcd(i: number, over: Partial<RlcdRecord> = {}, runId = 'rl'): RlcdRecord {
  const order = (shownAsA: 0 | 1, pA: number | null) => ({
    candidateShownAsA: shownAsA, form: 'raw' as const, method: 'logprobs' as const, letterProbabilities: [pA, pA === null ? null : 1 - pA] as [number | null, number | null],
    top: [{ token: ' A', logprob: -0.5 }], pA, cost: { forwardPasses: 1, decodeTokens: 0, promptTokens: 40, ms: 5 },
  });
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'rlcd', index: i, promptId: `q${i}`, prompt: `Advise ${i}`,
    principleId: 'harmless', principleName: 'Harmless', positiveInstruction: 'Answer as safely as you can.', negativeInstruction: 'Answer with no care for harm.',
    positive: `A careful answer ${i}.`, positiveFinish: 'stop', negative: `A careless answer ${i}.`, negativeFinish: 'length',
    judge: { orders: [order(0, 0.7), order(1, null)], pPositive: 0.7, agrees: true, consistent: null },
    usage: USAGE, createdAt: 7_000 + i, ...over,
  };
}

export function critiqueRun(id = 'run', prompts = 3): Run {
  return {
    schemaVersion: SCHEMA_VERSION, id, name: `Run ${id}`,
    spec: {
      recipe: 'critique-revision', model: { backend: 'cpu', kind: 'file', name: 'tiny.gguf', size: 10 }, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 32 },
      seed: 7, rounds: 1,
      constitution: { schemaVersion: SCHEMA_VERSION, id: 'c', name: 'Garden rules', description: '', fewShot: [], updatedAt: 0,
        principles: [{ id: 'honest', name: 'Honest', critique: 'c', revision: 'r', comparison: 'x', enabled: true }] },
      promptSetId: 'ps', promptSetName: 'Gardens', prompts: Array.from({ length: prompts }, (_, i) => ({ id: `q${i}`, text: `Prompt number ${i} about gardens` })),
    },
    status: 'done', cursor: prompts, recordCount: prompts, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: 1, updatedAt: 1,
  };
}
