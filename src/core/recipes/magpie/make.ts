/**
 * Magpie: the model is given only the opening of a user turn in its own chat template and writes
 * the user's request itself, stopping at the end of the turn. One sample = one record, so a
 * runner can store each and resume at any sample. The screening order is fixed (clean turn,
 * answers itself, length, near-duplicate) so each drop has one reason.
 */
import type { Engine } from '../../engine';
import { SCHEMA_VERSION, type PromptItem, type Usage } from '../../types';
import { Random } from '../../random';
import { SimilarityIndex } from '../../similarity';
import { abortError } from '../critique-revision/make';
import { askOnce } from '../ask';
import { lengthDrop, screenTurn } from './filters';
import { steeringText } from './personas';
import { preQueryFor } from './template';
import type { MagpieDrop, MagpieRecord, MagpieSpec } from './types';

export type MagpieStep = 'user-turn' | 'answer';

export type MagpieEvent = { type: 'step'; index: number; step: MagpieStep } | { type: 'token'; index: number; step: MagpieStep; text: string };

export interface MagpieContext {
  runId: string;
  engine: Engine;
  spec: MagpieSpec;
  /** Prompts kept by samples before this one, in sample order (the driver rebuilds it from stored records). */
  accepted: readonly string[];
  signal?: AbortSignal;
  onEvent?: (event: MagpieEvent) => void;
  now?: () => number;
}

/** Throws RangeError naming the first setting that cannot work; a bad template throws TemplateError. */
export function validateMagpieSpec(spec: MagpieSpec): void {
  if (!Number.isInteger(spec.samples) || spec.samples < 1) throw new RangeError(`samples must be a whole number ≥ 1, got ${spec.samples}`);
  if (!(spec.sampling.maxTokens >= 1)) throw new RangeError(`max tokens must be at least 1, got ${spec.sampling.maxTokens}`);
  if (spec.answers && !(spec.answers.sampling.maxTokens >= 1)) throw new RangeError(`answer max tokens must be at least 1, got ${spec.answers.sampling.maxTokens}`);
  const t = spec.similarity.threshold;
  if (!(t > 0 && t <= 1)) throw new RangeError(`similarity threshold must be in (0, 1], got ${t}`);
  if (!(spec.minChars >= 0 && spec.maxChars > spec.minChars)) throw new RangeError('prompt length limits must satisfy 0 ≤ min < max');
  preQueryFor(spec.template, spec.systemPrompt.trim());
}

/** What sample `index` is steered with; drawn before anything else so a resumed sample repeats exactly. */
function drawSteering(spec: MagpieSpec, random: Random): MagpieRecord['steering'] {
  const persona = spec.personas.length ? random.pick(spec.personas) : undefined;
  const topic = spec.topics.length ? random.pick(spec.topics) : undefined;
  const steering: MagpieRecord['steering'] = { system: steeringText(spec.systemPrompt, persona, topic) };
  if (persona !== undefined) steering.persona = persona;
  if (topic !== undefined) steering.topic = topic;
  return steering;
}

export async function magpieSample(index: number, ctx: MagpieContext): Promise<MagpieRecord> {
  const { spec, engine } = ctx;
  if (!Number.isInteger(index) || index < 0 || index >= spec.samples) throw new RangeError(`sample ${index} is outside the run (${spec.samples} samples)`);
  const random = Random.forItem(spec.seed, index);
  const steering = drawSteering(spec, random);
  const pre = preQueryFor(spec.template, steering.system);
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };

  ctx.onEvent?.({ type: 'step', index, step: 'user-turn' });
  const { temperature, topP, maxTokens } = spec.sampling;
  const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step: 'user-turn', text }));
  if (!engine.complete) throw new Error(`the engine of ${engine.info.model} cannot continue raw text, which Magpie needs`);
  const stop = spec.stopAtLineBreak ? [...pre.stop, '\n'] : pre.stop;
  const reply = await engine.complete({ prompt: pre.text, stop, temperature, topP, maxTokens, seed: random.seed() }, { signal: ctx.signal, onToken });
  if (reply.finishReason === 'abort' || ctx.signal?.aborted) throw abortError();
  usage.promptTokens += reply.promptTokens;
  usage.completionTokens += reply.completionTokens;
  usage.ms += reply.ms;

  const screened = screenTurn(reply.text, reply.finishReason, pre);
  const prompt = 'prompt' in screened ? screened.prompt : '';
  const drop = 'prompt' in screened ? filterPrompt(prompt, ctx) : screened;
  const record: MagpieRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    recipe: 'magpie',
    index,
    steering,
    preQuery: pre.text,
    raw: reply.text,
    finish: reply.finishReason,
    prompt,
    usage,
    createdAt: 0,
  };
  if (drop) record.drop = drop;
  if (!drop && spec.answers) {
    ctx.onEvent?.({ type: 'step', index, step: 'answer' });
    const onAnswer = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step: 'answer', text }));
    const answer = await askOnce({ engine, sampling: spec.answers.sampling, signal: ctx.signal }, random, usage, [{ role: 'user', content: prompt }], onAnswer);
    record.answer = answer.text;
    record.answerFinish = answer.finishReason;
  }
  record.createdAt = (ctx.now ?? Date.now)();
  return record;
}

/**
 * The reference set's index, built once per spec object: a large prompt set would otherwise be
 * tokenised again for every sample. Kept prompts are few and change each sample, so they are not cached.
 */
const referenceIndexes = new WeakMap<object, SimilarityIndex>();

function referenceIndex(spec: MagpieSpec): SimilarityIndex | null {
  const reference = spec.reference;
  if (!reference?.prompts.length) return null;
  let index = referenceIndexes.get(reference);
  if (!index) {
    index = new SimilarityIndex({ metric: spec.similarity.metric, n: spec.similarity.n });
    for (const p of reference.prompts) index.add(p.text);
    referenceIndexes.set(reference, index);
  }
  return index;
}

function filterPrompt(prompt: string, ctx: MagpieContext): MagpieDrop | null {
  const { spec } = ctx;
  const tooLong = lengthDrop(prompt, spec.minChars, spec.maxChars);
  if (tooLong) return tooLong;
  const earlier = new SimilarityIndex({ metric: spec.similarity.metric, n: spec.similarity.n });
  for (const a of ctx.accepted) earlier.add(a);
  const ofSet = referenceIndex(spec)?.nearest(prompt) ?? null;
  const ofKept = earlier.nearest(prompt);
  const near = ofSet && (!ofKept || ofSet.score >= ofKept.score) ? { ...ofSet, where: `a prompt of "${spec.reference?.name}"` } : ofKept && { ...ofKept, where: 'an earlier kept prompt' };
  if (near && near.score >= spec.similarity.threshold) {
    return { reason: 'near-duplicate', detail: `similarity ${near.score.toFixed(2)} to ${near.where}`, similarity: near.score, nearest: near.text };
  }
  return null;
}

/** Kept prompts in sample order (what the next sample is filtered against). */
export function keptSoFar(records: readonly MagpieRecord[]): string[] {
  return [...records].sort((a, b) => a.index - b.index).flatMap((r) => (r.drop ? [] : [r.prompt]));
}

/** The prompt set of a finished run: every kept prompt a reviewer did not reject. */
export function collectMagpiePrompts(records: readonly MagpieRecord[]): PromptItem[] {
  return [...records]
    .sort((a, b) => a.index - b.index)
    .filter((r) => !r.drop && r.review?.state !== 'rejected')
    .map((r) => ({
      id: r.id,
      text: r.prompt,
      tags: ['magpie', ...(r.steering.topic ? [r.steering.topic] : [])],
      source: `magpie ${r.runId} sample ${r.index + 1}${r.steering.persona ? ` (as ${r.steering.persona})` : ''}`,
    }));
}
