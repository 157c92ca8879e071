/**
 * Judge-check benchmark, run in Chromium by scripts/bench.mjs with the CPU engine and the tiny
 * model on LLMBar pairs: labels per second, forward passes per label, and the tokens the engine
 * prefilled per label against the minimum (each prompt's tokens not shared with an earlier prompt,
 * i.e. a perfect prefix cache). Goal: prefill ≤ 1.2 × the minimum.
 */
import { Wllama } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { harmlessConstitution } from '../src/core/builtins/constitution';
import type { ChoiceRequest, Engine } from '../src/core/engine';
import { parsePairsFile } from '../src/core/formats/pairs';
import { judgeBench } from '../src/core/judge';
import { ownRecords } from '../src/core/recipes/index';
import { judgeCheckSpec } from '../src/core/recipes/judge-check/spec';
import { getRun, readRecords } from '../src/storage';
import { WllamaEngine } from '../src/worker/engines/wllama';
import { Runner } from '../src/worker/runner';

function logging(engine: Engine, log: ChoiceRequest[]): Engine {
  return {
    info: engine.info,
    chat: engine.chat.bind(engine),
    choose: (req, options, opts) => {
      log.push(req);
      return engine.choose(req, options, opts);
    },
  };
}

function sharedPrefix(a: string, b: string): string {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return a.slice(0, n);
}

/**
 * Tokens to prefill: each prompt minus its longest prefix shared with an earlier one — any earlier
 * one (a perfect prefix cache: the minimum), or only the one just before (a cache that keeps the
 * last conversation, as llama.cpp's slot does).
 */
async function prefillTokens(w: Wllama, prompts: string[], lastOnly: boolean): Promise<number> {
  const cache = new Map<string, number>();
  const count = async (text: string) => {
    if (!text) return 0;
    if (!cache.has(text)) cache.set(text, (await w.createCompletion({ prompt: text, max_tokens: 1, temperature: 0 })).usage.prompt_tokens);
    return cache.get(text)!;
  };
  let total = 0;
  for (const [i, prompt] of prompts.entries()) {
    const longest = prompts.slice(lastOnly ? Math.max(0, i - 1) : 0, i).reduce((best, earlier) => {
      const shared = sharedPrefix(prompt, earlier);
      return shared.length > best.length ? shared : best;
    }, '');
    total += (await count(prompt)) - (await count(longest));
  }
  return total;
}

/** The order questions were asked in before: each principle's two orders back to back. */
function interleaved(prompts: string[], principles: number): string[] {
  const out: string[] = [];
  for (let label = 0; label < prompts.length; label += 2 * principles) {
    const mine = prompts.slice(label, label + 2 * principles);
    for (let p = 0; p < principles; p++) out.push(mine[p], mine[principles + p]);
  }
  return out;
}

export async function runJudgeCheckBench(modelUrl: string, pairsUrl: string, pairs = 8, principles = 2) {
  const blob = await (await fetch(modelUrl)).blob();
  const ref = { backend: 'cpu' as const, kind: 'url' as const, url: new URL(modelUrl, location.href).href, name: 'stories260K.gguf' };
  const engine = await WllamaEngine.load(ref, () => undefined);
  const parsed = parsePairsFile(await (await fetch(pairsUrl)).text());
  const spec = judgeCheckSpec({
    name: 'natural.json',
    pairs: parsed.pairs,
    limit: pairs,
    judge: { model: ref, principlesPerComparison: principles, mode: 'plain', tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 32 },
    constitution: harmlessConstitution,
    seed: 7,
  });
  const log: ChoiceRequest[] = [];
  const runner = new Runner(async () => logging(engine, log));
  const started = performance.now();
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const run = await runner.start('judge-check bench', spec, (e) => {
    if (e.type === 'status' && e.run.status !== 'running') finished();
  });
  await done;
  const ms = performance.now() - started;
  const stored = await getRun(run.id);
  if (stored?.status !== 'done') throw new Error(`judge-check bench run ended ${stored?.status}: ${stored?.error ?? ''}`);
  const records = ownRecords('judge-check', await readRecords(run.id));
  const orders = records.flatMap((r) => r.judgements.flatMap((j) => j.orders));
  const actual = orders.reduce((s, o) => s + o.cost.promptTokens, 0);
  const prompts = log.map((r) => r.prompt ?? '');
  const w = new Wllama({ default: wasmUrl }, { suppressNativeLog: true });
  w.setCompat(null);
  await w.loadModel([blob], { n_ctx: 4096, n_gpu_layers: 0, n_threads: 1 });
  const minimum = await prefillTokens(w, prompts, false);
  const asked = await prefillTokens(w, prompts, true);
  const before = await prefillTokens(w, interleaved(prompts, principles), true);
  await w.exit();
  return {
    labels: records.length,
    principlesPerLabel: principles,
    labelsPerSecond: +((records.length / ms) * 1000).toFixed(2),
    forwardPassesPerLabel: judgeBench(records).forwardPassesPerLabel,
    methods: orders.reduce<Record<string, number>>((m, o) => ({ ...m, [o.method]: (m[o.method] ?? 0) + 1 }), {}),
    prefillPerLabel: +(actual / records.length).toFixed(1),
    minimumPrefillPerLabel: +(minimum / records.length).toFixed(1),
    prefillRatio: +(actual / minimum).toFixed(3),
    /** With a cache of the last prompt only: this order, and each principle's two orders back to back. */
    lastPromptCachePerLabel: { thisOrder: +(asked / records.length).toFixed(1), ordersBackToBack: +(before / records.length).toFixed(1) },
  };
}
