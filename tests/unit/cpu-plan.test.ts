import { describe, expect, it } from 'vitest';
import { kvCacheBytes, offloadedToGpu, planCpu, TINY_MODEL_BYTES, type CpuEnvironment } from '../../src/core/engines/cpu-plan';

const MB = 1024 * 1024;
const isolated: CpuEnvironment = { isolated: true, cores: 4, webgpu: false, softwareAdapter: false };

describe('threads for the CPU engine', () => {
  it('uses every core for a real model when the page is isolated', () => {
    const plan = planCpu({ threads: 'auto', gpu: 'auto' }, isolated, 150 * MB);
    expect(plan.threads).toBe(4);
    expect(plan.threadNote).toBe('isolated: 4 threads of 4 cores');
  });

  it('keeps a tiny model on one thread under auto, and says so', () => {
    const plan = planCpu({ threads: 'auto', gpu: 'auto' }, isolated, TINY_MODEL_BYTES - 1);
    expect(plan.threads).toBe(1);
    expect(plan.threadNote).toMatch(/^isolated: 1 thread of 4 cores \(auto: a tiny model/);
  });

  it('takes the number the user chose, within bounds', () => {
    expect(planCpu({ threads: 2, gpu: 'off' }, isolated, MB).threads).toBe(2);
    expect(planCpu({ threads: 0, gpu: 'off' }, isolated, MB).threads).toBe(1);
    expect(planCpu({ threads: 500, gpu: 'off' }, isolated, MB).threads).toBe(64);
  });

  it('falls back to one thread without isolation, whatever was asked, and says why', () => {
    const plan = planCpu({ threads: 8, gpu: 'auto' }, { ...isolated, isolated: false }, 150 * MB);
    expect(plan.threads).toBe(1);
    expect(plan.threadNote).toMatch(/^not isolated: 1 thread, because .*COOP\/COEP/);
  });
});

describe('GPU offload for the CPU engine', () => {
  it('offloads on a real adapter under auto, not on a software one unless asked', () => {
    const gpu = { ...isolated, webgpu: true };
    expect(planCpu({ threads: 'auto', gpu: 'auto' }, gpu, MB).gpuLayers).toBeGreaterThan(0);
    const soft = { ...gpu, softwareAdapter: true };
    expect(planCpu({ threads: 'auto', gpu: 'auto' }, soft, MB)).toMatchObject({ gpuLayers: 0, gpuNote: expect.stringMatching(/software/) });
    expect(planCpu({ threads: 'auto', gpu: 'on' }, soft, MB).gpuLayers).toBeGreaterThan(0);
  });

  it('keeps everything on the CPU without WebGPU or when turned off', () => {
    expect(planCpu({ threads: 'auto', gpu: 'on' }, isolated, MB)).toMatchObject({ gpuLayers: 0, gpuNote: expect.stringMatching(/no WebGPU/) });
    expect(planCpu({ threads: 'auto', gpu: 'off' }, { ...isolated, webgpu: true }, MB)).toMatchObject({ gpuLayers: 0, gpuNote: expect.stringMatching(/off/) });
  });

  it('reads from the load log whether the weights went to the GPU', () => {
    expect(offloadedToGpu(['load_tensors:          CPU model buffer size =     1.12 MiB'])).toBe(false);
    expect(offloadedToGpu(['load_tensors:   CPU_Mapped model buffer size =    40.00 MiB', 'load_tensors:       WebGPU model buffer size =   130.00 MiB'])).toBe(true);
    expect(offloadedToGpu([])).toBe(false);
  });

  it('sizes the key/value cache from the GGUF metadata', () => {
    // SmolLM2-135M: 30 layers, 9 heads of 64, 3 key/value heads; f16 K and V.
    const meta = { 'general.architecture': 'llama', 'llama.block_count': '30', 'llama.attention.head_count': '9', 'llama.attention.head_count_kv': '3', 'llama.embedding_length': '576' };
    expect(kvCacheBytes(meta, 4096)).toBe(2 * 30 * 4096 * 64 * 3 * 2);
  });
});
