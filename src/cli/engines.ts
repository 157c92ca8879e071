/**
 * The command line's engines: the servers given with --endpoint, as one endpoint engine per model
 * id the run asks for. A spec made on the page may name an in-browser model; the servers then
 * serve their own (or --model's): the spec decides what to ask, the command line where.
 */
import { connectEndpoints, type EndpointEngine } from '../endpoint/index';
import type { Engine } from '../core/engine';
import type { ModelRef } from '../core/types';
import { CliError } from './errors';

export interface ServerChoice {
  endpoints: string[];
  /** Overrides every model the spec names. */
  model?: string;
  apiKey?: string;
}

/**
 * The command line's fetch. Node's fetch may send a request on a kept-alive connection the server has just closed (llama-
 * server closes idle ones after a few seconds); it then fails with the socket closed before any
 * answer came. Such a request is sent again on a fresh connection, twice at most.
 */
export const freshConnectionFetch: typeof fetch = async (input, init) => {
  // The engine's probe for a page's CORS refusal (a no-cors request): there is no CORS here, so a
  // server that cannot be reached is reported as not answering.
  if (init?.mode === 'no-cors') throw new TypeError('no CORS outside a page');
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(input, init);
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      if (attempt >= 2 || init?.signal?.aborted || (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET')) throw error;
    }
  }
};

export class CliEngines {
  private readonly engines = new Map<string, Promise<EndpointEngine>>();

  constructor(private readonly choice: ServerChoice) {}

  /** The model id to ask the servers for: --model, a server model the spec names, or the servers' own. */
  private modelFor(ref: ModelRef): string {
    if (this.choice.model) return this.choice.model;
    return ref.backend === 'server' ? ref.model : '';
  }

  engineFor = (ref: ModelRef): Promise<Engine> => this.connect(this.modelFor(ref));

  connect(model: string): Promise<EndpointEngine> {
    let engine = this.engines.get(model);
    if (!engine) {
      const configs = this.choice.endpoints.map((baseUrl) => ({ baseUrl, ...(model ? { model } : {}), ...(this.choice.apiKey ? { apiKey: this.choice.apiKey } : {}) }));
      engine = connectEndpoints(configs, { fetch: freshConnectionFetch }).catch((error: unknown) => {
        throw new CliError(`cannot use the server${configs.length > 1 ? 's' : ''} ${this.choice.endpoints.join(', ')}: ${(error as Error).message}`);
      });
      this.engines.set(model, engine);
    }
    return engine;
  }

  /** Connects for the run's first model now, so a bad address fails before anything is made. */
  async check(refs: readonly ModelRef[]): Promise<EndpointEngine[]> {
    return Promise.all([...new Set(refs.map((r) => this.modelFor(r)))].map((m) => this.connect(m)));
  }
}
