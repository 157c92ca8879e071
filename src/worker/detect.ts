import type { Capabilities } from '../core/catalog';

/** What this browser can run: WebGPU (and shader-f16) for WebLLM, WebAssembly features for wllama. */
export async function detectCapabilities(): Promise<Capabilities> {
  const nav = navigator as Navigator & { gpu?: GPU; deviceMemory?: number };
  const caps: Capabilities = {
    webgpu: false,
    shaderF16: false,
    adapter: null,
    deviceMemoryGB: nav.deviceMemory ?? null,
    wasm: { jspi: 'Suspending' in WebAssembly, memory64: supportsMemory64() },
  };
  if (!nav.gpu) return { ...caps, webgpuProblem: 'This browser does not expose WebGPU (navigator.gpu is missing).' };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ...caps, webgpuProblem: `Asking for a GPU adapter failed: ${(error as Error).message}` };
  }
  if (!adapter) return { ...caps, webgpuProblem: 'WebGPU is present but no GPU adapter is available (blocked, disabled or unsupported GPU).' };
  const info = adapter.info;
  return {
    ...caps,
    webgpu: true,
    shaderF16: adapter.features.has('shader-f16'),
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      isFallback: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    },
  };
}

/** A minimal module declaring a 64-bit memory: valid only where memory64 is supported. */
function supportsMemory64(): boolean {
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01]);
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}
