import type { CallOptions, ChatRequest, ChatResult, ChoiceRequest, ChoiceResult, Engine } from '../../src/core/engine';

/**
 * A test-only Engine: replies with text computed from the request, records every request, and
 * counts prompt tokens as a KV-caching engine would (only what extends the previous conversation).
 */
export class ScriptedEngine implements Engine {
  readonly info = { id: 'scripted', backend: 'cpu' as const, model: 'scripted' };
  readonly requests: ChatRequest[] = [];
  private calls = 0;

  constructor(private reply: (req: ChatRequest, call: number) => string = (_r, n) => `reply ${n}`) {}

  async chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult> {
    if (opts?.signal?.aborted) return { text: '', finishReason: 'abort', promptTokens: 0, completionTokens: 0, ms: 0 };
    this.requests.push(structuredClone(req));
    const text = this.reply(req, this.calls++);
    for (const word of text.split(/(?<= )/)) opts?.onToken?.(word);
    const promptTokens = req.messages.reduce((n, m) => n + m.content.split(/\s+/).length, 0);
    return { text, finishReason: 'stop', promptTokens, completionTokens: text.split(/\s+/).length, ms: 1 };
  }

  async choose(_req: ChoiceRequest, options: string[]): Promise<ChoiceResult> {
    const p = 1 / options.length;
    return {
      probabilities: options.map(() => p),
      top: options.map((token) => ({ token, logprob: Math.log(p) })),
      method: 'logprobs',
      form: 'chat',
      promptTokens: 0,
      completionTokens: 1,
      forwardPasses: 1,
      ms: 0,
    };
  }
}
