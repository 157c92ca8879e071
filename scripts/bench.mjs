// `npm run bench`: builds bench/, serves it, and runs it in headless Chromium with the tiny model.
// Prints the figures measured side by side in one run; never part of `npm test`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { datasetBench } from './bench-datasets.mjs';
import { openBenchPage, root } from './bench-page.mjs';
import { runGrowthBench } from './bench-run-growth.mjs';
import { ggufBench, ggufBenchModel } from './bench-gguf.mjs';
import { longTaskBench } from './bench-longtasks.mjs';
import { serverBench } from './bench-server.mjs';

const model = path.resolve(root, '..', 'shared', 'models', 'stories260K.gguf');
if (!existsSync(model)) {
  console.log('skipping bench: ../shared/models/stories260K.gguf not found');
  process.exit(0);
}
// LLMBar pairs for the judge-check figures; those are skipped where the file is absent.
const llmbar = path.resolve(root, '..', 'shared', 'reference', 'llmbar', 'natural.json');
// BENCH_ONLY picks one part (spine: the pipeline figures; judge-check; magpie; gguf: a model of real
// size, threads, native llama.cpp, GPU; server: a real llama-server, the page's pipeline and the CLI);
// unset runs them all.
const only = process.env.BENCH_ONLY;
// The model of real size is written once (~145 MB) into a cache folder outside git.
const realModel = !only || only === 'gguf' ? ggufBenchModel(model) : null;
const files = [model, ...(existsSync(llmbar) ? [llmbar] : []), ...(realModel ? [realModel] : [])];
const { page, close } = await openBenchPage(files, { webgpu: true });
try {
  page.on('console', (m) => m.type() === 'log' && console.log('page:', m.text()));
  await page.waitForFunction(() => 'runBench' in window);
  if (!only || only === 'spine') {
    const result = await page.evaluate(() => window.runBench('./stories260K.gguf', 8));
    console.log(JSON.stringify(result, null, 2));
    console.log(`pipeline/raw tokens per second: ${result.throughputRatio} against one-shot generation, ${result.throughputRatioStreaming} against the engine's own streaming (goal >= 0.97)`);
    console.log(`prefill per record, actual/minimum: ${result.prefill.ratio} (goal <= 1.2)`);
  }
  if (!only) await judgeAndDatasets(page);
  if (!only || only === 'judge-check') await judgeCheck(page);
  if (only === 'magpie') await magpieBench(page);
  if (realModel) await realSizeBench(page, realModel);
  if (!only || only === 'server') await serverBench(page, model);
} finally {
  await close();
}
// The built app itself (not the bench page): main-thread long tasks during an import and a run.
if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'longtasks') await longTaskBench(model);

async function realSizeBench(page, file) {
  const g = await ggufBench(page, file);
  // The pipeline on the model of real size: fewer, shorter requests (its decode is ~100x slower).
  const r = await page.evaluate((u) => window.runBench(u, 2, { rounds: 1, maxTokens: 32 }), `./${path.basename(file)}`);
  console.log(JSON.stringify({ ...r, gguf: g }));
  console.log(`gguf: pipeline/raw tokens per second on the model of real size (${r.threads} threads): ${r.throughputRatio} against one-shot generation, ${r.throughputRatioStreaming} against streaming (goal >= 0.97)`);
}

async function judgeAndDatasets(page) {
  const judge = await page.evaluate(() => window.runJudgeBench('./stories260K.gguf', 4));
  console.log('judge: work per preference label (1 principle, both orders), same pairs for every mode');
  console.table(
    judge.map((r) => ({
      mode: r.config,
      labels: r.labels,
      orders: r.orders,
      'decode tok/label': +r.decodeTokensPerLabel.toFixed(2),
      'fwd passes/label': +r.forwardPassesPerLabel.toFixed(2),
      'fwd passes/order': +r.forwardPassesPerOrder.toFixed(2),
      'max fwd/order': r.maxForwardPassesPerOrder,
      'ms/label': r.msPerLabel,
      methods: Object.entries(r.methods).map(([m, n]) => `${m} ${n}`).join(', '),
      'orders agree': r.positionConsistency === null ? '-' : `${Math.round(r.positionConsistency * 100)}%`,
    })),
  );
  const plain = judge.filter((r) => r.config.startsWith('plain'));
  const worst = Math.max(...plain.map((r) => r.maxForwardPassesPerOrder));
  console.log(`judge, plain: at most ${worst} forward passes per comparison-order (goal <= 2)`);

  await datasetBench(page);
  await magpieBench(page);
  await runGrowthBench(page);
}

async function magpieBench(page) {
  const m = await page.evaluate(() => window.runMagpieBench('./stories260K.gguf', 40));
  console.log('magpie: user turns from the pre-query, through the runner, filters and storage');
  console.log(JSON.stringify(m));
  console.log(`magpie: ${m.keptPerMinute} prompts kept per minute after the filters, ${m.tokensPerKept ?? '-'} generated tokens per kept prompt (kept ${m.kept} of ${m.samples}, share ${m.keptShare})`);
}

async function judgeCheck(page) {
  if (!existsSync(llmbar)) {
    console.log('skipping judge-check bench: ../shared/reference/llmbar/natural.json not found');
    return;
  }
  const r = await page.evaluate(() => window.runJudgeCheckBench('./stories260K.gguf', './natural.json', 8, 2));
  console.log(`judge check (${r.labels} LLMBar pairs, ${r.principlesPerLabel} principles, both orders): ${JSON.stringify(r)}`);
  console.log(`judge check: ${r.labelsPerSecond} labels/s, ${r.forwardPassesPerLabel} forward passes per label, prefill per label ${r.prefillPerLabel} tokens against a minimum of ${r.minimumPrefillPerLabel}: ratio ${r.prefillRatio} (goal <= 1.2)`);
  const { thisOrder, ordersBackToBack } = r.lastPromptCachePerLabel;
  console.log(`judge check, question order: ${thisOrder} tokens per label to prefill with a last-prompt cache when every principle is asked in one order then the other, ${ordersBackToBack} with each principle's two orders back to back`);
}
