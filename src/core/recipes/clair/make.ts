/**
 * CLAIR (minimal revisions): the model answers, then revises its own answer as little as possible
 * to satisfy one drawn principle. The pair (revision chosen, answer rejected) differs only where the
 * principle matters. Its contrastiveness is the normalised edit distance; optionally a second,
 * independent answer gives the distance two unrelated samples have, for comparison.
 */
import type { Engine } from '../../engine';
import { SCHEMA_VERSION, type ChatMessage, type Principle, type Usage } from '../../types';
import { Random } from '../../random';
import { askOnce } from '../ask';
import { enabledPrinciples } from '../critique-revision/prompts';
import { editDistance } from './distance';
import type { ClairDrop, ClairRecord, ClairSpec } from './types';

export type ClairStep = 'answer' | 'revision' | 'independent';

export type ClairEvent =
  | { type: 'step'; index: number; step: ClairStep; principleName?: string }
  | { type: 'token'; index: number; step: ClairStep; text: string };

export interface ClairContext {
  runId: string;
  engine: Engine;
  spec: ClairSpec;
  signal?: AbortSignal;
  onEvent?: (event: ClairEvent) => void;
  now?: () => number;
}

/** Our own wording: the principle's revision request, narrowed to the smallest edit that satisfies it. */
export function minimalRevisionRequest(principle: Principle): string {
  return [
    principle.revision.trim(),
    'Change as little as you can: keep every word and sentence that already meets this as it is, and rewrite only what must change.',
    'Reply with the revised response only.',
  ].join('\n');
}

export function validateClairSpec(spec: ClairSpec): void {
  if (spec.prompts.length === 0) throw new Error('There are no prompts to run.');
  if (enabledPrinciples(spec.constitution).length === 0) throw new Error(`Constitution "${spec.constitution.name}" has no enabled principle.`);
  if (!(spec.sampling.maxTokens >= 1)) throw new RangeError(`max tokens must be at least 1, got ${spec.sampling.maxTokens}`);
  const { minDistance: lo, maxDistance: hi } = spec;
  if (!(lo >= 0 && lo < hi && hi <= 1)) throw new RangeError(`edit-distance limits need 0 ≤ no-op limit < rewrite limit ≤ 1, got ${lo} and ${hi}`);
}

export function dropOf(distance: number, spec: Pick<ClairSpec, 'minDistance' | 'maxDistance'>): ClairDrop | undefined {
  if (distance < spec.minDistance || distance === 0) return 'no-op';
  if (distance > spec.maxDistance) return 'rewrite';
  return undefined;
}

export async function clairPair(index: number, ctx: ClairContext): Promise<ClairRecord> {
  const { spec } = ctx;
  const item = spec.prompts[index];
  if (!item) throw new RangeError(`prompt index ${index} is outside the run (${spec.prompts.length} prompts)`);
  validateClairSpec(spec);
  // Draw order is fixed (principle, then one engine seed per call) so a resumed prompt repeats exactly.
  const random = Random.forItem(spec.seed, index);
  const principle = random.pick(enabledPrinciples(spec.constitution));
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };
  const ask = (messages: ChatMessage[], step: ClairStep) => {
    ctx.onEvent?.({ type: 'step', index, step, ...(step === 'revision' ? { principleName: principle.name } : {}) });
    const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step, text }));
    return askOnce({ engine: ctx.engine, sampling: spec.sampling, signal: ctx.signal }, random, usage, messages, onToken);
  };
  const user: ChatMessage = { role: 'user', content: item.text };
  const answer = await ask([user], 'answer');
  const revisionRequest = minimalRevisionRequest(principle);
  const revision = await ask([user, { role: 'assistant', content: answer.text }, { role: 'user', content: revisionRequest }], 'revision');
  const distance = editDistance(answer.text, revision.text);
  const record: ClairRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    recipe: 'clair',
    index,
    promptId: item.id,
    prompt: item.text,
    principleId: principle.id,
    principleName: principle.name,
    answer: answer.text,
    answerFinish: answer.finishReason,
    revisionRequest,
    revision: revision.text,
    revisionFinish: revision.finishReason,
    distance,
    usage,
    createdAt: 0,
  };
  if (spec.baseline) {
    const other = await ask([user], 'independent');
    record.independent = { text: other.text, finish: other.finishReason, distance: editDistance(answer.text, other.text) };
  }
  const drop = dropOf(distance, spec);
  if (drop) record.dropReason = drop;
  record.createdAt = (ctx.now ?? Date.now)();
  return record;
}
