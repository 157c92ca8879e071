/**
 * Magpie benchmark, run in Chromium by scripts/bench.mjs with the CPU engine and the tiny model:
 * the whole recipe through the runner (raw completion, filters, storage), reporting prompts kept
 * after the filters per minute and generated tokens per kept prompt. The tiny model is a base model
 * that never ends a turn, so turns end at a line break (as the form offers for such models).
 */
import { magpieRunSpec } from '../src/core/recipes/magpie/spec';
import { ownRecords } from '../src/core/recipes/index';
import type { MagpieDropReason } from '../src/core/recipes/magpie/types';
import { getRun, readRecords } from '../src/storage';
import { WllamaEngine } from '../src/worker/engines/wllama';
import { Runner } from '../src/worker/runner';

export interface MagpieBench {
  samples: number;
  kept: number;
  drops: Partial<Record<MagpieDropReason, number>>;
  ms: number;
  keptPerMinute: number;
  tokensPerKept: number | null;
  keptShare: number;
}

async function runMagpieBench(modelUrl: string, samples = 40): Promise<MagpieBench> {
  const ref = { backend: 'cpu' as const, kind: 'url' as const, url: new URL(modelUrl, location.href).href, name: 'stories260K.gguf' };
  const engine = await WllamaEngine.load(ref, () => undefined);
  const spec = magpieRunSpec({
    model: ref, template: { kind: 'family', family: 'chatml' }, samples, seed: 9, sampling: { temperature: 1, topP: 1, maxTokens: 48 },
    systemPrompt: '', topics: [], personas: [], stopAtLineBreak: true, answers: null, metric: 'rouge-l', threshold: 0.7, minChars: 10, reference: null,
  });
  const runner = new Runner(async () => engine);
  const started = performance.now();
  const run = await runner.start('magpie bench', spec, () => undefined);
  while (runner.activeRunId !== null) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - started;
  const records = ownRecords('magpie', await readRecords(run.id));
  if ((await getRun(run.id))?.status !== 'done') throw new Error('the Magpie bench run did not finish');
  await engine.unload();
  const kept = records.filter((r) => !r.drop).length;
  const tokens = records.reduce((n, r) => n + r.usage.completionTokens, 0);
  const drops: Partial<Record<MagpieDropReason, number>> = {};
  for (const r of records) if (r.drop) drops[r.drop.reason] = (drops[r.drop.reason] ?? 0) + 1;
  return {
    samples,
    kept,
    drops,
    ms: Math.round(ms),
    keptPerMinute: +((kept / ms) * 60_000).toFixed(1),
    tokensPerKept: kept ? +(tokens / kept).toFixed(1) : null,
    keptShare: +(kept / samples).toFixed(3),
  };
}

Object.assign(window, { runMagpieBench });
