import { Wllama } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';

async function probe(modelUrl: string, opts: { threads: number; ngl: number; prompt?: number; decode?: number }) {
  const lines: string[] = [];
  const cap = (...a: unknown[]) => { lines.push(a.map(String).join(' ')); };
  const w = new Wllama({ default: wasmUrl }, { suppressNativeLog: false, logger: { debug: cap, log: cap, warn: cap, error: cap } });
  w.setCompat(null);
  const blob = await (await fetch(modelUrl)).blob();
  const t0 = performance.now();
  let error: string | null = null;
  try {
    await w.loadModel([blob], { n_ctx: 2048, n_threads: opts.threads, n_gpu_layers: opts.ngl, chat_template: 'chatml', log_level: (opts as {log?: number}).log });
  } catch (e) { error = String((e as Error).stack ?? e); }
  const loadMs = performance.now() - t0;
  if (error) return { error, lines: lines.slice(-40), crossOriginIsolated };
  const prompt = Array.from({ length: opts.prompt ?? 128 }, (_, i) => `w${i}`).join(' ');
  const r = await w.createCompletion({ prompt, max_tokens: opts.decode ?? 32, temperature: 0.7, seed: 1 });
  const res = { crossOriginIsolated, multi: w.isMultithread(), threads: w.getNumThreads(), loadMs, timings: r.timings, usage: r.usage, text: r.choices[0].text.slice(0, 80),
    lines: lines.filter((l) => !/^(llama_model_loader|print_info|load:)/.test(l)).slice(0, 120) };
  await w.exit();
  return res;
}
Object.assign(window, { probe });
