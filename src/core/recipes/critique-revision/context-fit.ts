/**
 * Before a critique → revision run starts: does the longest conversation it will send fit the
 * model's context? Counted with the engine's own tokenizer (through `TokenCounter`), so the chat
 * template and the model's vocabulary are what they will be in the run. Few-shot examples are
 * trimmed to what fits; when even none fit, the answer says what to change.
 */
import type { ChatMessage, Constitution, PromptItem } from '../../types';
import { critiqueMessage, enabledPrinciples, fewShotTurns, revisionMessage } from './prompts';

export interface TokenCounter {
  /** Tokens the loaded model's context holds. */
  contextTokens: number;
  /** Tokens a chat request of these messages takes once the model's template is applied. */
  count(messages: ChatMessage[]): Promise<number>;
}

export interface ContextFitInput {
  constitution: Constitution;
  prompts: PromptItem[];
  rounds: number;
  maxTokens: number;
  /** Few-shot examples the form asked for. */
  fewShot: number;
}

/** What a run records about the check (kept in its spec). */
export interface ContextFitRecord {
  contextTokens: number;
  /** Longest request plus room for every reply it carries, in tokens. */
  neededTokens: number;
  fewShotAsked: number;
  fewShotUsed: number;
}

export type ContextFit =
  | ({ ok: true } & ContextFitRecord)
  | { ok: false; contextTokens: number; neededTokens: number; promptNumber: number; suggestedMaxTokens: number | null; advice: string };

/** Below this many tokens per reply a run makes nothing useful, so it is not suggested. */
const MIN_USEFUL_REPLY = 16;

/**
 * The request that carries the most: few-shot turns, the prompt, and for a round the answer, the
 * critique request, the critique and the revision request (the replies are empty here and counted
 * as `maxTokens` each). Rounds do not add up: each round starts again from the latest answer.
 */
export function longestRequest(constitution: Constitution, fewShot: number, prompt: string, rounds: number): ChatMessage[] {
  const base = fewShotTurns({ ...constitution, fewShot: constitution.fewShot.slice(0, fewShot) });
  const messages: ChatMessage[] = [...base, { role: 'user', content: prompt }];
  if (rounds < 1) return messages;
  const principles = enabledPrinciples(constitution);
  const longest = (text: (p: (typeof principles)[number]) => string) => principles.map(text).reduce((a, b) => (b.length > a.length ? b : a), '');
  messages.push(
    { role: 'assistant', content: '' },
    { role: 'user', content: longest(critiqueMessage) },
    { role: 'assistant', content: '' },
    { role: 'user', content: longest(revisionMessage) },
  );
  return messages;
}

/** Replies generated into the longest request: the answer, the critique and the revision being written. */
export function repliesCarried(rounds: number): number {
  return rounds >= 1 ? 3 : 1;
}

/** The prompt with the most characters (a cheap stand-in: counting every prompt would prefill each). */
export function longestPromptIndex(prompts: PromptItem[]): number {
  let best = 0;
  prompts.forEach((p, i) => {
    if (p.text.length > prompts[best].text.length) best = i;
  });
  return best;
}

export async function fitContext(input: ContextFitInput, counter: TokenCounter): Promise<ContextFit> {
  const { constitution, prompts, rounds, maxTokens } = input;
  const index = longestPromptIndex(prompts);
  const prompt = prompts[index]?.text ?? '';
  const replies = repliesCarried(rounds) * maxTokens;
  const asked = Math.max(0, Math.min(input.fewShot, constitution.fewShot.length));
  let bare = 0;
  // From the most examples down: the first count that fits is the one used.
  for (let n = asked; n >= 0; n--) {
    const tokens = await counter.count(longestRequest(constitution, n, prompt, rounds));
    if (tokens + replies <= counter.contextTokens) {
      return { ok: true, contextTokens: counter.contextTokens, neededTokens: tokens + replies, fewShotAsked: input.fewShot, fewShotUsed: n };
    }
    bare = tokens;
  }
  return refusal(bare, { ...input, promptNumber: index + 1, contextTokens: counter.contextTokens });
}

function refusal(requestTokens: number, at: ContextFitInput & { promptNumber: number; contextTokens: number }): ContextFit {
  const carried = repliesCarried(at.rounds);
  const needed = requestTokens + carried * at.maxTokens;
  const room = Math.floor((at.contextTokens - requestTokens) / carried);
  const suggestedMaxTokens = room >= MIN_USEFUL_REPLY ? room : null;
  const changes = [
    suggestedMaxTokens !== null ? `lower max tokens per reply to ${suggestedMaxTokens}` : null,
    `raise the context size to at least ${needed} tokens (CPU engine, Model panel)`,
    `shorten prompt #${at.promptNumber}`,
  ].filter((c): c is string => c !== null);
  const advice =
    `Does not fit the model's context: without few-shot examples, the longest request (prompt #${at.promptNumber}) ` +
    `takes ${requestTokens} tokens, plus ${carried} ${carried === 1 ? 'reply' : 'replies'} of up to ${at.maxTokens} tokens = ${needed}, ` +
    `but the context holds ${at.contextTokens}. To fix it: ${changes.join('; or ')}.`;
  return { ok: false, contextTokens: at.contextTokens, neededTokens: needed, promptNumber: at.promptNumber, suggestedMaxTokens, advice };
}
