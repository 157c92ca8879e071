/**
 * How the CPU engine (llama.cpp in WebAssembly) runs a GGUF: how many threads, and whether it offloads
 * layers to the GPU. Pure: the worker passes in what the browser offers, the user's settings and the
 * model's size; the UI shows the resulting notes as they are.
 */

/** The user's choice, remembered by the page. */
export interface CpuSettings {
  /** 'auto': one thread per core for real models, one for tiny ones. */
  threads: number | 'auto';
  /** 'auto': offload to a real GPU adapter (not a software one); 'on' also tries a software adapter. */
  gpu: 'auto' | 'on' | 'off';
}

export const defaultCpuSettings: CpuSettings = { threads: 'auto', gpu: 'auto' };

/** What the browser offers the CPU engine. */
export interface CpuEnvironment {
  /** crossOriginIsolated: COOP + COEP, so SharedArrayBuffer and WebAssembly threads exist. */
  isolated: boolean;
  cores: number;
  /** A WebGPU adapter was found; `softwareAdapter` when it is a fallback such as SwiftShader. */
  webgpu: boolean;
  softwareAdapter: boolean;
}

export interface CpuPlan {
  threads: number;
  /** Layers to offload: 0 keeps llama.cpp off the GPU entirely. */
  gpuLayers: number;
  threadNote: string;
  gpuNote: string;
}

/**
 * Below this size a model's cost per token is mostly fixed overhead, and waking threads for each small
 * matrix costs more than it saves (the 1.2 MB test model decodes several times slower on two threads).
 */
export const TINY_MODEL_BYTES = 32 * 1024 * 1024;
const ALL_LAYERS = 999;

/** Why one thread, or how many, in words a user can act on. */
export function threadMode(env: CpuEnvironment, threads: number): string {
  if (!env.isolated) {
    return 'not isolated: 1 thread, because the page is not cross-origin isolated (it needs COOP/COEP headers or the service worker), so WebAssembly threads are unavailable';
  }
  return `isolated: ${threads} thread${threads === 1 ? '' : 's'} of ${env.cores} core${env.cores === 1 ? '' : 's'}`;
}

export function planCpu(settings: CpuSettings, env: CpuEnvironment, modelBytes: number): CpuPlan {
  const cores = Math.max(1, Math.floor(env.cores) || 1);
  let threads: number;
  let why = '';
  if (!env.isolated) threads = 1;
  else if (settings.threads === 'auto') {
    threads = modelBytes < TINY_MODEL_BYTES ? 1 : cores;
    if (modelBytes < TINY_MODEL_BYTES && cores > 1) why = ' (auto: a tiny model runs faster on one)';
  } else threads = Math.max(1, Math.min(Math.floor(settings.threads), 64));
  const gpu = gpuPlan(settings, env);
  return { threads, gpuLayers: gpu.layers, threadNote: threadMode(env, threads) + why, gpuNote: gpu.note };
}

function gpuPlan(settings: CpuSettings, env: CpuEnvironment): { layers: number; note: string } {
  if (settings.gpu === 'off') return { layers: 0, note: 'GPU offload is off: all layers on the CPU' };
  if (!env.webgpu) return { layers: 0, note: 'no WebGPU adapter: all layers on the CPU' };
  if (env.softwareAdapter && settings.gpu === 'auto') {
    return { layers: 0, note: 'the only WebGPU adapter is a software one (slower than the CPU): all layers on the CPU' };
  }
  return { layers: ALL_LAYERS, note: 'offloading all layers to the GPU' };
}

/** How a CPU model actually runs once loaded, as the model panel shows it. */
export interface CpuRuntime {
  threads: number;
  isolated: boolean;
  threadNote: string;
  /** 'gpu': llama.cpp put weights on the GPU; otherwise why not. */
  gpu: 'gpu' | 'off' | 'not-engaged' | 'failed';
  gpuNote: string;
  /** GPU memory the model needs to offload fully: weights plus the context's key/value cache. */
  gpuMemoryBytes: number;
}

/** Bytes of the key/value cache at `contextTokens`, from the model's GGUF metadata (f16 cache). */
export function kvCacheBytes(meta: Record<string, string>, contextTokens: number): number {
  const arch = meta['general.architecture'] ?? 'llama';
  const num = (key: string) => Number(meta[`${arch}.${key}`]) || 0;
  const layers = num('block_count');
  const heads = num('attention.head_count') || 1;
  const kvHeads = num('attention.head_count_kv') || heads;
  const embd = num('embedding_length');
  return 2 * layers * contextTokens * (embd / heads) * kvHeads * 2;
}

/**
 * Did llama.cpp put the weights on the GPU? Its load log names each weight buffer by device
 * ("CPU model buffer size = …", "WebGPU model buffer size = …"); only a non-CPU one means it did.
 */
export function offloadedToGpu(logLines: readonly string[]): boolean {
  return logLines.some((line) => /model buffer size/.test(line) && !/\bCPU(?:_\w+)? +model buffer/.test(line));
}
