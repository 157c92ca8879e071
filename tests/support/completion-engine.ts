import type { CallOptions, ChatResult, ChatTemplateSource, CompletionRequest } from '../../src/core/engine';
import { ScriptedEngine } from './scripted-engine';

/**
 * A test-only Engine that also continues raw text (Magpie): `write` gives the completion for each
 * call; a stop text inside it cuts the completion there, as a real engine's stop does.
 */
export class CompletionEngine extends ScriptedEngine {
  readonly completions: CompletionRequest[] = [];

  constructor(
    private readonly write: (req: CompletionRequest, call: number) => { text: string; finish?: 'stop' | 'length' },
    answer: (call: number) => string = (n) => `answer ${n}`,
    private readonly template: ChatTemplateSource | null = null,
  ) {
    super((_req, n) => answer(n));
  }

  chatTemplate(): ChatTemplateSource | null {
    return this.template;
  }

  async complete(req: CompletionRequest, opts?: CallOptions): Promise<ChatResult> {
    if (opts?.signal?.aborted) return { text: '', finishReason: 'abort', promptTokens: 0, completionTokens: 0, ms: 0 };
    this.completions.push(structuredClone(req));
    const out = this.write(req, this.completions.length - 1);
    let text = out.text;
    for (const stop of req.stop ?? []) {
      const at = text.indexOf(stop);
      if (at >= 0) text = text.slice(0, at);
    }
    opts?.onToken?.(text);
    return { text, finishReason: out.finish ?? 'stop', promptTokens: req.prompt.length, completionTokens: text.split(/\s+/).filter(Boolean).length, ms: 1 };
  }
}
