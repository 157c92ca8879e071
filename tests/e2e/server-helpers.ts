// Helpers of the server e2e suite (server.e2e.ts): the Server panel, a server that refuses other
// origins, and dumps of everything the page stores (to look for an API key that must not be there).
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { freePort, startLlamaServer, type LlamaServer, type LlamaServerOptions } from '../support/llama-server';

/** Fills the Server panel with these addresses (and key, model: empty = the server's first), presses Connect, and waits for facts or an error. */
export async function connectServers(page: Page, urls: string[], apiKey = '', model = ''): Promise<'facts' | 'error'> {
  await page.click('[data-testid=tab-make]');
  for (let i = 1; i < urls.length; i++) {
    if (!(await page.locator(`[data-testid=server-url-${i}]`).count())) await page.click('[data-testid=server-add]');
  }
  for (const [i, url] of urls.entries()) await page.fill(`[data-testid=server-url-${i}]`, url);
  await page.fill('[data-testid=server-key]', apiKey);
  await page.fill('[data-testid=server-model]', model);
  await page.click('[data-testid=server-connect]');
  const shown = await page.waitForSelector('[data-testid=server-facts], [data-testid=server-error]', { timeout: 60_000 });
  return (await shown.getAttribute('data-testid')) === 'server-facts' ? 'facts' : 'error';
}

export async function serverError(page: Page): Promise<string> {
  return page.locator('[data-testid=server-error]').innerText();
}

/** The critique → revision form for `prompts` prompts, with records in flight set (or left on auto). */
export async function fillCritiqueRun(page: Page, o: { prompts: number; rounds: number; maxTokens: number; inFlight?: number }) {
  await page.selectOption('[data-testid=recipe]', 'critique-revision');
  await page.fill('[data-testid=sample-count]', String(o.prompts));
  await page.fill('[data-testid=rounds]', String(o.rounds));
  await page.fill('[data-testid=few-shot]', '0');
  await page.fill('[data-testid=max-tokens]', String(o.maxTokens));
  await page.fill('[data-testid=concurrency]', o.inFlight ? String(o.inFlight) : '');
}

/**
 * A server that answers every request (so something is listening) but sends no CORS headers, the
 * way vLLM with `--allowed-origins`, or Ollama without OLLAMA_ORIGINS, answers a page it refuses.
 */
export async function startNoCorsServer(): Promise<{ url: string; hits: () => number; stop(): Promise<void> }> {
  let hits = 0;
  const srv: HttpServer = createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'some-model', object: 'model' }] }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    stop: () => new Promise<void>((resolve) => srv.close(() => resolve())),
  };
}

/** Every IndexedDB database of the page, every store, every key and value, as one JSON text. */
export function dumpIndexedDb(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const stores: Record<string, unknown> = {};
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map((req) => new Promise<unknown[]>((resolve, reject) => {
            req.onsuccess = () => resolve(req.result as unknown[]);
            req.onerror = () => reject(req.error);
          })),
        );
        stores[name] = { keys, values };
      }
      db.close();
      out[info.name!] = stores;
    }
    // Blobs and typed arrays would stringify as {}: spell their bytes out.
    const text = async (v: unknown): Promise<unknown> => {
      if (v instanceof Blob) return await v.text();
      if (ArrayBuffer.isView(v)) return new TextDecoder().decode(v as Uint8Array);
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(v);
      if (Array.isArray(v)) return Promise.all(v.map(text));
      if (v && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await text(x)])));
      return v;
    };
    return JSON.stringify(await text(out));
  });
}

/** Everything in the page's localStorage and sessionStorage. */
export function dumpWebStorage(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
}

/** A counter of llama-server's `/metrics` (started with `--metrics`). */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^llamacpp:${name}\\s+([\\d.e+]+)`, 'm').exec(text);
  if (!m) throw new Error(`llama-server's /metrics has no ${name}:\n${text.slice(0, 500)}`);
  return Number(m[1]);
}

/**
 * A scripted stand-in for Ollama or LM Studio, for what a real one would show the page: their
 * discovery paths, chat answers without log-probabilities, and no raw completions. CORS is open.
 */
export async function startScriptedServer(kind: 'Ollama' | 'LM Studio'): Promise<{ url: string; stop(): Promise<void> }> {
  const model = kind === 'Ollama' ? 'qwen2.5:0.5b' : 'qwen2.5-0.5b-instruct';
  const routes: Record<string, unknown> = {
    'GET /v1/models': { object: 'list', data: [{ id: model, object: 'model', owned_by: kind === 'Ollama' ? 'library' : 'organization_owner' }] },
    'POST /v1/chat/completions': { choices: [{ index: 0, message: { role: 'assistant', content: 'A' }, finish_reason: 'stop' }] },
    ...(kind === 'Ollama'
      ? { 'GET /api/version': { version: '0.12.0' }, 'POST /api/show': { parameters: 'num_ctx                        4096' } }
      : { 'GET /api/v0/models': { data: [{ id: model, loaded_context_length: 8192 }] } }),
  };
  const srv: HttpServer = createServer((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS' };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    req.resume();
    const body = routes[`${req.method} ${req.url}`];
    res.writeHead(body ? 200 : 404, { ...cors, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

/**
 * A front for the app's server that adds a Content-Security-Policy header to every response, the way
 * a host that sends headers would. A real server, not a browser route: a response a route makes
 * has no address, so Chromium would treat the page as public and ask for local network access.
 */
export async function startCspFront(target: string, policy: () => string): Promise<{ url: string; stop(): Promise<void> }> {
  const srv: HttpServer = createServer(async (req, res) => {
    try {
      const upstream = await fetch(target + req.url, { headers: { accept: req.headers.accept ?? '*/*' } });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
      });
      headers['content-security-policy'] = policy();
      res.writeHead(upstream.status, headers);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

/**
 * Starts real llama-servers with the tiny model, runs `body`, and stops them whatever it does.
 * llama-server names the model by the path it was given, so the model is linked from a folder with a
 * long name and no hyphen to break at: a long model id must not push the page sideways (a CI checkout's longer path once did).
 */
export async function withServers(model: string, specs: LlamaServerOptions[], body: (servers: LlamaServer[]) => Promise<void>) {
  const servers: LlamaServer[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'caiLabModelsInstalledWhereThePathHasNoBreaks'));
  const linked = join(dir, basename(model));
  await symlink(model, linked);
  try {
    for (const s of specs) servers.push(await startLlamaServer(linked, s));
    await body(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}
