/**
 * One OpenAI-compatible server as an `Engine`: streamed chat, raw completion where the server has
 * `/v1/completions`, and the judge's `choose` through log-probabilities with the server's own
 * constrained-output field as the fallback.
 */
import type {
  CallOptions, ChatRequest, ChatResult, ChoiceRequest, ChoiceResult, CompletionRequest, Engine, EngineInfo,
} from '../core/engine';
import { letterGrammar, parseTopLogprobs, scoreThenConstrain } from '../core/judge';
import { EndpointHttpError } from './errors';
import { request, type ServerAddress, type Transport } from './http';
import { constrainedAnswer, constrainedFields, constrainsRaw } from './kinds';
import { readCompletion, tokensOf, type Usage } from './stream';
import type { ServerFacts } from './facts';

interface NonStreamed {
  choices?: { text?: string; message?: { content?: string | null }; logprobs?: unknown }[];
  usage?: Usage;
  timings?: { prompt_n?: number; predicted_n?: number };
}

const now = () => performance.now();

export class ServerEngine implements Engine {
  readonly info: EngineInfo;
  readonly slots: number;
  /** Requests now waiting on this server. */
  inFlight = 0;
  /** Records now bound to this server (see `EndpointEngine.lease`). */
  leases = 0;
  private readonly address: ServerAddress;

  constructor(
    private readonly t: Transport,
    readonly facts: ServerFacts,
    apiKey: string | undefined,
  ) {
    this.info = { id: `server:${facts.baseUrl}:${facts.model}`, backend: 'server', model: facts.model };
    this.slots = facts.slots;
    this.address = { baseUrl: facts.baseUrl, apiKey, kind: facts.kind };
    // Only present when the server has the raw form; recipes check for it.
    if (!facts.completions) this.complete = undefined;
  }

  /** Fields only llama-server reads: keep the conversation's prefix in its cache. */
  private extras(): Record<string, unknown> {
    return this.facts.kind === 'llama.cpp' ? { cache_prompt: true } : {};
  }

  private async counted<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }

  private post(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    return request(this.t, this.address, path, { body: { model: this.facts.model, ...this.extras(), ...body }, signal });
  }

  private async postJson(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<NonStreamed> {
    const res = await this.post(path, body, signal);
    try {
      return (await res.json()) as NonStreamed;
    } catch {
      throw new EndpointHttpError(this.facts.baseUrl, res.status, `The server at ${this.facts.baseUrl} answered ${path} with something that is not JSON.`);
    }
  }

  chat(req: ChatRequest, opts: CallOptions = {}): Promise<ChatResult> {
    const body = {
      messages: req.messages, stream: true, stream_options: { include_usage: true },
      temperature: req.temperature, top_p: req.topP, max_tokens: req.maxTokens, ...(req.seed !== undefined ? { seed: req.seed } : {}),
    };
    return this.counted(() => readCompletion(this.facts.baseUrl, () => this.post('/v1/chat/completions', body, opts.signal), opts, now));
  }

  complete?(req: CompletionRequest, opts: CallOptions = {}): Promise<ChatResult> {
    const body = {
      prompt: req.prompt, stream: true, stream_options: { include_usage: true },
      temperature: req.temperature, top_p: req.topP, max_tokens: req.maxTokens,
      ...(req.seed !== undefined ? { seed: req.seed } : {}), ...(req.stop?.length ? { stop: req.stop } : {}),
    };
    return this.counted(() => readCompletion(this.facts.baseUrl, () => this.post('/v1/completions', body, opts.signal), opts, now));
  }

  async choose(req: ChoiceRequest, options: string[], opts: { signal?: AbortSignal } = {}): Promise<ChoiceResult> {
    return this.counted(() => this.scoreOrConstrain(req, options, opts.signal));
  }

  private scoreOrConstrain(req: ChoiceRequest, options: string[], signal?: AbortSignal): Promise<ChoiceResult> {
    const { facts } = this;
    const raw = req.prompt !== undefined && facts.completions && facts.logprobsForm === 'raw' ? req.prompt : undefined;
    // Temperature 1 and top-p 1, so the returned probabilities are the model's own distribution.
    const scoring = { max_tokens: 1, temperature: 1, top_p: 1, frequency_penalty: 0, presence_penalty: 0 };
    const fields = constrainedFields(facts.constrained, options, letterGrammar(options));
    // The JSON-schema form spends a few tokens on `{"answer":"A"}`; the others produce the letter alone.
    const forced = { temperature: 0, max_tokens: facts.constrained === 'response_format' ? 16 : 1, ...fields };
    const rawConstrained = req.prompt !== undefined && facts.completions && constrainsRaw(facts.constrained);
    return scoreThenConstrain(
      options,
      raw !== undefined ? 'raw' : 'chat',
      async () => {
        // No log-probabilities at all (LM Studio): straight to the constrained letter.
        if (facts.topLogprobs === 0) return { top: [], promptTokens: 0, completionTokens: 0 };
        const reply = raw !== undefined
          ? await this.postJson('/v1/completions', { ...scoring, prompt: raw, logprobs: facts.topLogprobs }, signal)
          : await this.postJson('/v1/chat/completions', { ...scoring, messages: req.messages, logprobs: true, top_logprobs: facts.topLogprobs }, signal);
        return { top: parseTopLogprobs(reply.choices?.[0]?.logprobs), ...tokensOf(reply.usage, reply.timings) };
      },
      async () => {
        const reply = rawConstrained
          ? await this.postJson('/v1/completions', { ...forced, prompt: req.prompt }, signal)
          : await this.postJson('/v1/chat/completions', { ...forced, messages: req.messages }, signal);
        const choice = reply.choices?.[0];
        const text = constrainedAnswer(facts.constrained, choice?.text ?? choice?.message?.content ?? '');
        return { text, ...tokensOf(reply.usage, reply.timings) };
      },
      now,
    );
  }
}
