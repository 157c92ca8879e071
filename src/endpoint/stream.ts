/**
 * Reading a streamed (server-sent events) chat or raw completion: the text as it comes, how it
 * ended, and what it cost. Events are split by `eventsource-parser`, so a chunk boundary anywhere
 * (inside a UTF-8 character, a line or a field) is handled by the library, not by us.
 */
import { createParser } from 'eventsource-parser';
import type { CallOptions, ChatResult } from '../core/engine';
import type { FinishReason } from '../core/types';
import { EndpointStreamError, isAbort } from './errors';

/** The OpenAI-style usage block; `prompt_tokens_details.cached_tokens` is the prefix-cache hit. */
export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** llama-server's own figures: `prompt_n` is what was prefilled, `cache_n` what came from the cache. */
interface Timings {
  prompt_n?: number;
  predicted_n?: number;
}

interface Chunk {
  choices?: { delta?: { content?: string | null }; text?: string; finish_reason?: string | null }[];
  usage?: Usage | null;
  timings?: Timings;
  error?: { message?: string } | string;
}

/** Tokens prefilled (cached prefix subtracted) and generated. */
export function tokensOf(usage: Usage | null | undefined, timings?: Timings): { promptTokens: number; completionTokens: number } {
  if (timings && typeof timings.prompt_n === 'number') {
    return { promptTokens: timings.prompt_n, completionTokens: timings.predicted_n ?? usage?.completion_tokens ?? 0 };
  }
  return {
    promptTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - (usage?.prompt_tokens_details?.cached_tokens ?? 0)),
    completionTokens: usage?.completion_tokens ?? 0,
  };
}

function finishOf(reason: string): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

/** Feeds the body through the SSE parser, calling `onChunk` for each JSON event until `[DONE]`. */
async function eachEvent(res: Response, baseUrl: string, onChunk: (chunk: Chunk) => void, signal?: AbortSignal): Promise<void> {
  if (!res.body) throw new EndpointStreamError(baseUrl, 'the reply had no body');
  let failure: Error | null = null;
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (done || failure) return;
      if (event.data.trim() === '[DONE]') return void (done = true);
      let chunk: Chunk;
      try {
        chunk = JSON.parse(event.data) as Chunk;
      } catch {
        failure = new EndpointStreamError(baseUrl, `an event was not JSON (${event.data.slice(0, 80)})`);
        return;
      }
      const err = chunk.error ?? (event.event === 'error' ? event.data : undefined);
      if (err !== undefined) {
        failure = new EndpointStreamError(baseUrl, typeof err === 'string' ? err : (err.message ?? JSON.stringify(err)));
        return;
      }
      onChunk(chunk);
    },
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  try {
    // The signal is checked here too: a body that ignores it (a proxy, a test's stream) still stops.
    while (!done && !failure && !signal?.aborted) {
      const { value, done: end } = await reader.read();
      if (end) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
  } finally {
    if (done || failure || signal?.aborted) void reader.cancel().catch(() => {});
  }
  if (failure) throw failure;
}

/**
 * Streams one request. An abort ends it with what came so far (`finishReason: 'abort'`), as the
 * in-browser engines do; a connection that breaks off is an error.
 */
export async function readCompletion(
  baseUrl: string,
  open: () => Promise<Response>,
  opts: CallOptions,
  now: () => number,
): Promise<ChatResult> {
  const started = now();
  let text = '';
  let finishReason: FinishReason = 'stop';
  let tokens = { promptTokens: 0, completionTokens: 0 };
  try {
    const res = await open();
    await eachEvent(res, baseUrl, (chunk) => {
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content ?? choice?.text ?? '';
      if (delta) {
        text += delta;
        opts.onToken?.(delta);
      }
      if (choice?.finish_reason) finishReason = finishOf(choice.finish_reason);
      if (chunk.usage || chunk.timings) tokens = tokensOf(chunk.usage, chunk.timings);
    }, opts.signal);
    if (opts.signal?.aborted) finishReason = 'abort';
  } catch (error) {
    if (!isAbort(error, opts.signal)) {
      if (error instanceof Error && error.name === 'TypeError') throw new EndpointStreamError(baseUrl, error.message);
      throw error;
    }
    finishReason = 'abort';
  }
  return { text, finishReason, ...tokens, ms: now() - started };
}
