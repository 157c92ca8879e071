import { MLCEngine, prebuiltAppConfig, hasModelInCache, deleteModelAllInfoInCache, type AppConfig } from '@mlc-ai/web-llm';
import type { CallOptions, ChatRequest, ChatResult, ChoiceRequest, ChatTemplateSource, ChoiceResult, CompletionRequest, ConversationTemplate, Engine } from '../../core/engine';
import { letterGrammar, letterLogitBias, parseTopLogprobs, scoreThenConstrain } from '../../core/judge';
import type { FinishReason } from '../../core/types';
import { parseWebLlmProgress, type LoadProgress } from './progress';
import { gpuCatalogue } from '../../core/catalog';
import type { WebLlmRef } from '../../core/engines/webllm';
import type { CachedModel, EngineDriver } from './driver';

/** Same app config for load, cache checks and deletion, or WebLLM looks in the wrong cache. */
export const appConfig: AppConfig = { ...prebuiltAppConfig, cacheBackend: 'cache' };

export function webLlmModelList(): { model_id: string; vram_required_MB?: number }[] {
  return appConfig.model_list.map((m) => ({ model_id: m.model_id, vram_required_MB: m.vram_required_MB }));
}

/** Cached WebLLM models with their size on disk (null where the cache does not say). */
export async function webLlmCached(modelIds: string[]): Promise<{ id: string; size: number | null }[]> {
  const cached: { id: string; size: number | null }[] = [];
  for (const id of modelIds) {
    if (await hasModelInCache(id, appConfig).catch(() => false)) cached.push({ id, size: await cachedBytes(id) });
  }
  return cached;
}

/** Sums the Content-Length of the weight shards WebLLM keeps in Cache Storage for this model. */
async function cachedBytes(modelId: string): Promise<number | null> {
  const base = appConfig.model_list.find((m) => m.model_id === modelId)?.model;
  if (!base || typeof caches === 'undefined') return null;
  try {
    const cache = await caches.open('webllm/model');
    let total = 0;
    for (const request of await cache.keys()) {
      if (!request.url.startsWith(base)) continue;
      total += Number((await cache.match(request))?.headers.get('content-length') ?? 0);
    }
    return total || null;
  } catch {
    return null;
  }
}

export function deleteWebLlmModel(modelId: string): Promise<void> {
  return deleteModelAllInfoInCache(modelId, appConfig);
}

/** The loaded model's token strings by id. WebLLM keeps its tokenizer private, so this reads it where it lives. */
function tokenTableOf(mlc: MLCEngine, modelId: string): string[] {
  const pipelines = (mlc as unknown as { loadedModelIdToPipeline?: Map<string, { tokenizer?: { getVocabSize(): number; idToToken(id: number): string } }> }).loadedModelIdToPipeline;
  const tokenizer = pipelines?.get(modelId)?.tokenizer;
  if (!tokenizer) return [];
  return Array.from({ length: tokenizer.getVocabSize() }, (_, id) => tokenizer.idToToken(id));
}

/** WebGPU engine: an MLCEngine created inside our worker (not WebLLM's own worker protocol). */
export class WebLlmEngine implements Engine {
  readonly info;
  /** logit_bias per option list, computed once from the vocabulary ({} where it cannot be read: the fallback then applies). */
  private readonly biases = new Map<string, Record<string, number>>();

  private constructor(private readonly mlc: MLCEngine, modelId: string) {
    this.info = { id: `webllm:${modelId}`, backend: 'webgpu' as const, model: modelId };
  }

  static async load(modelId: string, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<WebLlmEngine> {
    const mlc = new MLCEngine({ appConfig, initProgressCallback: (r) => onProgress(parseWebLlmProgress(r)) });
    signal?.addEventListener('abort', () => void mlc.unload());
    await mlc.reload(modelId);
    signal?.throwIfAborted();
    return new WebLlmEngine(mlc, modelId);
  }

  chat(req: ChatRequest, opts: CallOptions = {}): Promise<ChatResult> {
    const params = { stream: true, stream_options: { include_usage: true }, temperature: req.temperature, top_p: req.topP, max_tokens: req.maxTokens, seed: req.seed, frequency_penalty: 0, presence_penalty: 0 } as const;
    return this.readStream(() => this.mlc.chat.completions.create({ ...params, messages: req.messages }), (choice) => choice?.delta?.content ?? '', opts);
  }

  /**
   * WebLLM keeps each loaded model's chat config (with its `conv_template`) in a field it does not
   * export; it is read defensively, and a missing one is reported as "no template" (the user picks a family).
   */
  chatTemplate(): ChatTemplateSource | null {
    const configs = (this.mlc as unknown as { loadedModelIdToChatConfig?: Map<string, { conv_template?: ConversationTemplate }> }).loadedModelIdToChatConfig;
    const conv = configs?.get(this.info.model)?.conv_template;
    return conv && typeof conv.system_template === 'string' && conv.roles ? { kind: 'conversation', template: structuredClone(conv) } : null;
  }

  complete(req: CompletionRequest, opts: CallOptions = {}): Promise<ChatResult> {
    const params = { stream: true, stream_options: { include_usage: true }, temperature: req.temperature, top_p: req.topP, max_tokens: req.maxTokens, seed: req.seed, frequency_penalty: 0, presence_penalty: 0 } as const;
    const stop = req.stop?.length ? req.stop : undefined;
    return this.readStream(() => this.mlc.completions.create({ ...params, prompt: req.prompt, stop }), (choice) => choice?.text ?? '', opts);
  }

  /** Reads a streamed chat or raw completion: text as it comes, how it ended, and what it cost. */
  private async readStream<C extends { choices: { finish_reason?: string | null }[]; usage?: { prompt_tokens: number; completion_tokens: number } | null }>(
    open: () => Promise<AsyncIterable<C>>,
    textOf: (choice: C['choices'][number] | undefined) => string,
    opts: CallOptions,
  ): Promise<ChatResult> {
    const started = performance.now();
    const stop = () => void this.mlc.interruptGenerate();
    opts.signal?.addEventListener('abort', stop);
    try {
      let text = '';
      let finishReason: FinishReason = 'stop';
      let promptTokens = 0;
      let completionTokens = 0;
      for await (const chunk of await open()) {
        const choice = chunk.choices[0];
        const delta = textOf(choice);
        if (delta) {
          text += delta;
          opts.onToken?.(delta);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason === 'length' ? 'length' : choice.finish_reason === 'abort' ? 'abort' : 'stop';
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens;
          completionTokens = chunk.usage.completion_tokens;
        }
      }
      return { text, finishReason, promptTokens, completionTokens, ms: performance.now() - started };
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
  }

  private letterBias(options: string[]): Record<string, number> {
    const key = options.join('\u0000');
    let bias = this.biases.get(key);
    if (!bias) {
      try {
        bias = letterLogitBias(tokenTableOf(this.mlc, this.info.model), options);
      } catch {
        bias = {};
      }
      this.biases.set(key, bias);
    }
    return bias;
  }

  async choose(req: ChoiceRequest, options: string[], opts: { signal?: AbortSignal } = {}): Promise<ChoiceResult> {
    // Temperature 1, top-p 1 and no penalties, so the returned log-probabilities are the model's own.
    // WebLLM returns at most 5 alternatives, after logit_bias: the same bias on every letter token
    // puts the letters among them with their ratio intact (see letterLogitBias). No AbortSignal, but one token is quick.
    const bias = this.letterBias(options);
    const scoring = {
      stream: false, temperature: 1, top_p: 1, max_tokens: 1, logprobs: true, top_logprobs: 5, frequency_penalty: 0, presence_penalty: 0, repetition_penalty: 1,
      ...(Object.keys(bias).length ? { logit_bias: bias } : {}),
    } as const;
    const usageOf = (u?: { prompt_tokens: number; completion_tokens: number }) => ({ promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 });
    opts.signal?.throwIfAborted();
    return scoreThenConstrain(
      options,
      req.prompt !== undefined ? 'raw' : 'chat',
      async () => {
        const reply = req.prompt !== undefined
          ? await this.mlc.completions.create({ ...scoring, prompt: req.prompt })
          : await this.mlc.chat.completions.create({ ...scoring, messages: req.messages });
        return { top: parseTopLogprobs(reply.choices[0]?.logprobs), ...usageOf(reply.usage) };
      },
      async () => {
        // WebLLM's raw completion takes no grammar, so the fallback always uses the chat form.
        opts.signal?.throwIfAborted();
        const reply = await this.mlc.chat.completions.create({
          messages: req.messages,
          stream: false,
          temperature: 0,
          max_tokens: 1,
          response_format: { type: 'grammar', grammar: letterGrammar(options) },
        });
        return { text: reply.choices[0]?.message?.content ?? '', ...usageOf(reply.usage) };
      },
      () => performance.now(),
    );
  }

  async unload(): Promise<void> {
    await this.mlc.unload();
  }
}

/** The offered WebLLM models that are in the browser's cache. */
async function cachedWebLlmModels(): Promise<CachedModel[]> {
  const cached = await webLlmCached(gpuCatalogue(webLlmModelList()).map((m) => m.id));
  return cached.map(({ id, size }) => ({ backend: 'webgpu', key: id, label: id, size, ref: { backend: 'webgpu', modelId: id } }));
}

export const webLlmDriver: EngineDriver<WebLlmRef> = {
  load: (ref, onProgress, signal) => WebLlmEngine.load(ref.modelId, onProgress, signal),
  cached: cachedWebLlmModels,
  deleteCached: deleteWebLlmModel,
};
