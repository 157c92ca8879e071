/**
 * Which models we offer and recommend. Pure: the worker passes in WebLLM's prebuilt list as plain
 * data (the UI never imports WebLLM), and tests pass in their own.
 */

export interface GpuModelEntry {
  id: string;
  family: string;
  /** Parameter count as written in the id (e.g. "0.5B"). */
  params: string;
  quant: 'f16' | 'f32';
  vramMB: number;
  /** Rough download size in MB for 4-bit weights; WebLLM does not publish it in the list. */
  approxDownloadMB: number;
  needsF16: boolean;
}

export interface Capabilities {
  webgpu: boolean;
  shaderF16: boolean;
  adapter: { vendor: string; architecture: string; isFallback: boolean } | null;
  /** Why WebGPU is unusable, in words a user can act on. */
  webgpuProblem?: string;
  /** Device memory hint in GB (navigator.deviceMemory), when the browser tells. */
  deviceMemoryGB: number | null;
  wasm: { jspi: boolean; memory64: boolean };
}

const FAMILIES = /^(SmolLM2-(?:360M|1\.7B)-Instruct|Qwen2\.5-(?:0\.5B|1\.5B|3B)-Instruct|Qwen3-(?:0\.6B|1\.7B|4B)|Llama-3\.2-(?:1B|3B)-Instruct|gemma-2-2b-it|Phi-3\.5-mini-instruct)-q4f(16|32)_1-MLC$/;

export function gpuCatalogue(list: readonly { model_id: string; vram_required_MB?: number }[]): GpuModelEntry[] {
  const entries: GpuModelEntry[] = [];
  for (const record of list) {
    const match = FAMILIES.exec(record.model_id);
    if (!match) continue;
    const params = paramsOf(match[1]);
    entries.push({
      id: record.model_id,
      family: match[1],
      params,
      quant: match[2] === '16' ? 'f16' : 'f32',
      vramMB: Math.round(record.vram_required_MB ?? 0),
      approxDownloadMB: Math.round(billions(params) * 1000 * 0.56),
      // The list marks shader-f16 on only some entries; every q4f16 model needs it.
      needsF16: match[2] === '16',
    });
  }
  return entries.sort((a, b) => a.vramMB - b.vramMB);
}

function paramsOf(family: string): string {
  if (family.startsWith('gemma-2-2b')) return '2.6B';
  if (family.startsWith('Phi-3.5-mini')) return '3.8B';
  return /(\d+(?:\.\d+)?[MB])/.exec(family)?.[1] ?? '?';
}

function billions(params: string): number {
  const n = parseFloat(params);
  return params.endsWith('M') ? n / 1000 : n;
}

/** Models this browser can run: f16 builds only where the adapter has shader-f16. */
export function usableGpuModels(catalogue: GpuModelEntry[], caps: Capabilities): GpuModelEntry[] {
  if (!caps.webgpu) return [];
  return catalogue.filter((m) => caps.shaderF16 || !m.needsF16);
}

/**
 * The smallest model we trust to follow critique and revision requests (Qwen2.5-0.5B-Instruct),
 * or the 1.5B one when the machine reports plenty of memory; f32 builds where f16 is missing.
 */
export function recommendGpuModel(catalogue: GpuModelEntry[], caps: Capabilities): GpuModelEntry | null {
  const usable = usableGpuModels(catalogue, caps);
  const quant = caps.shaderF16 ? 'f16' : 'f32';
  const family = (caps.deviceMemoryGB ?? 0) >= 8 && !caps.adapter?.isFallback ? 'Qwen2.5-1.5B-Instruct' : 'Qwen2.5-0.5B-Instruct';
  return (
    usable.find((m) => m.family === family && m.quant === quant) ??
    usable.find((m) => m.quant === quant) ??
    usable[0] ??
    null
  );
}

export interface CpuModelEntry {
  name: string;
  url: string;
  approxMB: number;
}

/** Small instruct GGUFs for the CPU engine (downloaded from Hugging Face, cached in the browser). */
export const cpuCatalogue: CpuModelEntry[] = [
  {
    name: 'SmolLM2-360M-Instruct (Q8_0)',
    url: 'https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/resolve/main/smollm2-360m-instruct-q8_0.gguf',
    approxMB: 386,
  },
  {
    name: 'Qwen2.5-0.5B-Instruct (Q4_K_M)',
    url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    approxMB: 398,
  },
  {
    name: 'Llama-3.2-1B-Instruct (Q4_K_M)',
    url: 'https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    approxMB: 808,
  },
];
