import type { ModelRefKind } from './model-ref';

/**
 * A model served by one or more OpenAI-compatible servers (llama.cpp, vLLM, SGLang, Ollama, LM
 * Studio). Only the addresses and the model id are stored: never the API key, which stays in the
 * worker's memory (or, when the user asks, in this device's localStorage).
 */
export type EndpointRef = { backend: 'server'; baseUrls: string[]; model: string };

export const endpointRefs: ModelRefKind<EndpointRef> = {
  runsOn: 'server',
  read(stored) {
    const baseUrls = stored.arr('baseUrls');
    if (baseUrls.length === 0 || baseUrls.some((u) => typeof u !== 'string' || !u)) stored.fail('baseUrls', 'a list of server addresses');
    return { backend: 'server', baseUrls: baseUrls as string[], model: stored.str('model') };
  },
  label: (ref) => ref.model,
  cardLine(ref, code) {
    const where = ref.baseUrls.length === 1 ? 'one server' : `${ref.baseUrls.length} servers`;
    return `${code(ref.model)} (an OpenAI-compatible server, ${where})`;
  },
};
