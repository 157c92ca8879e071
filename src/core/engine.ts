import type { Backend } from './engines';
import type { ChatMessage, FinishReason } from './types';

export interface ChatRequest {
  messages: ChatMessage[];
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
}

/** A raw completion: the engine continues `prompt` as it is, with no chat template around it. */
export interface CompletionRequest {
  prompt: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
  /** Texts that end the completion (not included in the result); end-of-generation tokens always do. */
  stop?: string[];
}

/**
 * A conversation template in the shape WebLLM's model configs give it (`conv_template`); only the
 * fields a user turn's opening needs.
 */
export interface ConversationTemplate {
  system_template: string;
  system_message: string;
  roles: Record<string, string>;
  role_templates?: Record<string, string>;
  seps: string[];
  role_content_sep?: string;
  role_empty_sep?: string;
  stop_str: string[];
}

/** The chat template the loaded model came with: a Jinja template (GGUF) or a conversation template (WebLLM). */
export type ChatTemplateSource = { kind: 'jinja'; template: string } | { kind: 'conversation'; template: ConversationTemplate };

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  /** Tokens the engine had to prefill for this request (cached prefix excluded where known). */
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

/**
 * A judge question whose answer is one letter. `messages` is the chat form (its last user turn asks
 * for a single letter) and every engine can run it. `prompt`, when given, is the raw completion form
 * ending "… The answer is: (", which an engine scores instead when it can take a raw prompt (both of
 * ours can). `messages` stays required because WebLLM can constrain generation only in chat form,
 * so its fallback needs it. Engines score with temperature 1, top-p 1 and no penalties, so the
 * returned log-probabilities are the model's own distribution.
 */
export interface ChoiceRequest {
  messages: ChatMessage[];
  prompt?: string;
}

/** One of the most likely next tokens, as the engine reported it. */
export interface TopToken {
  token: string;
  logprob: number;
}

/** Everything needed to recompute a judgement later: the raw alternatives, not just the result. */
export interface ChoiceResult {
  /** Next-token probability of each option (variants such as " A" summed); null = not among `top`. */
  probabilities: (number | null)[];
  /** The top alternatives of the scoring pass, unfiltered. */
  top: TopToken[];
  /** 'constrained': no option was among `top`, so one letter was generated under a grammar. */
  method: 'logprobs' | 'constrained';
  /** Which request form was scored. */
  form: 'raw' | 'chat';
  /** The option the constrained fallback produced (only with method 'constrained', if it matched). */
  chosen?: string;
  promptTokens: number;
  completionTokens: number;
  /** Model forward passes this call took (1 for scoring, plus the fallback's generated tokens). */
  forwardPasses: number;
  ms: number;
}

export interface EngineInfo {
  id: string;
  backend: Backend;
  model: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  onToken?: (text: string) => void;
}

/** A loaded model. Implementations: worker/engines/webllm.ts (GPU), worker/engines/wllama.ts (CPU). */
export interface Engine {
  readonly info: EngineInfo;
  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult>;
  /**
   * Continues a raw text (Magpie writes a user turn from the opening of one). Optional: an engine
   * that only speaks chat (e.g. a chat-only server) still runs every other recipe. Both of ours have it.
   */
  complete?(req: CompletionRequest, opts?: CallOptions): Promise<ChatResult>;
  /** The model's own chat template; null when the model file carries none. */
  chatTemplate?(): ChatTemplateSource | null;
  /**
   * Probability the model puts on each option (single letters) as its next token, for the judge.
   * Never invents a probability: an option absent from the returned alternatives is null, and when
   * every option is absent the engine generates one letter under a grammar instead.
   */
  choose(req: ChoiceRequest, options: string[], opts?: { signal?: AbortSignal }): Promise<ChoiceResult>;
  /**
   * Requests this engine serves at once (a server's slots, summed over servers). Absent = 1: the
   * in-browser engines make one record at a time, and the runner keeps that many records in flight.
   */
  readonly slots?: number;
  /**
   * Binds one record to one backing server, chosen least-busy, so all of the record's turns reuse
   * that server's prefix cache. The runner takes a lease per record in flight and releases it when
   * the record is done. Absent = every record uses this engine as it is.
   */
  lease?(): EngineLease;
  /** Tokens the loaded model's context holds (absent: unknown). */
  readonly contextTokens?: number;
  /**
   * Tokens a chat request of these messages takes, counted with the model's own tokenizer and chat
   * template. Optional: without it the run starts unchecked and overlong prompts are recorded as not processed.
   */
  countTokens?(messages: ChatMessage[]): Promise<number>;
}

/** One record's hold on one backing server (see `Engine.lease`). */
export interface EngineLease {
  readonly engine: Engine;
  release(): void;
}
