/**
 * OpenAI-compatible servers as one engine. Environment-neutral (only `fetch`, `AbortSignal` and
 * `TextDecoder`), so the page's worker and the command line use the same code.
 *
 * Several servers serving the same model make one engine: `slots` is their sum, a call without a
 * lease goes to the least busy server, and `lease()` binds a record to one server for all its turns
 * so the conversation stays in that server's prefix cache.
 */
import type {
  CallOptions, ChatRequest, ChatResult, ChoiceRequest, ChoiceResult, CompletionRequest, Engine, EngineInfo, EngineLease,
} from '../core/engine';
import { defaultSleep, normaliseBaseUrl, request, type Transport } from './http';
import { probeServer, type ServerFacts } from './facts';
import { ServerEngine } from './server-engine';

export type { ServerFacts } from './facts';
export type { ServerKind, ConstrainedField } from './kinds';
export {
  EndpointAuthError, EndpointHttpError, EndpointInputTooLongError, EndpointStreamError, EndpointUnreachableError,
  ENDPOINT_ERROR_NAMES, type UnreachableReason,
} from './errors';
export { normaliseBaseUrl } from './http';

export interface EndpointConfig {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; kept only in memory by this module. */
  apiKey?: string;
  /** The model id; default: the first one the server lists. */
  model?: string;
}

export interface ConnectOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Waits between retries; tests pass one that records the waits instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface EndpointEngine extends Engine {
  readonly slots: number;
  lease(): EngineLease;
  /** What connecting learned about each server, in the order given. */
  readonly servers: ServerFacts[];
}

/** Busy share of a server: what it is doing per slot it has. */
function load(s: ServerEngine, withLeases: boolean): number {
  return ((withLeases ? s.leases : 0) + s.inFlight) / s.slots;
}

class MultiServerEngine implements EndpointEngine {
  readonly info: EngineInfo;
  readonly slots: number;
  readonly servers: ServerFacts[];
  /** Undefined when any server lacks raw completions: then no call may depend on one. */
  readonly complete?: (req: CompletionRequest, opts?: CallOptions) => Promise<ChatResult>;

  constructor(private readonly engines: ServerEngine[]) {
    const first = engines[0];
    this.servers = engines.map((e) => e.facts);
    this.slots = engines.reduce((n, e) => n + e.slots, 0);
    this.info = {
      id: engines.length === 1 ? first.info.id : `server:${engines.length}:${first.facts.model}`,
      backend: 'server',
      model: first.facts.model,
    };
    if (engines.every((e) => e.complete)) this.complete = (req, opts) => this.leastBusy(false).complete!(req, opts);
  }

  private leastBusy(withLeases: boolean): ServerEngine {
    // Ties go to the earlier server, so one server alone is always chosen the same way.
    return this.engines.reduce((best, e) => (load(e, withLeases) < load(best, withLeases) ? e : best));
  }

  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult> {
    return this.leastBusy(false).chat(req, opts);
  }

  choose(req: ChoiceRequest, options: string[], opts?: { signal?: AbortSignal }): Promise<ChoiceResult> {
    return this.leastBusy(false).choose(req, options, opts);
  }

  lease(): EngineLease {
    const server = this.leastBusy(true);
    server.leases++;
    let released = false;
    return {
      engine: server,
      release() {
        if (released) return;
        released = true;
        server.leases--;
      },
    };
  }
}

function transportOf(opts: ConnectOptions): Transport {
  return { fetch: opts.fetch ?? globalThis.fetch.bind(globalThis), sleep: opts.sleep ?? defaultSleep };
}

/** The model ids a server lists at `/v1/models` (to offer a choice before connecting). */
export async function listModels(config: Omit<EndpointConfig, 'model'>, opts: ConnectOptions = {}): Promise<string[]> {
  const address = { baseUrl: normaliseBaseUrl(config.baseUrl), apiKey: config.apiKey || undefined };
  const res = await request(transportOf(opts), address, '/v1/models', { signal: opts.signal });
  const list = (await res.json().catch(() => ({}))) as { data?: { id?: unknown }[] };
  return (list.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
}

/**
 * Connects to every server (in parallel), learning each one's facts. Fails with the first server's
 * typed error (unreachable, wrong key, …); a server that lists a different model than the others
 * is an error too, since records spread over them must come from one model.
 */
export async function connectEndpoints(configs: EndpointConfig[], opts: ConnectOptions = {}): Promise<EndpointEngine> {
  if (configs.length === 0) throw new Error('No server address given.');
  const t = transportOf(opts);
  const model = configs.find((c) => c.model)?.model;
  const engines = await Promise.all(
    configs.map(async (c) => {
      const address = { baseUrl: normaliseBaseUrl(c.baseUrl), apiKey: c.apiKey || undefined };
      const facts = await probeServer(t, address, c.model || model, opts.signal);
      return new ServerEngine(t, facts, address.apiKey);
    }),
  );
  const models = new Set(engines.map((e) => e.facts.model));
  if (models.size > 1) {
    throw new Error(`The servers serve different models (${[...models].join(', ')}): choose one model id that every server has.`);
  }
  return new MultiServerEngine(engines);
}
