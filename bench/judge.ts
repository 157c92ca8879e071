/**
 * Judge benchmark, run in Chromium by scripts/bench.mjs with the CPU engine and the tiny model:
 * the work one preference label costs (decode tokens and forward passes, from each order's stored
 * cost) in plain mode (raw completion form and chat form) and in chain-of-thought mode, over the
 * same answer pairs. Goal: plain ≤ 2 forward passes per comparison-order.
 */
import { harmlessConstitution } from '../src/core/builtins/constitution';
import { samplePromptSet } from '../src/core/builtins/prompts';
import type { Engine } from '../src/core/engine';
import { judgeBench, summarise, type JudgeBench } from '../src/core/judge';
import type { ImportedPair, JudgeMode, PreferenceRecord } from '../src/core/recipes/preference/types';
import { preferenceRunSpec, type PreferenceSourceChoice } from '../src/core/recipes/preference/spec';
import { ownRecords } from '../src/core/recipes/index';
import type { ModelRef } from '../src/core/types';
import { getRun, readRecords } from '../src/storage';
import { WllamaEngine } from '../src/worker/engines/wllama';
import { Runner } from '../src/worker/runner';

interface JudgeConfig {
  label: string;
  mode: JudgeMode;
  rawPrompt: boolean;
}

const CONFIGS: JudgeConfig[] = [
  { label: 'plain (raw form)', mode: 'plain', rawPrompt: true },
  { label: 'plain (chat form)', mode: 'plain', rawPrompt: false },
  { label: 'chain of thought', mode: 'cot', rawPrompt: true },
];

export interface JudgeBenchRow extends JudgeBench {
  config: string;
  /** Judge milliseconds per label (both orders of every principle). */
  msPerLabel: number;
  methods: Record<string, number>;
  positionConsistency: number | null;
}

async function runToEnd(engine: Engine, ref: ModelRef, source: PreferenceSourceChoice, config: JudgeConfig): Promise<PreferenceRecord[]> {
  const spec = preferenceRunSpec({
    source,
    judge: { model: ref, principlesPerComparison: 1, mode: config.mode, tieMargin: 0.05, rawPrompt: config.rawPrompt, reasoningMaxTokens: 48 },
    constitution: harmlessConstitution,
    seed: 5,
  });
  const runner = new Runner(async () => engine);
  const run = await runner.start(`judge bench: ${config.label}`, spec, () => undefined);
  // activeRunId clears as the run lock is released, so the next run can take it at once.
  while (runner.activeRunId !== null) await new Promise((r) => setTimeout(r, 5));
  const stored = await getRun(run.id);
  if (stored?.status !== 'done') throw new Error(`judge bench run ended ${stored?.status}: ${stored?.error ?? ''}`);
  return ownRecords('preference', await readRecords(run.id));
}

export async function runJudgeBench(modelUrl: string, comparisons = 4): Promise<JudgeBenchRow[]> {
  const ref = { backend: 'cpu' as const, kind: 'url' as const, url: new URL(modelUrl, location.href).href, name: 'stories260K.gguf' };
  const engine = await WllamaEngine.load(ref, () => undefined);
  // The candidates are sampled once; every judge configuration then judges the very same pairs.
  const sampled = await runToEnd(
    engine,
    ref,
    {
      kind: 'sampled',
      model: ref,
      promptSet: { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, comparisons) },
      temperatures: [0.7, 1.1],
      topP: 0.9,
      maxTokens: 48,
    },
    CONFIGS[0],
  );
  const pairs: ImportedPair[] = sampled.map((r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: r.candidates[0].text, answerB: r.candidates[1].text }));
  const rows: JudgeBenchRow[] = [];
  for (const config of CONFIGS) {
    const records = await runToEnd(engine, ref, { kind: 'imported', name: 'bench pairs', pairs }, config);
    const orders = records.flatMap((r) => r.judgements.flatMap((j) => j.orders));
    const methods: Record<string, number> = {};
    for (const order of orders) methods[order.method] = (methods[order.method] ?? 0) + 1;
    rows.push({
      config: config.label,
      ...judgeBench(records),
      msPerLabel: Math.round(orders.reduce((sum, o) => sum + o.cost.ms, 0) / Math.max(1, records.length)),
      methods,
      positionConsistency: summarise(records).positionConsistency,
    });
  }
  return rows;
}
