/**
 * The Server panel's state: the addresses of one or more OpenAI-compatible servers serving the same
 * model, an optional API key, the model id, and what connecting learned about each server.
 *
 * The key goes to the worker, which holds it in memory only; the run's model reference carries the
 * addresses and the model id, never the key. Keeping the key in this browser's localStorage is an
 * explicit choice ("Remember the key on this device"), off by default.
 */
import { toUserError, type UserError } from '../core/errors';
import { normaliseBaseUrl, type ServerFacts } from '../endpoint';
import type { EngineState } from './engine.svelte';
import type { Pipeline } from './worker-client';

/** Remembered keys, by server address; present only while the user asks to remember. */
const KEYS_KEY = 'cai-lab:server-keys';
/** The last addresses and model id (not secret): the form comes back filled after a reload. */
const FORM_KEY = 'cai-lab:server-form';

function readJson<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage refused (private mode): it lasts for this visit */
  }
}

export class ServerConnection {
  /** One address per server; every server must serve the same model. */
  urls = $state<string[]>(['']);
  apiKey = $state('');
  remember = $state(false);
  model = $state('');
  /** The model ids the first server lists at `/v1/models`. */
  models = $state<string[]>([]);
  facts = $state<ServerFacts[] | null>(null);
  error = $state<UserError | null>(null);
  /** The last error was a refused key: the panel asks for it. */
  needsKey = $state(false);
  busy = $state(false);

  /** Addresses given, without blanks, each once, as the worker keys them ("…/v1/" → "…"). */
  readonly addresses = $derived([...new Set(this.urls.map(normaliseBaseUrl).filter(Boolean))]);
  readonly totalSlots = $derived(this.facts?.reduce((n, f) => n + f.slots, 0) ?? 0);

  constructor(
    private readonly pipeline: Pipeline,
    private readonly engine: EngineState,
  ) {
    const form = readJson<{ urls?: unknown; model?: unknown }>(FORM_KEY);
    if (Array.isArray(form?.urls) && form.urls.every((u) => typeof u === 'string') && form.urls.length) this.urls = form.urls;
    if (typeof form?.model === 'string') this.model = form.model;
    const keys = readJson<Record<string, string>>(KEYS_KEY);
    if (keys && typeof keys === 'object') {
      const key = Object.values(keys).find((k) => typeof k === 'string' && k);
      if (key) {
        this.apiKey = key;
        this.remember = true;
      }
    }
  }

  /** A remembered key goes to the worker at start, so Resume after a reload reaches the server. */
  async init(): Promise<void> {
    if (this.apiKey) await this.sendKeys();
    await this.refreshFacts();
  }

  /** The worker is new (crash, reload): it has no keys and no connection. */
  async afterRestart(): Promise<void> {
    this.facts = null;
    await this.init();
  }

  /** What the worker's server engine learned, when a server model is loaded (a run may load one). */
  async refreshFacts(): Promise<void> {
    this.facts = this.engine.loaded?.backend === 'server' ? await this.pipeline.endpointFacts() : null;
  }

  addServer(): void {
    this.urls = [...this.urls, ''];
  }

  removeServer(i: number): void {
    this.urls = this.urls.length > 1 ? this.urls.filter((_, j) => j !== i) : [''];
  }

  setRemember(on: boolean): void {
    this.remember = on;
    this.storeKey();
  }

  /** Asks the first server for its models, to offer them in the model field. */
  async listModels(): Promise<void> {
    const [first] = this.addresses;
    if (!first) return;
    await this.guard(async () => {
      await this.sendKeys();
      this.models = await this.pipeline.listEndpointModels(first);
      if (!this.model && this.models[0]) this.model = this.models[0];
    });
  }

  /** Connects to every server and makes them the loaded model for runs. */
  async connect(): Promise<boolean> {
    const baseUrls = this.addresses;
    if (baseUrls.length === 0) {
      this.error = { name: 'NoAddress', message: 'Give the address of a server first.', hint: 'For example http://127.0.0.1:8080 for llama-server.' };
      return false;
    }
    writeJson(FORM_KEY, { urls: baseUrls, model: this.model.trim() });
    // What an earlier connection learned no longer holds while this one is being made.
    this.facts = null;
    let ok = false;
    await this.guard(async () => {
      await this.sendKeys();
      let model = this.model.trim();
      if (!model) {
        this.models = await this.pipeline.listEndpointModels(baseUrls[0]!);
        model = this.models[0] ?? '';
      }
      const failed = await this.engine.connect({ backend: 'server', baseUrls, model });
      if (failed) throw failed;
      this.model = model;
      writeJson(FORM_KEY, { urls: baseUrls, model });
      this.storeKey();
      await this.refreshFacts();
      ok = true;
    });
    return ok;
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.needsKey = false;
    try {
      await step();
    } catch (error) {
      const e = isUserError(error) ? error : toUserError(error, 'connect again');
      this.error = e;
      this.needsKey = e.name === 'EndpointAuthError';
      this.facts = null;
    } finally {
      this.busy = false;
    }
  }

  private sendKeys(): Promise<void> {
    const apiKey = this.apiKey.trim();
    return this.pipeline.setEndpointKeys(this.addresses.map((baseUrl) => ({ baseUrl, apiKey })));
  }

  private storeKey(): void {
    const apiKey = this.apiKey.trim();
    writeJson(KEYS_KEY, this.remember && apiKey ? Object.fromEntries(this.addresses.map((u) => [u, apiKey])) : null);
  }
}

function isUserError(e: unknown): e is UserError {
  return typeof e === 'object' && e !== null && 'hint' in e && 'message' in e && 'name' in e;
}
