/**
 * The worker's side of the server engine. API keys live only here, in memory, keyed by server
 * address: the model reference that runs store carries addresses and the model id, never a key.
 */
import { connectEndpoints, listModels, normaliseBaseUrl, type EndpointEngine, type ServerFacts } from '../../endpoint';
import type { EndpointRef } from '../../core/engines/endpoint';
import type { EngineDriver, LoadedEngine } from './driver';

const keys = new Map<string, string>();
let lastFacts: ServerFacts[] | null = null;

/** Replaces the keys the worker sends; an empty key removes that server's. */
export function setEndpointKeys(entries: { baseUrl: string; apiKey: string }[]): void {
  keys.clear();
  for (const { baseUrl, apiKey } of entries) if (apiKey) keys.set(normaliseBaseUrl(baseUrl), apiKey);
}

/** The model ids a server lists, to fill the page's model choice before connecting. */
export function listEndpointModels(baseUrl: string, signal?: AbortSignal): Promise<string[]> {
  return listModels({ baseUrl, apiKey: keys.get(normaliseBaseUrl(baseUrl)) }, { signal });
}

/** What the last connection learned about each server (shown in the page), or null. */
export function endpointFacts(): ServerFacts[] | null {
  return lastFacts;
}

async function load(ref: EndpointRef, signal: AbortSignal): Promise<LoadedEngine> {
  const configs = ref.baseUrls.map((baseUrl) => ({ baseUrl, apiKey: keys.get(normaliseBaseUrl(baseUrl)), model: ref.model }));
  const engine: EndpointEngine = await connectEndpoints(configs, { signal });
  lastFacts = engine.servers;
  return Object.assign(engine, { unload: async () => {} });
}

export const endpointDriver: EngineDriver<EndpointRef> = {
  load: (ref, onProgress, signal) => {
    onProgress({ phase: 'init', loaded: 0, total: null, fraction: 0, text: `Connecting to ${ref.baseUrls.join(', ')}` });
    return load(ref, signal);
  },
  // A server keeps its own models: nothing of this engine is stored in the browser.
  cached: async () => [],
  deleteCached: async () => {},
};
