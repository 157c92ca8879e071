/**
 * What connecting learns about one server: which server it is, its models, how many requests it
 * serves at once, its context, the most log-probability alternatives it returns, and the field that
 * constrains its output. Each fact comes from asking the server; defaults only where it cannot say.
 */
import { parseTopLogprobs } from '../core/judge';
import { getJson, request, type ServerAddress, type Transport } from './http';
import { KIND_FACTS, type ConstrainedField, type ServerKind } from './kinds';

export interface ServerFacts {
  baseUrl: string;
  kind: ServerKind;
  /** The model this engine uses on this server. */
  model: string;
  /** Every model the server lists at `/v1/models`. */
  models: string[];
  /** Requests served at once (reported by the server, else its default). */
  slots: number;
  /** Context size in tokens, when the server says. */
  contextSize: number | null;
  /** Most `top_logprobs` alternatives accepted, probed 512 → 20 → 5 → 0; 0 = none (hard labels only). */
  topLogprobs: number;
  /** The form the judge scores: raw `/v1/completions` where it returns log-probabilities, else chat. */
  logprobsForm: 'raw' | 'chat' | null;
  /** Whether `/v1/completions` (raw text continuation) exists. */
  completions: boolean;
  constrained: ConstrainedField;
  /** Plain sentences the page shows (hard labels only, silent truncation, …). */
  warnings: string[];
}

interface ModelList {
  data?: { id?: string; owned_by?: string; max_model_len?: number }[];
  models?: { model?: string; name?: string }[];
}

/** The log-probability caps tried, largest first (the note on endpoints says why these). */
export const LOGPROB_STEPS = [512, 20, 5] as const;

const OWNERS: Record<string, ServerKind> = { llamacpp: 'llama.cpp', vllm: 'vLLM', sglang: 'SGLang' };

interface KindProbe {
  kind: ServerKind;
  slots?: number;
  contextSize?: number | null;
}

/** Which server this is: from `owned_by` where it tells, else from paths only one kind has. */
async function detectKind(t: Transport, s: ServerAddress, list: ModelList, model: string, signal?: AbortSignal): Promise<KindProbe> {
  const entry = list.data?.find((m) => m.id === model);
  const owned = OWNERS[entry?.owned_by ?? ''];
  const props = await getJson<{ total_slots?: number; default_generation_settings?: { n_ctx?: number }; n_ctx?: number }>(t, s, '/props', signal);
  if (owned === 'llama.cpp' || props?.default_generation_settings || props?.total_slots) {
    return { kind: 'llama.cpp', slots: props?.total_slots, contextSize: props?.default_generation_settings?.n_ctx ?? props?.n_ctx ?? null };
  }
  if (owned === 'vLLM') return { kind: 'vLLM', contextSize: entry?.max_model_len ?? null };
  if (owned === 'SGLang') {
    const info = await getJson<{ max_running_requests?: number; context_length?: number }>(t, s, '/get_server_info', signal);
    return { kind: 'SGLang', slots: info?.max_running_requests, contextSize: entry?.max_model_len ?? info?.context_length ?? null };
  }
  if (await getJson<{ version?: string }>(t, s, '/api/version', signal).then((v) => typeof v?.version === 'string')) {
    return { kind: 'Ollama', contextSize: await ollamaContext(t, s, model, signal) };
  }
  const lms = await getJson<{ data?: { id?: string; loaded_context_length?: number; max_context_length?: number }[] }>(t, s, '/api/v0/models', signal);
  if (Array.isArray(lms?.data)) {
    const m = lms.data.find((d) => d.id === model);
    return { kind: 'LM Studio', contextSize: m?.loaded_context_length ?? m?.max_context_length ?? null };
  }
  return { kind: 'unknown', contextSize: entry?.max_model_len ?? null };
}

/** Ollama's context is `num_ctx` when the model sets it; otherwise the server default, which it does not report. */
async function ollamaContext(t: Transport, s: ServerAddress, model: string, signal?: AbortSignal): Promise<number | null> {
  const res = await request(t, s, '/api/show', { body: { model }, signal, pass: [400, 404, 405] });
  if (!res.ok) return null;
  const shown = (await res.json().catch(() => null)) as { parameters?: string } | null;
  const m = /num_ctx\s+(\d+)/.exec(shown?.parameters ?? '');
  return m ? Number(m[1]) : null;
}

async function hasCompletions(t: Transport, s: ServerAddress, model: string, signal?: AbortSignal): Promise<boolean> {
  const res = await request(t, s, '/v1/completions', { body: { model, prompt: 'Hello', max_tokens: 1 }, signal, pass: [400, 404, 405, 422, 501] });
  return res.ok;
}

/** The largest cap the server accepts and honours (a 400 steps down; a reply with none means 0). */
async function probeLogprobs(t: Transport, s: ServerAddress, model: string, form: 'raw' | 'chat', signal?: AbortSignal): Promise<number> {
  for (const n of LOGPROB_STEPS) {
    const body = form === 'raw'
      ? { model, prompt: 'The answer is: (', max_tokens: 1, temperature: 1, logprobs: n }
      : { model, messages: [{ role: 'user', content: 'Answer with one letter: A or B?' }], max_tokens: 1, temperature: 1, logprobs: true, top_logprobs: n };
    const res = await request(t, s, form === 'raw' ? '/v1/completions' : '/v1/chat/completions', { body, signal, pass: [400, 422] });
    if (!res.ok) continue;
    const reply = (await res.json().catch(() => null)) as { choices?: { logprobs?: unknown }[] } | null;
    return parseTopLogprobs(reply?.choices?.[0]?.logprobs).length > 0 ? n : 0;
  }
  return 0;
}

function warningsFor(f: Omit<ServerFacts, 'warnings'>): string[] {
  const out: string[] = [];
  if (f.topLogprobs === 0) {
    out.push('The judge can only give hard labels here: this server returns no log-probabilities, so each verdict is one constrained letter, not a probability.');
  } else if (f.topLogprobs < 20) {
    out.push(`Only ${f.topLogprobs} alternatives per token: the judge will often miss a letter and fall back to hard labels.`);
  }
  if (f.kind === 'Ollama') {
    out.push(`Ollama silently truncates a conversation longer than its context (num_ctx${f.contextSize ? ` = ${f.contextSize}` : ''}) instead of failing: raise num_ctx (or OLLAMA_CONTEXT_LENGTH) above your longest conversation.`);
  }
  if (f.kind === 'Ollama' && f.slots === 1) out.push('Ollama serves one request at a time by default; OLLAMA_NUM_PARALLEL raises it.');
  if (!f.completions) out.push('No raw completions (/v1/completions): Magpie cannot run on this server; every other recipe can.');
  return out;
}

/** Asks one server everything the engine needs; fails with the typed errors of `http.ts`. */
export async function probeServer(t: Transport, s: ServerAddress, wanted: string | undefined, signal?: AbortSignal): Promise<ServerFacts> {
  const list = (await (await request(t, s, '/v1/models', { signal })).json().catch(() => ({}))) as ModelList;
  const models = (list.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  const model = wanted || models[0];
  if (!model) throw new Error(`The server at ${s.baseUrl} lists no models at /v1/models: give the model id.`);
  const kind = await detectKind(t, s, list, model, signal);
  const completions = await hasCompletions(t, s, model, signal);
  let logprobsForm: 'raw' | 'chat' = completions ? 'raw' : 'chat';
  let topLogprobs = await probeLogprobs(t, s, model, logprobsForm, signal);
  if (topLogprobs === 0 && logprobsForm === 'raw') {
    logprobsForm = 'chat';
    topLogprobs = await probeLogprobs(t, s, model, 'chat', signal);
  }
  const facts = {
    baseUrl: s.baseUrl, kind: kind.kind, model, models,
    slots: Math.max(1, kind.slots ?? KIND_FACTS[kind.kind].defaultSlots),
    contextSize: kind.contextSize ?? null, topLogprobs, logprobsForm: topLogprobs > 0 ? logprobsForm : null,
    completions, constrained: KIND_FACTS[kind.kind].constrained,
  };
  return { ...facts, warnings: warningsFor(facts) };
}
