import type { CallOptions, ChatRequest, ChatResult, ChoiceRequest, ChoiceResult, Engine, TopToken } from '../../src/core/engine';
import { scoreThenConstrain } from '../../src/core/judge';

/** What a scripted judge sees: the scored text and which option (A) and (B) hold. */
export interface JudgeView {
  text: string;
  optionA: string;
  optionB: string;
  form: 'raw' | 'chat';
}

/** Top alternatives for one scoring pass. */
export type TopScript = (view: JudgeView) => TopToken[];

/** Builds top alternatives from plain probabilities, as an engine would report them. */
export function tops(probabilities: Record<string, number>): TopToken[] {
  return Object.entries(probabilities).map(([token, p]) => ({ token, logprob: Math.log(p) }));
}

/**
 * A test-only Engine whose next-token log-probabilities are known. `choose` runs the same
 * score-then-constrain flow as the real engines (one scoring pass, grammar fallback only when no
 * letter is listed) and counts forward passes honestly: one per scored or generated token.
 */
export class LogprobEngine implements Engine {
  readonly info = { id: 'logprob', backend: 'cpu' as const, model: 'logprob-judge' };
  readonly choices: ChoiceRequest[] = [];
  readonly chats: ChatRequest[] = [];
  forwardPasses = 0;
  decodeTokens = 0;

  constructor(
    private readonly script: TopScript,
    private readonly options: {
      /** Text for chat calls (candidates, reasoning). */
      reply?: (req: ChatRequest, call: number) => string;
      /** Letter the grammar-constrained fallback produces. */
      forcedLetter?: (view: JudgeView) => string;
      /** Whether the engine scores the raw form when offered. */
      raw?: boolean;
    } = {},
  ) {}

  async chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult> {
    if (opts?.signal?.aborted) return { text: '', finishReason: 'abort', promptTokens: 0, completionTokens: 0, ms: 0 };
    this.chats.push(structuredClone(req));
    const text = (this.options.reply ?? ((_r, n) => `reply ${n}`))(req, this.chats.length - 1);
    const words = text.split(/(?<= )/);
    for (const word of words) opts?.onToken?.(word);
    this.forwardPasses += Math.max(1, words.length);
    this.decodeTokens += words.length;
    return { text, finishReason: 'stop', promptTokens: 10, completionTokens: words.length, ms: 1 };
  }

  async choose(req: ChoiceRequest, options: string[]): Promise<ChoiceResult> {
    this.choices.push(structuredClone(req));
    const view = viewOf(req, this.options.raw ?? true);
    const result = await scoreThenConstrain(
      options,
      view.form,
      async () => ({ top: this.script(view), promptTokens: 50, completionTokens: 1 }),
      async () => ({ text: this.options.forcedLetter?.(view) ?? 'A', promptTokens: 50, completionTokens: 1 }),
      () => 0,
    );
    this.forwardPasses += result.forwardPasses;
    this.decodeTokens += result.completionTokens;
    return result;
  }
}

/** Reads the options back out of the judge's text (the first "Option (A):" block of the body). */
function viewOf(req: ChoiceRequest, raw: boolean): JudgeView {
  const form = raw && req.prompt !== undefined ? 'raw' : 'chat';
  const text = form === 'raw' ? (req.prompt as string) : req.messages.map((m) => m.content).join('\n\n');
  const a = /Option \(A\):\n([\s\S]*?)\n\nOption \(B\):/.exec(text)?.[1] ?? '';
  const b = /Option \(B\):\n([\s\S]*?)\n\nQuestion:/.exec(text)?.[1] ?? '';
  return { text, optionA: a, optionB: b, form };
}
