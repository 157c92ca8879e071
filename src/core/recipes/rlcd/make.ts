/**
 * RLCD (contrast distillation): the same prompt is answered twice, once under a principle's
 * positive instruction and once under its negative one. The positive answer is chosen by
 * construction; an optional judge pass reports whether the model, asked as a judge, agrees.
 */
import type { Engine } from '../../engine';
import { combineOrders, LETTERS } from '../../judge';
import { Random } from '../../random';
import { SCHEMA_VERSION, type Principle, type Usage } from '../../types';
import { askOnce } from '../ask';
import { abortError } from '../critique-revision/make';
import { enabledPrinciples } from '../critique-revision/prompts';
import { plainChoice, questionFor } from '../preference/prompts';
import { toOrder } from '../preference/make';
import type { OrderJudgement } from '../preference/types';
import { contrastOf } from './contrast';
import type { RlcdJudgement, RlcdRecord, RlcdSpec } from './types';

export type RlcdStep = 'positive' | 'negative' | 'judge';

export type RlcdEvent =
  | { type: 'step'; index: number; step: RlcdStep; principleName?: string }
  | { type: 'token'; index: number; step: RlcdStep; text: string };

export interface RlcdContext {
  runId: string;
  engine: Engine;
  spec: RlcdSpec;
  signal?: AbortSignal;
  onEvent?: (event: RlcdEvent) => void;
  now?: () => number;
}

export function validateRlcdSpec(spec: RlcdSpec): void {
  if (spec.prompts.length === 0) throw new Error('There are no prompts to run.');
  if (enabledPrinciples(spec.constitution).length === 0) throw new Error(`Constitution "${spec.constitution.name}" has no enabled principle.`);
  if (!(spec.sampling.maxTokens >= 1)) throw new RangeError(`max tokens must be at least 1, got ${spec.sampling.maxTokens}`);
}

export async function rlcdPair(index: number, ctx: RlcdContext): Promise<RlcdRecord> {
  const { spec } = ctx;
  const item = spec.prompts[index];
  if (!item) throw new RangeError(`prompt index ${index} is outside the run (${spec.prompts.length} prompts)`);
  validateRlcdSpec(spec);
  const random = Random.forItem(spec.seed, index);
  const principle = random.pick(enabledPrinciples(spec.constitution));
  const { positive: positiveInstruction, negative: negativeInstruction } = contrastOf(principle);
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };
  const answer = (instruction: string, step: 'positive' | 'negative') => {
    ctx.onEvent?.({ type: 'step', index, step, principleName: principle.name });
    const onToken = ctx.onEvent && ((text: string) => ctx.onEvent?.({ type: 'token', index, step, text }));
    const messages = [{ role: 'system' as const, content: instruction }, { role: 'user' as const, content: item.text }];
    return askOnce({ engine: ctx.engine, sampling: spec.sampling, signal: ctx.signal }, random, usage, messages, onToken);
  };
  const positive = await answer(positiveInstruction, 'positive');
  const negative = await answer(negativeInstruction, 'negative');
  const record: RlcdRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    recipe: 'rlcd',
    index,
    promptId: item.id,
    prompt: item.text,
    principleId: principle.id,
    principleName: principle.name,
    positiveInstruction,
    negativeInstruction,
    positive: positive.text,
    positiveFinish: positive.finishReason,
    negative: negative.text,
    negativeFinish: negative.finishReason,
    usage,
    createdAt: 0,
  };
  if (spec.judge) record.judge = await judgeConstruction(record, principle, spec.judge.rawPrompt, ctx, usage);
  record.createdAt = (ctx.now ?? Date.now)();
  return record;
}

/** A P(positive better) this close to 0.5 is a tie: the judge neither agrees nor disagrees (as the preference recipe's default tie margin). */
export const AGREEMENT_MARGIN = 0.05;

/** The comparison question; a principle imported without one is asked about by name. */
function comparisonOf(principle: Principle): string {
  return principle.comparison.trim() || `Which reply better follows this principle: ${principle.name}?`;
}

/** The judge compares positive (answer 1) and negative (answer 2) in both orders, as the preference recipe does. */
async function judgeConstruction(record: RlcdRecord, principle: Principle, raw: boolean, ctx: RlcdContext, usage: Usage): Promise<RlcdJudgement> {
  const orders: OrderJudgement[] = [];
  for (const shownAsA of [0, 1] as const) {
    ctx.onEvent?.({ type: 'step', index: record.index, step: 'judge', principleName: principle.name });
    const question = questionFor(record.prompt, [record.positive, record.negative], shownAsA, comparisonOf(principle));
    if (ctx.signal?.aborted) throw abortError();
    const result = await ctx.engine.choose(plainChoice(question, raw), [...LETTERS], { signal: ctx.signal });
    if (ctx.signal?.aborted) throw abortError();
    const order = toOrder(result, shownAsA, 'plain');
    usage.promptTokens += order.cost.promptTokens;
    usage.completionTokens += order.cost.decodeTokens;
    usage.ms += order.cost.ms;
    orders.push(order);
  }
  const both = orders as [OrderJudgement, OrderJudgement];
  const { pAnswer1, consistent } = combineOrders(both);
  const decided = pAnswer1 !== null && Math.abs(pAnswer1 - 0.5) >= AGREEMENT_MARGIN;
  return { orders: both, pPositive: pAnswer1, agrees: decided ? pAnswer1 > 0.5 : null, consistent };
}

/** How often the judge agreed with the construction label, over the pairs it could decide. */
export function agreementOf(records: readonly RlcdRecord[]): { judged: number; decided: number; agreed: number; rate: number | null } {
  const judged = records.filter((r) => r.judge);
  const decided = judged.filter((r) => r.judge?.agrees !== null);
  const agreed = decided.filter((r) => r.judge?.agrees).length;
  return { judged: judged.length, decided: decided.length, agreed, rate: decided.length ? agreed / decided.length : null };
}
