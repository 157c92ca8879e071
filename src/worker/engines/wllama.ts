import type { Wllama, ChatCompletionChunk, CacheEntry, RawCompletionChunk } from '@wllama/wllama';
import type { CallOptions, ChatRequest, ChatResult, ChatTemplateSource, ChoiceRequest, ChoiceResult, CompletionRequest, Engine } from '../../core/engine';
import { letterGrammar, parseTopLogprobs, scoreThenConstrain } from '../../core/judge';
import type { ChatMessage, FinishReason } from '../../core/types';
import type { WllamaRef } from '../../core/engines/wllama';
import type { CachedModel, EngineDriver } from './driver';
import type { LoadProgress } from './progress';
import { assertGguf } from './wllama-gguf';
import { downloadGguf } from './wllama-download';
import { loadPlanned, newWllama } from './wllama-runtime';
import type { CpuRuntime } from '../../core/engines/cpu-plan';

export { assertGguf };

/** Models without a chat template in their GGUF (base models such as the tiny test model) get ChatML. */
const FALLBACK_TEMPLATE = 'chatml';
/** Context size asked for at load; llama.cpp caps it at what the model was trained with. */
export const DEFAULT_CONTEXT_TOKENS = 4096;
let contextTokensAtLoad = DEFAULT_CONTEXT_TOKENS;

/** The context size the next CPU load asks for (the user's setting in the Model panel). */
export function setCpuContextTokens(tokens: number): void {
  contextTokensAtLoad = Math.max(128, Math.floor(tokens));
}

export function cpuContextTokens(): number {
  return contextTokensAtLoad;
}

/** The cache key of a model file picked from disk: stable for the same file, so Resume finds it. */
export function localCacheName(name: string, size: number): string {
  return `local_${size}_${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Copies a picked .gguf into the browser's model cache (OPFS), so a reload can load it again. */
export async function cacheLocalFile(file: File): Promise<WllamaRef> {
  await assertGguf(file, file.name);
  const w = newWllama();
  const name = localCacheName(file.name, file.size);
  const existing = await w.cacheManager.getSize(name).catch(() => -1);
  if (existing !== file.size) {
    await w.cacheManager.write(name, file.stream(), { etag: `${file.size}-${file.lastModified}`, originalSize: file.size, originalURL: `file:${file.name}` });
  }
  return { backend: 'cpu', kind: 'file', name: file.name, size: file.size };
}

export async function listCpuCache(): Promise<CacheEntry[]> {
  return newWllama().cacheManager.list();
}

export async function deleteCpuCache(name: string): Promise<void> {
  await newWllama().cacheManager.delete(name);
}

/**
 * CPU engine: llama.cpp compiled to WebAssembly, GGUF models. Several threads when the page is
 * cross-origin isolated, one otherwise; layers offloaded to the GPU where llama.cpp's WebGPU backend
 * takes the adapter (wllama-runtime.ts decides and reports).
 */
export class WllamaEngine implements Engine {
  readonly info;

  private constructor(
    private readonly w: Wllama,
    model: string,
    /** The GGUF's own `tokenizer.chat_template`, read before any fallback template is set. */
    private readonly template: string | null,
    /** Threads and GPU offload as loaded, for the model panel. */
    readonly runtime: CpuRuntime,
  ) {
    this.info = { id: `wllama:${model}`, backend: 'cpu' as const, model };
    // llama.cpp's server caps each request at the trained context, whatever n_ctx was asked for.
    const info = w.getLoadedContextInfo();
    this.contextTokens = info.n_ctx_train > 0 ? Math.min(info.n_ctx, info.n_ctx_train) : info.n_ctx;
  }

  readonly contextTokens: number;

  /**
   * wllama has no tokenizer call, so a one-token reply is asked for and its prompt count read. A
   * request that does not fit fails before any prefill, and llama.cpp names its length in the error.
   */
  async countTokens(messages: ChatMessage[]): Promise<number> {
    try {
      const reply = await this.w.createChatCompletion({ messages, max_tokens: 1, temperature: 0, cache_prompt: true });
      return reply.usage?.prompt_tokens ?? 0;
    } catch (error) {
      const tokens = /request \((\d+) tokens\) exceeds/.exec((error as Error)?.message ?? '')?.[1];
      if (tokens) return Number(tokens);
      throw error;
    }
  }

  /** Brings a model given by URL into the cache, checked, without loading it (the loaded model stays meanwhile). */
  static async fetch(ref: WllamaRef, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (ref.kind !== 'url') return;
    const onBytes = (loaded: number, total: number | null) =>
      onProgress({ phase: 'download', loaded, total, fraction: total ? loaded / total : 0, text: 'Downloading model' });
    await downloadGguf(newWllama().cacheManager, ref.url, { signal, onProgress: onBytes });
  }

  static async load(ref: WllamaRef, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<WllamaEngine> {
    const cache = newWllama().cacheManager;
    const base = { n_ctx: contextTokensAtLoad };
    let blob: Blob;
    if (ref.kind === 'url') {
      await WllamaEngine.fetch(ref, onProgress, signal);
      blob = (await cache.open(ref.url)) as Blob;
    } else {
      const cached = await cache.open(localCacheName(ref.name, ref.size));
      if (!cached) throw new Error(`The model file "${ref.name}" is no longer in the browser's cache: choose it again from your disk.`);
      blob = cached;
    }
    signal?.throwIfAborted();
    await assertGguf(blob, ref.name);
    onProgress({ phase: 'init', loaded: blob.size, total: blob.size, fraction: 1, text: 'Loading model into memory' });
    let { w, runtime } = await loadPlanned(blob, base, contextTokensAtLoad);
    const template = w.getChatTemplate();
    if (!template) {
      await w.exit();
      ({ w, runtime } = await loadPlanned(blob, { ...base, chat_template: FALLBACK_TEMPLATE }, contextTokensAtLoad));
    }
    return new WllamaEngine(w, ref.name, template || null, runtime);
  }

  chat(req: ChatRequest, opts: CallOptions = {}): Promise<ChatResult> {
    return readStream(
      () =>
        this.w.createChatCompletion({
          messages: req.messages,
          stream: true,
          temperature: req.temperature,
          top_p: req.topP,
          max_tokens: req.maxTokens,
          seed: req.seed,
          cache_prompt: true,
          abortSignal: opts.signal,
        }) as Promise<AsyncIterable<ChatCompletionChunk>>,
      (choice) => choice?.delta?.content ?? '',
      opts,
    );
  }

  chatTemplate(): ChatTemplateSource | null {
    return this.template ? { kind: 'jinja', template: this.template } : null;
  }

  complete(req: CompletionRequest, opts: CallOptions = {}): Promise<ChatResult> {
    return readStream(
      () =>
        this.w.createCompletion({
          prompt: req.prompt,
          stream: true,
          temperature: req.temperature,
          top_p: req.topP,
          max_tokens: req.maxTokens,
          seed: req.seed,
          stop: req.stop?.length ? req.stop : undefined,
          abortSignal: opts.signal,
        }) as Promise<AsyncIterable<RawCompletionChunk>>,
      (choice) => choice?.text ?? '',
      opts,
    );
  }

  async choose(req: ChoiceRequest, options: string[], opts: { signal?: AbortSignal } = {}): Promise<ChoiceResult> {
    // Temperature 1, top-p 1 and no penalties, so the probabilities mean what they say. wllama lists
    // alternatives over the whole vocabulary (N ≥ 250 crashes); 100 catch the letter’s spelling variants
    // even when a small model barely expects a letter.
    const scoring = { temperature: 1, top_p: 1, max_tokens: 1, penalty_repeat: 1, penalty_freq: 0, penalty_present: 0, abortSignal: opts.signal };
    // The fallback picks the likeliest letter the grammar allows (greedy), so a rerun agrees.
    const forced = { temperature: 0, max_tokens: 1, grammar: letterGrammar(options), abortSignal: opts.signal };
    const usageOf = (u?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } }) => ({
      promptTokens: (u?.prompt_tokens ?? 0) - (u?.prompt_tokens_details?.cached_tokens ?? 0),
      completionTokens: u?.completion_tokens ?? 0,
    });
    const raw = req.prompt;
    return scoreThenConstrain(
      options,
      raw !== undefined ? 'raw' : 'chat',
      async () => {
        const reply = raw !== undefined
          ? await this.w.createCompletion({ ...scoring, prompt: raw, logprobs: 100 })
          : await this.w.createChatCompletion({ ...scoring, messages: req.messages, logprobs: true, top_logprobs: 100, cache_prompt: true });
        return { top: parseTopLogprobs(reply.choices[0]?.logprobs), ...usageOf(reply.usage) };
      },
      async () => {
        if (raw !== undefined) {
          const reply = await this.w.createCompletion({ ...forced, prompt: raw });
          return { text: reply.choices[0]?.text ?? '', ...usageOf(reply.usage) };
        }
        const reply = await this.w.createChatCompletion({ ...forced, messages: req.messages, cache_prompt: true });
        return { text: reply.choices[0]?.message?.content ?? '', ...usageOf(reply.usage) };
      },
      () => performance.now(),
    );
  }

  async unload(): Promise<void> {
    await this.w.exit();
  }
}

type StreamChunk = ChatCompletionChunk | RawCompletionChunk;

/** Reads a streamed chat or raw completion: text as it comes, how it ended, and what it cost. */
async function readStream<C extends StreamChunk>(
  open: () => Promise<AsyncIterable<C>>,
  textOf: (choice: C['choices'][number] | undefined) => string,
  opts: CallOptions,
): Promise<ChatResult> {
  const started = performance.now();
  let text = '';
  let finishReason: FinishReason = 'stop';
  let promptTokens = 0;
  let completionTokens = 0;
  try {
    for await (const chunk of await open()) {
      const choice = chunk.choices[0] as C['choices'][number] | undefined;
      const delta = textOf(choice);
      if (delta) {
        text += delta;
        opts.onToken?.(delta);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason === 'length' ? 'length' : 'stop';
      if (chunk.timings) {
        // prompt_n counts only what was prefilled: the part served from the KV cache is cache_n.
        promptTokens = chunk.timings.prompt_n;
        completionTokens = chunk.timings.predicted_n;
      } else if (chunk.usage) {
        promptTokens = chunk.usage.prompt_tokens - (chunk.usage.prompt_tokens_details?.cached_tokens ?? 0);
        completionTokens = chunk.usage.completion_tokens;
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError' && !opts.signal?.aborted) throw error;
    finishReason = 'abort';
  }
  return { text, finishReason, promptTokens, completionTokens, ms: performance.now() - started };
}

/** The GGUF files in the CPU cache; a picked file is stored as `file:<name>`, so Resume finds it again. */
async function cachedWllamaModels(): Promise<CachedModel[]> {
  const entries = await listCpuCache().catch(() => []);
  return entries.map((entry): CachedModel => {
    const url = entry.metadata.originalURL;
    const local = url.startsWith('file:');
    // No source URL: a download cut off before its metadata was written (the next load replaces it).
    if (!url) return { backend: 'cpu', key: entry.name, label: `${entry.name} (incomplete download)`, size: entry.size, ref: { backend: 'cpu', kind: 'url', url: '', name: entry.name } };
    const name = local ? url.slice(5) : (url.split('/').pop() ?? entry.name);
    const ref: WllamaRef = local ? { backend: 'cpu', kind: 'file', name, size: entry.size } : { backend: 'cpu', kind: 'url', url, name };
    return { backend: 'cpu', key: entry.name, label: name, size: entry.size, ref };
  });
}

export const wllamaDriver: EngineDriver<WllamaRef> = {
  fetch: (ref, onProgress, signal) => WllamaEngine.fetch(ref, onProgress, signal),
  load: (ref, onProgress, signal) => WllamaEngine.load(ref, onProgress, signal),
  cached: cachedWllamaModels,
  deleteCached: deleteCpuCache,
};
