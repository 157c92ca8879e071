/**
 * Speed of the CPU engine on a model of real size (scripts/make-bench-gguf.mjs): prefill and decode
 * tokens/s per thread count, and whether a GPU offload engages. Driven step by step from
 * scripts/bench-gguf.mjs, so the steps of different configurations (and native llama.cpp) interleave.
 */
import type { Wllama } from '@wllama/wllama';
import { offloadedToGpu } from '../src/core/engines/cpu-plan';
import { newWllama } from '../src/worker/engines/wllama-runtime';

const loaded = new Map<string, Wllama>();
const blobs = new Map<string, Blob>();

async function modelBlob(url: string): Promise<Blob> {
  let blob = blobs.get(url);
  if (!blob) {
    blob = await (await fetch(url)).blob();
    blobs.set(url, blob);
  }
  return blob;
}

/** Loads the model as the engine does (same context size), under `key`, on `threads` threads. */
async function ggufLoad(key: string, url: string, threads: number, gpu: boolean) {
  await loaded.get(key)?.exit();
  const log: string[] = [];
  const w = newWllama(gpu ? log : null);
  const started = performance.now();
  await w.loadModel([await modelBlob(url)], { n_ctx: 4096, n_threads: threads, n_gpu_layers: gpu ? 999 : 0, chat_template: 'chatml' });
  loaded.set(key, w);
  return { threads: w.getNumThreads(), multiThread: w.isMultithread(), loadMs: Math.round(performance.now() - started), onGpu: offloadedToGpu(log), isolated: self.crossOriginIsolated };
}

/** One measurement: a fresh prompt of `words` words, then `decode` generated tokens. */
async function ggufMeasure(key: string, words: number, decode: number, salt: number) {
  const w = loaded.get(key);
  if (!w) throw new Error(`bench: no model loaded as ${key}`);
  // A different first word each time, so nothing comes from the prompt cache.
  const prompt = [`s${salt}`, ...Array.from({ length: words - 1 }, (_, i) => `w${i}`)].join(' ');
  const r = await w.createCompletion({ prompt, max_tokens: decode, temperature: 0.7, seed: salt });
  const t = r.timings!;
  return { promptTokens: t.prompt_n, prefillTps: t.prompt_per_second, decodeTokens: t.predicted_n, decodeTps: t.predicted_per_second };
}

async function ggufUnloadAll() {
  for (const w of loaded.values()) await w.exit();
  loaded.clear();
}

Object.assign(window, { ggufLoad, ggufMeasure, ggufUnloadAll });
