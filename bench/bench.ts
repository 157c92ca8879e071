/**
 * Spine benchmark, run in Chromium by scripts/bench.mjs with the CPU engine and the tiny model.
 * 1. Pipeline vs raw: the full runner (recipe, IndexedDB writes, event batching) against the same
 *    chat requests replayed straight into wllama, measured side by side (raw, pipeline, raw).
 * 2. Prefill: tokens the engine actually prefilled per record, against the minimum a perfect
 *    prefix cache would need (tokens of each request not shared with the previous conversation).
 * 3. Judge (bench/judge.ts): decode tokens and forward passes per preference label, plain vs
 *    chain-of-thought.
 * 4. Judge check (bench/judge-check.ts): labels per second, forward passes and prefill per label on LLMBar pairs.
 */
import { Wllama } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { ChatRequest, ChatResult, Engine } from '../src/core/engine';
import { critiqueRunSpec } from '../src/core/recipes/critique-revision/spec';
import { harmlessConstitution } from '../src/core/builtins/constitution';
import { samplePromptSet } from '../src/core/builtins/prompts';
import type { ChatMessage } from '../src/core/types';
import type { Run } from '../src/core/run';
import { WllamaEngine } from '../src/worker/engines/wllama';
import { Runner } from '../src/worker/runner';
import { getRun } from '../src/storage';
import { runJudgeBench } from './judge';
import { runJudgeCheckBench } from './judge-check';
import './datasets';
import './magpie';
import './run-growth';
import './gguf';
import './server';

const REPETITIONS = 3;

function medianRate(runs: { tokens: number; ms: number }[]): number {
  const rates = runs.map((r) => (r.tokens / r.ms) * 1000).sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

interface Logged {
  req: ChatRequest;
  res: ChatResult;
}

/** Wraps the engine to log each request with its result; the wrapper costs a push per request. */
function logging(engine: Engine, log: Logged[]): Engine {
  return {
    info: engine.info,
    choose: engine.choose.bind(engine),
    chat: async (req, opts) => {
      const res = await engine.chat(req, opts);
      log.push({ req, res });
      return res;
    },
  };
}

/** The same model straight in wllama, on the threads the engine chose. */
async function rawWllama(blob: Blob, threads: number): Promise<Wllama> {
  const w = new Wllama({ default: wasmUrl }, { suppressNativeLog: true });
  w.setCompat(null);
  await w.loadModel([blob], { n_ctx: 4096, n_gpu_layers: 0, n_threads: threads, chat_template: 'chatml' });
  return w;
}

/** The same requests, in order, straight into wllama: no recipe, no storage, no events. */
/** `stream`: token by token, as the pipeline asks for it (the live trace needs the tokens as they come). */
async function replay(w: Wllama, log: Logged[], stream = false): Promise<{ tokens: number; ms: number }> {
  const started = performance.now();
  let tokens = 0;
  for (const { req } of log) {
    const params = { messages: req.messages, temperature: req.temperature, top_p: req.topP, max_tokens: req.maxTokens, seed: req.seed, cache_prompt: true };
    if (stream) {
      for await (const chunk of await w.createChatCompletion({ ...params, stream: true })) tokens += chunk.timings?.predicted_n ?? 0;
    } else {
      tokens += (await w.createChatCompletion(params)).usage.completion_tokens;
    }
  }
  return { tokens, ms: performance.now() - started };
}

const chatml = (messages: ChatMessage[], open: boolean) =>
  messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + (open ? '<|im_start|>assistant\n' : '');

async function countTokens(w: Wllama, text: string, cache: Map<string, number>): Promise<number> {
  if (!text) return 0;
  const known = cache.get(text);
  if (known != null) return known;
  const r = await w.createCompletion({ prompt: text, max_tokens: 1, temperature: 0 });
  cache.set(text, r.usage.prompt_tokens);
  return r.usage.prompt_tokens;
}

function sharedMessages(a: ChatMessage[], b: ChatMessage[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n].role === b[n].role && a[n].content === b[n].content) n++;
  return n;
}

/** Minimum prefill of each request: its tokens minus those of the messages it shares with the last conversation. */
async function minimumPrefill(w: Wllama, log: Logged[]): Promise<number> {
  const cache = new Map<string, number>();
  let total = 0;
  let previous: ChatMessage[] = [];
  for (const { req, res } of log) {
    const shared = sharedMessages(req.messages, previous);
    const whole = await countTokens(w, chatml(req.messages, true), cache);
    const common = await countTokens(w, chatml(req.messages.slice(0, shared), false), cache);
    total += whole - common;
    previous = [...req.messages, { role: 'assistant', content: res.text }];
  }
  return total;
}

/** `size`: a smaller run for a model of real size (scripts/bench-gguf.mjs). */
async function runBench(modelUrl: string, prompts = 8, size = { rounds: 2, maxTokens: 96 }) {
  const blob = await (await fetch(modelUrl)).blob();
  const ref = { backend: 'cpu' as const, kind: 'url' as const, url: new URL(modelUrl, location.href).href, name: modelUrl.split('/').pop()! };
  const engine = await WllamaEngine.load(ref, () => undefined);
  const log: Logged[] = [];
  const spec = critiqueRunSpec({
    model: ref,
    constitution: harmlessConstitution,
    promptSet: { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, prompts) },
    rounds: size.rounds,
    seed: 11,
    fewShot: 0,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: size.maxTokens },
  });

  // Warm-up so neither side pays for first-call compilation.
  const raw = await rawWllama(blob, engine.runtime.threads);
  await raw.createChatCompletion({ messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 16 });
  await engine.chat({ messages: [{ role: 'user', content: 'Once upon a time' }], temperature: 0.7, topP: 0.9, maxTokens: 16 });

  // Interleaved repetitions (pipeline, raw, pipeline, raw, …) so machine noise hits both sides alike.
  const pipeline: { tokens: number; ms: number; prefill: number }[] = [];
  const rawRuns: { tokens: number; ms: number }[] = [];
  const rawStreamRuns: { tokens: number; ms: number }[] = [];
  let stored: Run | undefined;
  for (let rep = 0; rep < REPETITIONS; rep++) {
    log.length = 0;
    const runner = new Runner(async () => logging(engine, log));
    const started = performance.now();
    // Wait for the runner's own "done" event: polling the store would compete with its writes.
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const run = await runner.start(`bench ${rep}`, spec, (e) => {
      if (e.type === 'status' && e.run.status !== 'running') finished();
    });
    await done;
    stored = (await getRun(run.id))!;
    pipeline.push({ tokens: stored.stats.completionTokens, ms: performance.now() - started, prefill: stored.stats.promptTokens });
    rawRuns.push(await replay(raw, log));
    rawStreamRuns.push(await replay(raw, log, true));
  }
  const pipeTps = medianRate(pipeline);
  const rawTps = medianRate(rawRuns);
  const rawStreamTps = medianRate(rawStreamRuns);
  const minimum = await minimumPrefill(raw, log);
  await raw.exit();
  await engine.unload();
  return {
    threads: engine.runtime.threads,
    records: stored!.recordCount,
    requestsPerRun: log.length,
    repetitions: REPETITIONS,
    pipeline: { tokensPerRun: pipeline[0].tokens, msPerRun: pipeline.map((p) => Math.round(p.ms)), tokensPerSecond: Math.round(pipeTps) },
    raw: { tokensPerRun: rawRuns[0].tokens, msPerRun: rawRuns.map((p) => Math.round(p.ms)), tokensPerSecond: Math.round(rawTps) },
    rawStreaming: { tokensPerRun: rawStreamRuns[0].tokens, msPerRun: rawStreamRuns.map((p) => Math.round(p.ms)), tokensPerSecond: Math.round(rawStreamTps) },
    throughputRatio: +(pipeTps / rawTps).toFixed(3),
    throughputRatioStreaming: +(pipeTps / rawStreamTps).toFixed(3),
    prefill: {
      // The first repetition is the cold one: later ones may also hit llama.cpp's host-memory prompt
      // cache, which keeps earlier conversations, so they can fall below this minimum.
      actualPerRecord: +(pipeline[0].prefill / stored!.recordCount).toFixed(1),
      minimumPerRecord: +(minimum / stored!.recordCount).toFixed(1),
      ratio: +(pipeline[0].prefill / minimum).toFixed(3),
      laterRepetitionsRatio: pipeline.slice(1).map((p) => +(p.prefill / minimum).toFixed(3)),
    },
  };
}

Object.assign(window, { runBench, runJudgeBench, runJudgeCheckBench });
