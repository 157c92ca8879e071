/**
 * Preference data by AI feedback, in two resumable phases a runner drives one index at a time:
 *   1. `makeCandidates`: the two answers of a comparison (sampled, from a critique run, or imported);
 *   2. `judgePair`: the judge (same model or another) compares them under drawn principles, in both
 *      orders, and the soft labels are averaged.
 * Each phase returns plain data that the runner stores before moving on.
 */
import type { ChatResult, ChoiceRequest, ChoiceResult, Engine } from '../../engine';
import type { CritiqueRecord } from '../critique-revision/types';
import type { Principle, SamplingParams, Usage } from '../../types';
import { SCHEMA_VERSION } from '../../types';
import type {
  Candidate, CandidatePair, JudgeMode, Letter, OrderJudgement, PreferenceRecord, PreferenceSpec, PrincipleJudgement,
} from './types';
import { Random } from '../../random';
import { enabledPrinciples } from '../critique-revision/prompts';
import { choiceAfterReasoning, plainChoice, questionFor, reasoningMessages } from './prompts';
import { combineOrders, labelOf, LETTERS, orderPA } from '../../judge';
import { abortError } from '../critique-revision/make';

export type PreferenceEvent =
  | { type: 'step'; index: number; step: 'candidate'; candidate: 0 | 1 }
  | { type: 'step'; index: number; step: 'judge'; principleName: string; shownAsA: 0 | 1 }
  | { type: 'token'; index: number; step: 'candidate' | 'reasoning'; text: string }
  | { type: 'judgement'; index: number; principleId: string; order: OrderJudgement };

export interface PhaseContext {
  runId: string;
  spec: PreferenceSpec;
  signal?: AbortSignal;
  onEvent?: (event: PreferenceEvent) => void;
  now?: () => number;
}

export interface CandidateContext extends PhaseContext {
  /** Needed for sampled candidates only. */
  engine?: Engine;
  /** Revision source: the earlier run's record at this index (the runner reads it from storage). */
  sourceRecord?: (index: number) => Promise<CritiqueRecord | undefined>;
}

export interface JudgeContext extends PhaseContext {
  engine: Engine;
}

/** Throws a readable error for a spec a run cannot follow (the UI calls it before starting). */
export function checkPreferenceSpec(spec: PreferenceSpec): void {
  const { judge, source, prompts } = spec;
  if (prompts.length === 0) throw new Error('There are no prompts to compare answers for.');
  if (!spec.constitution.principles.some((p) => p.enabled)) throw new Error(`Constitution "${spec.constitution.name}" has no enabled principle.`);
  if (!Number.isInteger(judge.principlesPerComparison) || judge.principlesPerComparison < 1) {
    throw new RangeError(`principles per comparison must be a whole number from 1, got ${judge.principlesPerComparison}`);
  }
  if (!(judge.tieMargin >= 0 && judge.tieMargin < 0.5)) throw new RangeError(`the tie margin must be from 0 to below 0.5, got ${judge.tieMargin}`);
  if (judge.mode === 'cot' && !(judge.reasoningMaxTokens >= 1)) throw new RangeError('chain-of-thought needs a reasoning budget of at least 1 token');
  if (source.kind === 'imported' && source.pairs.length !== prompts.length) throw new Error('every imported pair needs its prompt in the run');
  if (source.kind === 'sampled' && source.sampling.some((s) => !(s.maxTokens >= 1))) throw new RangeError('max tokens must be at least 1');
}

/** Candidates draw from their own stream, so the judge's principle draws never depend on them. */
const CANDIDATE_STREAM = 0x63616e64;

/** Phase 1: the two answers of comparison `index`, as plain data for the runner to store. */
export async function makeCandidates(index: number, ctx: CandidateContext): Promise<CandidatePair> {
  const item = ctx.spec.prompts[index];
  if (!item) throw new RangeError(`prompt index ${index} is outside the run (${ctx.spec.prompts.length} prompts)`);
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };
  const candidates = await candidatesFor(index, item.id, item.text, ctx, usage);
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    index,
    promptId: item.id,
    prompt: item.text,
    candidates,
    usage,
    createdAt: (ctx.now ?? Date.now)(),
  };
}

async function candidatesFor(index: number, promptId: string, prompt: string, ctx: CandidateContext, usage: Usage): Promise<[Candidate, Candidate]> {
  const { source } = ctx.spec;
  if (source.kind === 'imported') {
    const pair = source.pairs[index];
    if (!pair) throw new RangeError(`imported pair ${index} is missing`);
    return [{ text: pair.answerA, origin: 'imported' }, { text: pair.answerB, origin: 'imported' }];
  }
  if (source.kind === 'revision') {
    const record = await ctx.sourceRecord?.(index);
    if (!record || record.promptId !== promptId) throw new Error(`run "${source.runName}" has no record for prompt ${index} (${promptId})`);
    const revised = record.review?.state === 'edited' && record.review.editedText != null ? record.review.editedText : record.final;
    return [{ text: record.initial, origin: 'initial' }, { text: revised, origin: 'revision' }];
  }
  return sampleCandidates(index, prompt, source.sampling, ctx, usage);
}

/** Two answers to the bare prompt, each with its own sampling settings and seed. */
async function sampleCandidates(
  index: number,
  prompt: string,
  sampling: readonly [SamplingParams, SamplingParams],
  ctx: CandidateContext,
  usage: Usage,
): Promise<[Candidate, Candidate]> {
  const engine = ctx.engine;
  if (!engine) throw new Error('sampled candidates need an engine');
  const random = Random.forItem((ctx.spec.seed ^ CANDIDATE_STREAM) >>> 0, index);
  const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step: 'candidate', text }));
  const candidates: Candidate[] = [];
  for (const which of [0, 1] as const) {
    const { temperature, topP, maxTokens } = sampling[which];
    const seed = random.seed();
    ctx.onEvent?.({ type: 'step', index, step: 'candidate', candidate: which });
    const request = { messages: [{ role: 'user' as const, content: prompt }], temperature, topP, maxTokens, seed };
    const result = checked(await engine.chat(request, { signal: ctx.signal, onToken }), ctx.signal);
    addChatUsage(usage, result);
    candidates.push({ text: result.text.trim(), origin: 'sampled', temperature, seed, finishReason: result.finishReason });
  }
  return candidates as [Candidate, Candidate];
}

/** `count` distinct principles (all of them if fewer are enabled), drawn like critique-revision's. */
export function drawPrinciples(spec: PreferenceSpec, index: number): Principle[] {
  const pool = enabledPrinciples(spec.constitution);
  if (pool.length === 0) throw new Error(`constitution "${spec.constitution.name}" has no enabled principle`);
  const random = Random.forItem(spec.seed, index);
  const count = Math.max(1, Math.min(pool.length, Math.floor(spec.judge.principlesPerComparison)));
  const drawn: Principle[] = [];
  while (drawn.length < count) drawn.push(pool.splice(random.int(pool.length), 1)[0]);
  return drawn;
}

/**
 * Phase 2: the judge compares a stored pair under each drawn principle, asking both orders (answer 1
 * as (A), then as (B)), and the record keeps every order's probabilities and raw alternatives.
 */
export async function judgePair(index: number, pair: CandidatePair, ctx: JudgeContext): Promise<PreferenceRecord> {
  const { spec } = ctx;
  if (pair.index !== index) throw new Error(`candidates for ${pair.index} given to judge comparison ${index}`);
  const usage: Usage = { ...pair.usage };
  const answers = [pair.candidates[0].text, pair.candidates[1].text] as const;
  const principles = drawPrinciples(spec, index);
  const orders: OrderJudgement[][] = principles.map(() => []);
  // One order's questions differ only in the principle's final question, while the two orders differ
  // from the answers on: asking every principle in one order, then in the other, lets each prompt
  // reuse the longest prefix the engine has cached (a prefill of about the minimum).
  for (const shownAsA of [0, 1] as const) {
    for (const [i, principle] of principles.entries()) {
      ctx.onEvent?.({ type: 'step', index, step: 'judge', principleName: principle.name, shownAsA });
      const question = questionFor(pair.prompt, answers, shownAsA, principle.comparison);
      const order = await judgeOrder(question, shownAsA, ctx, index);
      usage.promptTokens += order.cost.promptTokens;
      usage.completionTokens += order.cost.decodeTokens;
      usage.ms += order.cost.ms;
      ctx.onEvent?.({ type: 'judgement', index, principleId: principle.id, order });
      orders[i].push(order);
    }
  }
  const judgements: PrincipleJudgement[] = principles.map((principle, i) => {
    const both = orders[i] as [OrderJudgement, OrderJudgement];
    return { principleId: principle.id, principleName: principle.name, comparison: principle.comparison, orders: both, ...combineOrders(both) };
  });
  return assembleRecord(pair, judgements, usage, ctx);
}

function assembleRecord(pair: CandidatePair, judgements: PrincipleJudgement[], usage: Usage, ctx: JudgeContext): PreferenceRecord {
  const { mode, tieMargin } = ctx.spec.judge;
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `${pair.runId}:${pair.index}`,
    runId: pair.runId,
    recipe: 'preference',
    index: pair.index,
    promptId: pair.promptId,
    prompt: pair.prompt,
    candidates: structuredClone(pair.candidates),
    judgeModel: ctx.engine.info.model,
    mode,
    tieMargin,
    judgements,
    ...outcomeOf(pair.candidates, judgements, tieMargin),
    usage,
    createdAt: (ctx.now ?? Date.now)(),
  };
}

type Outcome = Pick<PreferenceRecord, 'label' | 'chosen' | 'rejected' | 'lowConfidence' | 'positionConsistent'>;

/** Everything in a record that follows from its judgements: label, winner texts and flags. */
function outcomeOf(candidates: readonly [Candidate, Candidate], judgements: readonly PrincipleJudgement[], tieMargin: number): Outcome {
  const label = labelOf(judgements, tieMargin);
  const winner = label.verdict === 'answer1' ? 0 : label.verdict === 'answer2' ? 1 : null;
  const consistency = judgements.map((j) => j.consistent);
  return {
    label,
    chosen: winner === null ? null : candidates[winner].text,
    rejected: winner === null ? null : candidates[1 - winner].text,
    lowConfidence: judgements.some((j) => j.orders.some((o) => o.pA === null)),
    positionConsistent: consistency.includes(null) ? null : consistency.every(Boolean),
  };
}

/** One principle in one order: plain scores the letter at once; CoT reasons first, then scores. */
async function judgeOrder(question: ReturnType<typeof questionFor>, shownAsA: 0 | 1, ctx: JudgeContext, index: number): Promise<OrderJudgement> {
  const { mode, rawPrompt, reasoningMaxTokens } = ctx.spec.judge;
  if (mode === 'plain') return toOrder(await choose(ctx, plainChoice(question, rawPrompt)), shownAsA, mode);
  const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step: 'reasoning', text }));
  // Greedy reasoning: a rerun of the same comparison reproduces it.
  const reasoning = checked(
    await ctx.engine.chat({ messages: reasoningMessages(question), temperature: 0, topP: 1, maxTokens: reasoningMaxTokens }, { signal: ctx.signal, onToken }),
    ctx.signal,
  );
  const text = reasoning.text.trim();
  const order = toOrder(await choose(ctx, choiceAfterReasoning(question, text)), shownAsA, mode);
  order.reasoning = text;
  order.cost.forwardPasses += Math.max(1, reasoning.completionTokens);
  order.cost.decodeTokens += reasoning.completionTokens;
  order.cost.promptTokens += reasoning.promptTokens;
  order.cost.ms += reasoning.ms;
  return order;
}

async function choose(ctx: JudgeContext, request: ChoiceRequest): Promise<ChoiceResult> {
  if (ctx.signal?.aborted) throw abortError();
  const result = await ctx.engine.choose(request, [...LETTERS], { signal: ctx.signal });
  if (ctx.signal?.aborted) throw abortError();
  return result;
}

/** Stores what the engine returned as it was, plus the P(A) the label is computed from. */
export function toOrder(result: ChoiceResult, shownAsA: 0 | 1, mode: JudgeMode): OrderJudgement {
  const letterProbs: [number | null, number | null] = [result.probabilities[0] ?? null, result.probabilities[1] ?? null];
  const order: OrderJudgement = {
    candidateShownAsA: shownAsA,
    form: result.form,
    method: result.method,
    letterProbabilities: letterProbs,
    top: result.top.map((t) => ({ token: t.token, logprob: t.logprob })),
    pA: orderPA(letterProbs, mode),
    cost: { forwardPasses: result.forwardPasses, decodeTokens: result.completionTokens, promptTokens: result.promptTokens, ms: result.ms },
  };
  if (result.chosen === 'A' || result.chosen === 'B') order.chosen = result.chosen as Letter;
  return order;
}

/** The record with its label recomputed from the stored letter probabilities (e.g. another tie margin). */
export function relabel(record: PreferenceRecord, tieMargin: number): PreferenceRecord {
  const judgements = record.judgements.map((j) => {
    const orders = j.orders.map((o) => ({ ...o, pA: orderPA(o.letterProbabilities, record.mode) })) as [OrderJudgement, OrderJudgement];
    return { ...j, orders, ...combineOrders(orders) };
  });
  return { ...record, tieMargin, judgements, ...outcomeOf(record.candidates, judgements, tieMargin) };
}

function checked(result: ChatResult, signal?: AbortSignal): ChatResult {
  if (result.finishReason === 'abort' || signal?.aborted) throw abortError();
  return result;
}

function addChatUsage(usage: Usage, result: ChatResult): void {
  usage.promptTokens += result.promptTokens;
  usage.completionTokens += result.completionTokens;
  usage.ms += result.ms;
}
