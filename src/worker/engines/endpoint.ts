/**
 * The worker's side of the server engine. API keys live only here, in memory, keyed by server
 * address: the model reference that runs store carries addresses and the model id, never a key.
 */
import { connectEndpoints, EndpointUnreachableError, listModels, normaliseBaseUrl, type EndpointEngine, type ServerFacts } from '../../endpoint';
import type { EndpointRef } from '../../core/engines/endpoint';
import type { EngineDriver, LoadedEngine } from './driver';

const keys = new Map<string, string>();
let lastFacts: ServerFacts[] | null = null;

/**
 * Origins this worker's Content-Security-Policy refused to connect to. A host that sends the CSP as
 * a header covers this worker too; the browser then stops the request before it leaves, which
 * `fetch` reports exactly like a server where nothing listens. The violation event tells them apart.
 */
const refusedByPolicy = new Set<string>();
if (typeof self !== 'undefined' && typeof self.addEventListener === 'function') {
  self.addEventListener('securitypolicyviolation', (e) => {
    const event = e as SecurityPolicyViolationEvent;
    if (event.effectiveDirective !== 'connect-src') return;
    try {
      refusedByPolicy.add(new URL(event.blockedURI).origin);
    } catch {
      /* not a URL: nothing to match */
    }
  });
}

/** "Nothing answers" that was really this page's own policy: say so, and what to add. */
async function explainPolicy<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof EndpointUnreachableError) || error.reason !== 'nothing-listening') throw error;
    // The violation event is queued as a task of its own: let it arrive.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const origin = new URL(error.baseUrl).origin;
    if (!refusedByPolicy.has(origin)) throw error;
    throw new EndpointUnreachableError(error.baseUrl, 'blocked',
      `This page's Content-Security-Policy, sent by the site that serves it, does not allow connecting to ${origin}. ` +
      `Add ${origin} to its connect-src (see the README, "Content-Security-Policy"), or open the page from a host that sends no policy header.`);
  }
}

/** Replaces the keys the worker sends; an empty key removes that server's. */
export function setEndpointKeys(entries: { baseUrl: string; apiKey: string }[]): void {
  keys.clear();
  for (const { baseUrl, apiKey } of entries) if (apiKey) keys.set(normaliseBaseUrl(baseUrl), apiKey);
}

/** The model ids a server lists, to fill the page's model choice before connecting. */
export function listEndpointModels(baseUrl: string, signal?: AbortSignal): Promise<string[]> {
  return explainPolicy(() => listModels({ baseUrl, apiKey: keys.get(normaliseBaseUrl(baseUrl)) }, { signal }));
}

/** What the last connection learned about each server (shown in the page), or null. */
export function endpointFacts(): ServerFacts[] | null {
  return lastFacts;
}

async function load(ref: EndpointRef, signal: AbortSignal): Promise<LoadedEngine> {
  const configs = ref.baseUrls.map((baseUrl) => ({ baseUrl, apiKey: keys.get(normaliseBaseUrl(baseUrl)), model: ref.model }));
  const engine: EndpointEngine = await explainPolicy(() => connectEndpoints(configs, { signal }));
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
