/**
 * One HTTP request to an OpenAI-compatible server, with the status handling every call shares:
 * bounded retries for 429 (after `Retry-After`), 503 and other 5xx, and a typed error for the rest.
 * Uses only `fetch` and `AbortSignal`, so it runs in a page, a worker and Node alike.
 */
import {
  EndpointAuthError, EndpointHttpError, EndpointInputTooLongError, EndpointUnreachableError, isAbort,
} from './errors';
import { corsAdvice, type ServerKind } from './kinds';

export interface Transport {
  fetch: typeof fetch;
  /** Waits `ms`, or rejects when `signal` aborts (tests pass one that records the waits). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ServerAddress {
  /** Without a trailing slash or `/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Once known: picks the CORS flag named when the server refuses this page's origin. */
  kind?: ServerKind;
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', stop, { once: true });
  });

/** "http://h:8080/v1/" → "http://h:8080": the paths below all start from the server's root. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** Tries per status; the first try counts. Kept small: a run pauses and Resume tries again. */
const TRIES = { 429: 6, 503: 6, other5xx: 3 } as const;
/** Longest single wait, even when the server asks for more. */
const MAX_WAIT_MS = 60_000;

function triesFor(status: number): number {
  if (status === 429) return TRIES[429];
  if (status === 503) return TRIES[503];
  return status >= 500 ? TRIES.other5xx : 1;
}

/** `Retry-After` in seconds or as an HTTP date; else an exponential backoff from one second. */
export function waitFor(res: Response, attempt: number): number {
  const header = res.headers.get('retry-after');
  const secs = header !== null && /^\s*\d+(\.\d+)?\s*$/.test(header) ? Number(header) : null;
  const date = header !== null && secs === null ? Date.parse(header) - Date.now() : NaN;
  const ms = secs !== null ? secs * 1000 : Number.isFinite(date) ? Math.max(0, date) : 1000 * 2 ** attempt;
  return Math.min(MAX_WAIT_MS, ms);
}

/** The server's own words from an error body: OpenAI `{error: {message}}`, FastAPI `{detail}`, or text. */
export function errorDetail(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: { message?: string } | string; detail?: unknown; message?: string };
    const err = json.error;
    const text = typeof err === 'string' ? err : err?.message ?? json.message ?? json.detail;
    if (text !== undefined) return typeof text === 'string' ? text : JSON.stringify(text);
  } catch {
    /* not JSON */
  }
  return body.trim().slice(0, 300);
}

const TOO_LONG = /exceed_context_size|context (size|length|window)|maximum context|too long|num_ctx|prompt is too/i;

function statusError(server: ServerAddress, status: number, detail: string): Error {
  if (status === 401 || status === 403) return new EndpointAuthError(server.baseUrl, status, detail);
  if (status === 400 && TOO_LONG.test(detail)) return new EndpointInputTooLongError(server.baseUrl, detail);
  const what = status === 429 ? 'kept rate-limiting the requests' : status === 503 ? 'stayed busy or loading' : 'answered with an error';
  return new EndpointHttpError(server.baseUrl, status, `The server at ${server.baseUrl} ${what} (${status}${detail ? `: ${detail}` : ''}).`);
}

export interface RequestInit2 {
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
  /** Statuses returned to the caller as they are instead of thrown (e.g. 404 when probing a path). */
  pass?: number[];
}

export async function request(t: Transport, server: ServerAddress, path: string, init: RequestInit2 = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (server.apiKey) headers.Authorization = `Bearer ${server.apiKey}`;
  const url = `${server.baseUrl}${path}`;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await t.fetch(url, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      if (isAbort(error, init.signal)) throw error;
      throw await diagnoseUnreachable(t, server);
    }
    if (res.ok || init.pass?.includes(res.status)) return res;
    const detail = errorDetail(await res.text().catch(() => ''));
    if (attempt + 1 >= triesFor(res.status)) throw statusError(server, res.status, detail);
    await t.sleep(waitFor(res, attempt), init.signal);
  }
}

export async function getJson<T>(t: Transport, server: ServerAddress, path: string, signal?: AbortSignal): Promise<T | null> {
  const res = await request(t, server, path, { signal, pass: [404, 405, 400, 501] });
  if (!res.ok) return null;
  return (await res.json().catch(() => null)) as T | null;
}

/** Local Network Access: the permission the browser asks for before a public page calls this host. */
function permissionName(baseUrl: string): string | null {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return null;
  }
  if (/^(localhost|127\.|\[::1\])/.test(host)) return 'loopback-network';
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[f[cd])|\.local$/.test(host)) return 'local-network';
  return null;
}

async function permissionState(baseUrl: string): Promise<string | null> {
  const name = permissionName(baseUrl);
  const perms = (globalThis as { navigator?: { permissions?: { query(d: { name: string }): Promise<{ state: string }> } } }).navigator?.permissions;
  if (!name || !perms) return null;
  try {
    return (await perms.query({ name })).state;
  } catch {
    return null; // a browser that does not know the permission does not enforce it
  }
}

/**
 * Every failure looks the same to `fetch`; tell them apart: a denied permission means the browser
 * blocked it; an opaque `no-cors` request that succeeds means something answers but refuses this
 * origin; otherwise nothing is listening.
 */
export async function diagnoseUnreachable(t: Transport, server: ServerAddress): Promise<EndpointUnreachableError> {
  const url = server.baseUrl;
  if ((await permissionState(url)) === 'denied') {
    return new EndpointUnreachableError(url, 'blocked',
      `This browser blocked the page from reaching ${url} (local network access is denied). ` +
      "Allow local network access for this site in the browser's site settings, or open the page from localhost too.");
  }
  try {
    await t.fetch(`${url}/v1/models`, { mode: 'no-cors' });
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin ?? 'this page';
    return new EndpointUnreachableError(url, 'refuses-origin',
      `The server at ${url} is running but refuses requests from ${origin} (CORS). ${corsAdvice(url, server.kind, origin)}`);
  } catch {
    return new EndpointUnreachableError(url, 'nothing-listening',
      `Nothing answers at ${url}. Check that the server is running and the address and port are right ` +
      '(a firewall, or an https page calling plain http, can also stop it).');
  }
}
