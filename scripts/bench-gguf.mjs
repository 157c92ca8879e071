// GGUF speed on a model of real size (random weights, scripts/make-bench-gguf.mjs): wllama on one
// thread against all threads, wllama against native llama.cpp (node-llama-cpp, installed into a cache
// folder outside the app), the pipeline against raw wllama, and WebGPU where llama.cpp takes the adapter.
// Steps of every configuration interleave, so a load spike from other work hits them alike; figures
// are medians over the repetitions and the machine's load average is printed with them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { benchModel, cacheDir } from './make-bench-gguf.mjs';

const NATIVE_VERSION = '3.22.1';
const WORDS = 128; // ≈ 400 prompt tokens with the padded tiny tokenizer
const DECODE = 32;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 1) => (x == null || Number.isNaN(x) ? null : +x.toFixed(d));
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

/** The benchmark model (written on first use), or null with a reason. */
export function ggufBenchModel(tokenizerFrom) {
  const size = process.env.BENCH_GGUF_SIZE || '135m';
  const quant = process.env.BENCH_GGUF_TYPE || 'q8_0';
  return benchModel(size, quant, tokenizerFrom);
}

/**
 * node-llama-cpp from a folder under the cache (never the app's node_modules), installed there on
 * first use with --omit=optional: its prebuilt CPU libraries only, ~85 MB.
 */
async function nativeLlama() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `native llama.cpp: prebuilt only wired for linux-x64 here (this is ${process.platform}-${process.arch})` };
  const dir = path.join(cacheDir(), `native-${NATIVE_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"name":"cai-lab-native-bench","private":true}\n');
    console.log(`installing node-llama-cpp ${NATIVE_VERSION} into ${dir} (once)`);
    const pkgs = [`node-llama-cpp@${NATIVE_VERSION}`, `@node-llama-cpp/linux-x64@${NATIVE_VERSION}`];
    const r = spawnSync('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', ...pkgs], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) return { skip: 'native llama.cpp: npm install of node-llama-cpp failed' };
  }
  const { getLlama } = await import(entry);
  return { llama: await getLlama({ gpu: false, build: 'never', logLevel: 'error' }) };
}

/** Native llama.cpp on the same prompt: prefill with the same batch size, then DECODE tokens. */
async function nativeMeasure(model, threads, salt) {
  const ctx = await model.createContext({ contextSize: 4096, threads, batchSize: 512 });
  try {
    const seq = ctx.getSequence();
    const prompt = model.tokenize([`s${salt}`, ...Array.from({ length: WORDS - 1 }, (_, i) => `w${i}`)].join(' '));
    let t = performance.now();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    const prefillTps = (prompt.length / (performance.now() - t)) * 1000;
    t = performance.now();
    let n = 0;
    for await (const _ of seq.evaluate([prompt.at(-1)], { temperature: 0.7, seed: salt })) if (++n >= DECODE) break;
    return { promptTokens: prompt.length, prefillTps, decodeTps: (n / (performance.now() - t)) * 1000 };
  } finally {
    await ctx.dispose();
  }
}

/** Runs the GGUF figures in the bench page `page`, which serves `modelName`. */
export async function ggufBench(page, modelFile) {
  const url = `./${path.basename(modelFile)}`;
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const reps = Number(process.env.BENCH_REPS || 5);
  const threadCounts = [...new Set([1, cores])];
  console.log(`gguf: ${path.basename(modelFile)}, ${cores} cores (node sees ${availableParallelism()}), load average before: ${load()}`);

  const loads = {};
  for (const t of threadCounts) loads[t] = await page.evaluate(([u, n]) => window.ggufLoad(`t${n}`, u, n, false), [url, t]);
  console.log('gguf: loaded', JSON.stringify(loads));
  const gpu = await page.evaluate((u) => window.ggufLoad('gpu', u, 1, true), url).catch((e) => ({ error: String(e) }));
  console.log('gguf: GPU offload', JSON.stringify(gpu));

  const native = await nativeLlama();
  const nativeModel = native.llama ? await native.llama.loadModel({ modelPath: modelFile, gpuLayers: 0 }) : null;
  if (native.skip) console.log(native.skip);

  const rows = { wasm: {}, native: {}, gpu: [] };
  for (const t of threadCounts) (rows.wasm[t] = []), (rows.native[t] = []);
  for (let rep = 0; rep < reps; rep++) {
    // Warm-up round first (rep 0 is dropped), then every configuration once per repetition.
    for (const t of threadCounts) {
      rows.wasm[t].push(await page.evaluate(([n, w, d, s]) => window.ggufMeasure(`t${n}`, w, d, s), [t, WORDS, DECODE, rep * 10 + t]));
      if (nativeModel) rows.native[t].push(await nativeMeasure(nativeModel, t, rep * 10 + t));
    }
    if (gpu.onGpu) rows.gpu.push(await page.evaluate(([w, d, s]) => window.ggufMeasure('gpu', w, d, s), [WORDS, DECODE, rep]));
    console.log(`gguf: repetition ${rep + 1}/${reps} done, load average ${load()}`);
  }
  await page.evaluate(() => window.ggufUnloadAll());
  await nativeModel?.dispose();
  return summarize(rows, threadCounts, gpu, cores);
}

function summarize(rows, threadCounts, gpu, cores) {
  const pick = (list, key) => median(list.slice(1).map((r) => r[key]));
  const table = [];
  const fig = {};
  for (const t of threadCounts) {
    for (const engine of ['wasm', 'native']) {
      if (!rows[engine][t].length) continue;
      fig[`${engine}${t}`] = { prefill: pick(rows[engine][t], 'prefillTps'), decode: pick(rows[engine][t], 'decodeTps') };
      table.push({ engine: engine === 'wasm' ? 'wllama (wasm)' : 'llama.cpp native', threads: t, 'prefill tok/s': round(fig[`${engine}${t}`].prefill), 'decode tok/s': round(fig[`${engine}${t}`].decode), 'prompt tokens': rows[engine][t][0].promptTokens });
    }
  }
  if (rows.gpu.length) {
    fig.gpu = { prefill: pick(rows.gpu, 'prefillTps'), decode: pick(rows.gpu, 'decodeTps') };
    table.push({ engine: 'wllama WebGPU', threads: 1, 'prefill tok/s': round(fig.gpu.prefill), 'decode tok/s': round(fig.gpu.decode) });
  }
  console.table(table);
  const all = cores;
  const ratio = (a, b) => (a && b ? round(a / b, 2) : null);
  const out = {
    threadsPrefill: ratio(fig[`wasm${all}`]?.prefill, fig.wasm1?.prefill),
    threadsDecode: ratio(fig[`wasm${all}`]?.decode, fig.wasm1?.decode),
    nativeDecode: ratio(fig[`wasm${all}`]?.decode, fig[`native${all}`]?.decode),
    nativePrefill: ratio(fig[`wasm${all}`]?.prefill, fig[`native${all}`]?.prefill),
    nativeDecode1: ratio(fig.wasm1?.decode, fig.native1?.decode),
    gpuDecode: ratio(fig.gpu?.decode, fig[`wasm${all}`]?.decode),
  };
  console.log(`gguf: wllama ${all} threads / 1 thread: prefill ${out.threadsPrefill}x (goal >= 1.6 on 2 cores), decode ${out.threadsDecode}x`);
  console.log(`gguf: wllama / native llama.cpp, ${all} threads: decode ${out.nativeDecode} (goal >= 0.5), prefill ${out.nativePrefill}; 1 thread: decode ${out.nativeDecode1}`);
  console.log(out.gpuDecode != null ? `gguf: WebGPU / CPU decode ${out.gpuDecode}` : `gguf: WebGPU not measured: llama.cpp's WebGPU backend did not take this browser's adapter (${gpu.error ?? 'no weights on the GPU'})`);
  console.log(`gguf: load average after: ${load()}`);
  return out;
}
