import type { CallOptions, ChatResult, Engine } from '../../engine';
import type { ChatMessage, Usage } from '../../types';
import type { CritiqueRecord, CritiqueRevisionSpec, CritiqueRound } from './types';
import { SCHEMA_VERSION } from '../../types';
import { Random } from '../../random';
import { critiqueMessage, enabledPrinciples, fewShotTurns, revisionMessage } from './prompts';

export type CritiqueStep = 'answer' | 'critique' | 'revision';

/** Coarse events while one record is being made; the UI shows them as a live trace. */
export type RecipeEvent =
  | { type: 'step'; index: number; step: CritiqueStep; round: number; principleName?: string }
  | { type: 'token'; index: number; step: CritiqueStep; round: number; text: string };

export interface RecipeContext {
  runId: string;
  engine: Engine;
  spec: CritiqueRevisionSpec;
  signal?: AbortSignal;
  onEvent?: (event: RecipeEvent) => void;
  now?: () => number;
}

/**
 * Makes one SFT record: answer the prompt, then for each round draw a principle, critique the latest
 * answer against it and revise. Each round is ONE growing conversation
 * (few-shot…, prompt, answer, critique request, critique, revision request → revision) and assistant
 * text is passed back verbatim, so an engine with a KV cache only prefills the new turns.
 */
export async function critiqueRevise(index: number, ctx: RecipeContext): Promise<CritiqueRecord> {
  const { spec } = ctx;
  const item = spec.prompts[index];
  if (!item) throw new RangeError(`prompt index ${index} is outside the run (${spec.prompts.length} prompts)`);
  const principles = enabledPrinciples(spec.constitution);
  if (principles.length === 0) throw new Error(`constitution "${spec.constitution.name}" has no enabled principle`);

  const random = Random.forItem(spec.seed, index);
  const usage: Usage = { promptTokens: 0, completionTokens: 0, ms: 0 };
  const ask = makeAsker(ctx, index, random, usage);
  const base = fewShotTurns(spec.constitution);
  const userTurn: ChatMessage = { role: 'user', content: item.text };

  ctx.onEvent?.({ type: 'step', index, step: 'answer', round: 0 });
  const initial = await ask([...base, userTurn], 'answer', 0);
  const rounds: CritiqueRound[] = [];
  let latest = initial.text;

  for (let round = 1; round <= spec.rounds; round++) {
    const principle = random.pick(principles);
    const critiqueRequest = critiqueMessage(principle);
    const revisionRequest = revisionMessage(principle);
    const conversation: ChatMessage[] = [...base, userTurn, { role: 'assistant', content: latest }];

    conversation.push({ role: 'user', content: critiqueRequest });
    ctx.onEvent?.({ type: 'step', index, step: 'critique', round, principleName: principle.name });
    const critique = await ask(conversation, 'critique', round);

    conversation.push({ role: 'assistant', content: critique.text }, { role: 'user', content: revisionRequest });
    ctx.onEvent?.({ type: 'step', index, step: 'revision', round, principleName: principle.name });
    const revision = await ask(conversation, 'revision', round);

    rounds.push({
      principleId: principle.id,
      principleName: principle.name,
      critiqueRequest,
      critique: critique.text,
      revisionRequest,
      revision: revision.text,
      critiqueFinish: critique.finishReason,
      revisionFinish: revision.finishReason,
    });
    latest = revision.text;
  }

  return {
    schemaVersion: SCHEMA_VERSION,
    id: `${ctx.runId}:${index}`,
    runId: ctx.runId,
    recipe: 'critique-revision',
    index,
    promptId: item.id,
    prompt: item.text,
    initial: initial.text,
    initialFinish: initial.finishReason,
    rounds,
    final: latest,
    usage,
    createdAt: (ctx.now ?? Date.now)(),
  };
}

/** One engine call with the run's sampling, a per-call seed, streaming events and usage accounting. */
function makeAsker(ctx: RecipeContext, index: number, random: Random, usage: Usage) {
  return async (messages: ChatMessage[], step: CritiqueStep, round: number): Promise<ChatResult> => {
    const { temperature, topP, maxTokens } = ctx.spec.sampling;
    const opts: CallOptions = {
      signal: ctx.signal,
      onToken: ctx.onEvent && ((text) => ctx.onEvent?.({ type: 'token', index, step, round, text })),
    };
    // Copy: the engine must see the conversation as it is now, not as it grows afterwards.
    const result = await ctx.engine.chat(
      { messages: messages.map((m) => ({ ...m })), temperature, topP, maxTokens, seed: random.seed() },
      opts,
    );
    if (result.finishReason === 'abort' || ctx.signal?.aborted) throw abortError();
    usage.promptTokens += result.promptTokens;
    usage.completionTokens += result.completionTokens;
    usage.ms += result.ms;
    return { ...result, text: result.text.trim() };
  };
}

export function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}
