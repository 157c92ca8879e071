import type { ChatResult, Engine } from '../engine';
import type { ChatMessage, SamplingParams, Usage } from '../types';
import type { Random } from '../random';
import { abortError } from './critique-revision/make';

export interface AskContext {
  engine: Engine;
  sampling: SamplingParams;
  signal?: AbortSignal;
}

/**
 * One engine call for the augmentation recipes: the run's sampling, a seed drawn from the item's
 * own stream (so a resumed step asks exactly what it asked before), usage added to `usage`.
 */
export async function askOnce(
  ctx: AskContext,
  random: Random,
  usage: Usage,
  messages: ChatMessage[],
  onToken?: (text: string) => void,
): Promise<ChatResult> {
  const { temperature, topP, maxTokens } = ctx.sampling;
  const result = await ctx.engine.chat(
    { messages: messages.map((m) => ({ ...m })), temperature, topP, maxTokens, seed: random.seed() },
    { signal: ctx.signal, onToken },
  );
  if (result.finishReason === 'abort' || ctx.signal?.aborted) throw abortError();
  usage.promptTokens += result.promptTokens;
  usage.completionTokens += result.completionTokens;
  usage.ms += result.ms;
  return { ...result, text: result.text.trim() };
}
