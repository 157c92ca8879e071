import type { Backend, ChatMessage, FinishReason } from './types';

export interface ChatRequest {
  messages: ChatMessage[];
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
}

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  /** Tokens the engine had to prefill for this request (cached prefix excluded where known). */
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

export interface ChoiceRequest {
  messages: ChatMessage[];
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
  /** Probability the model puts on each option as its next token (for the judge). */
  choose(req: ChoiceRequest, options: string[], opts?: { signal?: AbortSignal }): Promise<number[]>;
}
