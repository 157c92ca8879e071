import type { ModelRefKind } from './model-ref';

/** A GGUF model run on the CPU by wllama: downloaded from a URL, or a file picked from disk. */
export type WllamaRef =
  | { backend: 'cpu'; kind: 'url'; url: string; name: string }
  | { backend: 'cpu'; kind: 'file'; name: string; size: number };

export const wllamaRefs: ModelRefKind<WllamaRef> = {
  runsOn: 'CPU',
  read(stored) {
    if (stored.oneOf('kind', ['url', 'file'] as const) === 'url') {
      return { backend: 'cpu', kind: 'url', url: stored.str('url'), name: stored.str('name') };
    }
    return { backend: 'cpu', kind: 'file', name: stored.str('name'), size: stored.num('size') };
  },
  label: (ref) => ref.name,
  cardLine(ref, code) {
    const where = ref.kind === 'url' ? `from ${code(ref.url)}` : 'from a local file';
    return `${code(ref.name)} (wllama/llama.cpp on the CPU, ${where})`;
  },
};
