/**
 * A scripted OpenAI-compatible server for unit tests: a `fetch` that answers from handlers keyed by
 * "METHOD /path", recording every request. For what a real server will not do on demand (a stream
 * cut at odd byte boundaries, an error mid-stream, 401, 429, 503).
 */

export interface SeenRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  headers: Record<string, string>;
  mode?: string;
}

export type Handler = (req: SeenRequest, call: number) => Response | Promise<Response>;

export interface ScriptedServer {
  fetch: typeof fetch;
  seen: SeenRequest[];
  /** Requests to one route. */
  calls(route: string): SeenRequest[];
}

export function scriptedFetch(routes: Record<string, Handler>): ScriptedServer {
  const seen: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const req: SeenRequest = { method, path: url.pathname, body: init.body ? JSON.parse(String(init.body)) : null, headers, mode: init.mode };
    seen.push(req);
    init.signal?.throwIfAborted();
    const route = `${method} ${url.pathname}`;
    const handler = routes[route];
    const call = counts.get(route) ?? 0;
    counts.set(route, call + 1);
    if (!handler) return new Response('not found', { status: 404 });
    return handler(req, call);
  };
  return {
    fetch: fetchImpl as typeof fetch,
    seen,
    calls: (route) => seen.filter((r) => `${r.method} ${r.path}` === route),
  };
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** An SSE body from JSON events, ending in `[DONE]`, cut into pieces of the given byte sizes (cycled). */
export function sse(events: unknown[], pieceSizes: number[] = [1 << 20], opts: { breakAfter?: number } = {}): Response {
  const text = events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = pieceSizes[i % pieceSizes.length];
    pieces.push(bytes.slice(at, at + size));
    at += size;
  }
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (opts.breakAfter !== undefined && i === opts.breakAfter) return controller.error(new TypeError('network error'));
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

/** Chat stream events: one delta per piece of text, then the finish and a usage chunk. */
export function chatEvents(parts: string[], usage = { prompt_tokens: 10, completion_tokens: parts.length, prompt_tokens_details: { cached_tokens: 4 } }): unknown[] {
  return [
    ...parts.map((content) => ({ choices: [{ delta: { content }, finish_reason: null }] })),
    { choices: [{ delta: {}, finish_reason: 'stop' }] },
    { choices: [], usage },
  ];
}

/** A llama-server-like script: model list, /props, raw completions with any logprob cap, chat. */
export function llamaRoutes(overrides: Record<string, Handler> = {}, slots = 2): Record<string, Handler> {
  const top = (n: number) => [{ token: 'A', logprob: -0.5 }, { token: 'B', logprob: -1.2 }, { token: ' the', logprob: -3 }].slice(0, Math.max(1, Math.min(3, n)));
  return {
    'GET /v1/models': () => json({ data: [{ id: 'tiny', owned_by: 'llamacpp' }] }),
    'GET /props': () => json({ total_slots: slots, default_generation_settings: { n_ctx: 4096 } }),
    'POST /v1/completions': (req) => {
      const n = Number(req.body?.logprobs ?? 0);
      return json({ choices: [{ text: 'A', logprobs: n ? { content: [{ token: 'A', logprob: -0.5, top_logprobs: top(n) }] } : null }], usage: { prompt_tokens: 5, completion_tokens: 1 } });
    },
    'POST /v1/chat/completions': () => sse(chatEvents(['Hel', 'lo'])),
    ...overrides,
  };
}

/** A sleep that returns at once and records how long it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
