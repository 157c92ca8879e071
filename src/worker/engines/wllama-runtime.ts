/**
 * Threads and GPU offload for the CPU engine: the user's settings (sent by the page), what this
 * browser offers, and a load that falls back to the CPU when the GPU can't take the model.
 */
import { Wllama, type LoadModelParams } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { defaultCpuSettings, kvCacheBytes, offloadedToGpu, planCpu, type CpuEnvironment, type CpuRuntime, type CpuSettings } from '../../core/engines/cpu-plan';
import { detectCapabilities } from '../detect';

let settings: CpuSettings = defaultCpuSettings;
let environment: Promise<CpuEnvironment> | null = null;

/** Sets how the next CPU model loads; true when it differs from before (a loaded model should reload). */
export function setCpuSettings(next: CpuSettings): boolean {
  const changed = JSON.stringify(next) !== JSON.stringify(settings);
  settings = { ...next };
  return changed;
}

/** What this worker offers: isolation and cores now, the GPU adapter asked once. */
export function cpuEnvironment(): Promise<CpuEnvironment> {
  environment ??= detectCapabilities().then((caps) => ({
    isolated: self.crossOriginIsolated === true,
    cores: navigator.hardwareConcurrency || 1,
    webgpu: caps.webgpu,
    softwareAdapter: caps.adapter?.isFallback === true,
  }));
  return environment;
}

/** A wllama instance whose native log is kept (not printed): it tells whether the GPU took the weights. */
export function newWllama(log: string[] | null = null): Wllama {
  const keep = (...parts: unknown[]) => {
    if (!log) return;
    log.push(parts.map(String).join(' '));
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  const logger = { debug: keep, log: keep, warn: keep, error: keep };
  const w = new Wllama({ default: wasmUrl }, { suppressNativeLog: log === null, logger, allowOffline: true });
  // Never fetch a "compat" build from a CDN: the page must work offline with what it shipped.
  w.setCompat(null);
  return w;
}

export interface LoadedWllama {
  w: Wllama;
  runtime: CpuRuntime;
}

/**
 * Loads `blob` with the planned threads and GPU offload. A GPU load that fails (out of memory, a
 * missing feature) is retried on the CPU; the runtime says which happened and why.
 */
export async function loadPlanned(blob: Blob, base: LoadModelParams, contextTokens: number): Promise<LoadedWllama> {
  const env = await cpuEnvironment();
  const plan = planCpu(settings, env, blob.size);
  const runtimeOf = (w: Wllama, gpu: CpuRuntime['gpu'], gpuNote: string): CpuRuntime => ({
    threads: w.getNumThreads(),
    isolated: env.isolated,
    threadNote: plan.threadNote,
    gpu,
    gpuNote,
    gpuMemoryBytes: blob.size + kvCacheBytes(w.getModelMetadata().meta, contextTokens),
  });
  const cpuParams = { ...base, n_threads: plan.threads, n_gpu_layers: 0 };
  if (plan.gpuLayers === 0) {
    const w = newWllama();
    await w.loadModel([blob], cpuParams);
    return { w, runtime: runtimeOf(w, 'off', plan.gpuNote) };
  }
  const log: string[] = [];
  const w = newWllama(log);
  try {
    await w.loadModel([blob], { ...cpuParams, n_gpu_layers: plan.gpuLayers });
  } catch (error) {
    await w.exit().catch(() => undefined);
    const why = (error as Error).message || String(error);
    const cpu = newWllama();
    await cpu.loadModel([blob], cpuParams);
    return { w: cpu, runtime: runtimeOf(cpu, 'failed', `loading on the GPU failed (${why.slice(0, 200)}): running on the CPU instead`) };
  }
  if (offloadedToGpu(log)) return { w, runtime: runtimeOf(w, 'gpu', 'weights on the GPU (llama.cpp WebGPU)') };
  const adapterProblem = log.find((line) => /ggml_webgpu: Failed/.test(line));
  const why = adapterProblem ? adapterProblem.replace(/^.*ggml_webgpu: /, '') : "llama.cpp's WebGPU backend did not take this adapter (a software adapter, or one lacking features it needs)";
  return { w, runtime: runtimeOf(w, 'not-engaged', `GPU offload did not engage: ${why}; running on the CPU`) };
}
