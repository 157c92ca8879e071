// The server engine against scripted HTTP: what a real server will not do on demand.
import { describe, expect, it } from 'vitest';
import { connectEndpoints, type EndpointEngine } from '../../src/endpoint';
import { toUserError } from '../../src/core/errors';
import { chatEvents, json, llamaRoutes, recordingSleep, scriptedFetch, sse, type Handler } from '../support/scripted-fetch';

const chatReq = { messages: [{ role: 'user' as const, content: 'Hi' }], temperature: 0, topP: 1, maxTokens: 8 };

async function connect(routes: Record<string, Handler>, baseUrl = 'http://127.0.0.1:8080', apiKey?: string) {
  const server = scriptedFetch(routes);
  const sleeper = recordingSleep();
  const engine = await connectEndpoints([{ baseUrl, apiKey }], { fetch: server.fetch, sleep: sleeper.sleep });
  return { engine, server, waits: sleeper.waits };
}

describe('connecting', () => {
  it('learns a llama-server: kind, slots, context, logprob cap, grammar', async () => {
    const { engine } = await connect(llamaRoutes());
    expect(engine.servers[0]).toMatchObject({ kind: 'llama.cpp', model: 'tiny', slots: 2, contextSize: 4096, topLogprobs: 512, logprobsForm: 'raw', completions: true, constrained: 'grammar' });
    expect(engine.slots).toBe(2);
    expect(engine.info.backend).toBe('server');
  });

  it('steps the logprob cap down on 400 (512 → 20) and names vLLM\'s constrained field', async () => {
    const { engine, server } = await connect(llamaRoutes({
      'GET /v1/models': () => json({ data: [{ id: 'm', owned_by: 'vllm', max_model_len: 2048 }] }),
      'GET /props': () => new Response('', { status: 404 }),
      'POST /v1/completions': (req) => Number(req.body?.logprobs ?? 0) > 20
        ? json({ error: { message: 'logprobs must be at most 20' } }, 400)
        : llamaRoutes()['POST /v1/completions'](req, 0),
    }));
    expect(engine.servers[0]).toMatchObject({ kind: 'vLLM', topLogprobs: 20, contextSize: 2048, constrained: 'structured_outputs', slots: 32 });
    expect(server.calls('POST /v1/completions').map((r) => r.body?.logprobs)).toEqual([undefined, 512, 20]);
  });

  it('says plainly when the judge can only give hard labels (LM Studio: no logprobs)', async () => {
    const { engine } = await connect({
      'GET /v1/models': () => json({ data: [{ id: 'qwen', owned_by: 'organization_owner' }] }),
      'GET /api/v0/models': () => json({ data: [{ id: 'qwen', loaded_context_length: 8192 }] }),
      'POST /v1/completions': () => json({ choices: [{ text: 'x' }] }),
      'POST /v1/chat/completions': () => json({ choices: [{ message: { content: 'A' } }] }),
    }, 'http://127.0.0.1:1234');
    const facts = engine.servers[0];
    expect(facts).toMatchObject({ kind: 'LM Studio', topLogprobs: 0, logprobsForm: null, contextSize: 8192, constrained: 'response_format', slots: 4 });
    expect(facts.warnings.join(' ')).toMatch(/only give hard labels/);
  });

  it('warns that Ollama truncates silently, with its num_ctx', async () => {
    const { engine } = await connect({
      'GET /v1/models': () => json({ data: [{ id: 'llama3', owned_by: 'library' }] }),
      'GET /api/version': () => json({ version: '0.12.0' }),
      'POST /api/show': () => json({ parameters: 'num_ctx                        8192\nstop "<|eot|>"' }),
      'POST /v1/completions': (req) => llamaRoutes()['POST /v1/completions'](req, 0),
    }, 'http://127.0.0.1:11434');
    expect(engine.servers[0]).toMatchObject({ kind: 'Ollama', slots: 1, contextSize: 8192 });
    expect(engine.servers[0].warnings.join(' ')).toMatch(/silently truncates.*num_ctx = 8192/);
  });
});

describe('streaming', () => {
  it('reads an SSE stream cut at odd byte boundaries, multi-byte characters included', async () => {
    const parts = ['Hé', 'llo ✓ ', 'wörld 😀', '!'];
    const { engine } = await connect(llamaRoutes({ 'POST /v1/chat/completions': () => sse(chatEvents(parts), [1, 3, 2, 7, 5]) }));
    const tokens: string[] = [];
    const result = await engine.chat(chatReq, { onToken: (t) => tokens.push(t) });
    expect(result.text).toBe(parts.join(''));
    expect(tokens).toEqual(parts);
    expect(result.finishReason).toBe('stop');
    // 10 prompt tokens of which 4 came from the prefix cache.
    expect(result).toMatchObject({ promptTokens: 6, completionTokens: 4 });
  });

  it('fails clearly on an error sent mid-stream, and on a connection that breaks off', async () => {
    const midError = [{ choices: [{ delta: { content: 'par' } }] }, { error: { message: 'slot crashed' } }];
    const { engine } = await connect(llamaRoutes({
      'POST /v1/chat/completions': (_r, call) => (call === 0 ? sse(midError) : sse(chatEvents(['a', 'b', 'c']), [4], { breakAfter: 3 })),
    }));
    await expect(engine.chat(chatReq)).rejects.toMatchObject({ name: 'EndpointStreamError', message: expect.stringMatching(/slot crashed/) });
    await expect(engine.chat(chatReq)).rejects.toMatchObject({ name: 'EndpointStreamError' });
  });

  it('an abort ends the answer with what came so far', async () => {
    const controller = new AbortController();
    const { engine } = await connect(llamaRoutes({ 'POST /v1/chat/completions': () => sse(chatEvents(['one ', 'two ', 'three']), [12]) }));
    const result = await engine.chat(chatReq, { signal: controller.signal, onToken: () => controller.abort() });
    expect(result.finishReason).toBe('abort');
    expect(result.text.length).toBeLessThan('one two three'.length);
  });
});

describe('status codes', () => {
  it('401 stops at once and asks for the key', async () => {
    const server = scriptedFetch({ 'GET /v1/models': () => json({ error: { message: 'Invalid API Key' } }, 401) });
    const failing = connectEndpoints([{ baseUrl: 'http://h:8080/v1/', apiKey: 'sk-wrong' }], { fetch: server.fetch, sleep: recordingSleep().sleep });
    await expect(failing).rejects.toMatchObject({ name: 'EndpointAuthError', status: 401 });
    await failing.catch((e) => expect(toUserError(e).hint).toMatch(/API key/));
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0].headers.authorization).toBe('Bearer sk-wrong');
  });

  it('429 waits Retry-After and retries', async () => {
    const { engine, server, waits } = await connect(llamaRoutes({
      'POST /v1/chat/completions': (_r, call) => (call < 2 ? json({ error: 'slow down' }, 429, { 'Retry-After': '3' }) : sse(chatEvents(['ok']))),
    }));
    expect((await engine.chat(chatReq)).text).toBe('ok');
    expect(waits).toEqual([3000, 3000]);
    expect(server.calls('POST /v1/chat/completions')).toHaveLength(3);
  });

  it('503 retries with backoff, then gives up with a clear error', async () => {
    const busy = () => json({ error: { message: 'Loading model' } }, 503);
    const { engine, waits } = await connect(llamaRoutes({ 'POST /v1/chat/completions': (_r, call) => (call < 2 ? busy() : sse(chatEvents(['ok']))) }));
    expect((await engine.chat(chatReq)).text).toBe('ok');
    expect(waits).toEqual([1000, 2000]);
    const always = await connect(llamaRoutes({ 'POST /v1/chat/completions': busy }));
    await expect(always.engine.chat(chatReq)).rejects.toMatchObject({ name: 'EndpointHttpError', status: 503, message: expect.stringMatching(/busy or loading.*Loading model/) });
    expect(always.server.calls('POST /v1/chat/completions').length).toBeGreaterThan(2);
    expect(always.server.calls('POST /v1/chat/completions').length).toBeLessThan(10);
  });

  it('a prompt over the context is the runner\'s "input too long"', async () => {
    const { engine } = await connect(llamaRoutes({
      'POST /v1/chat/completions': () => json({ error: { code: 400, type: 'exceed_context_size_error', message: 'the request exceeds the available context size, try increasing it' } }, 400),
    }));
    const error = await engine.chat(chatReq).then(() => new Error("no error"), (e: Error) => e);
    expect(error.name).toBe('ContextWindowSizeExceededError');
    expect(error.message).toMatch(/context (size|window|length)|exceeds the available context/i);
  });

  it('"cannot reach": nothing listening and a server refusing this origin get different messages', async () => {
    const down = scriptedFetch({});
    const refusing = async (_u: RequestInfo | URL, init?: RequestInit) => {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    };
    const nothing = async () => {
      throw new TypeError('Failed to fetch');
    };
    void down;
    const a = await connectEndpoints([{ baseUrl: 'http://127.0.0.1:9' }], { fetch: nothing as typeof fetch }).catch((e) => e);
    expect(a).toMatchObject({ name: 'EndpointUnreachableError', reason: 'nothing-listening' });
    const b = await connectEndpoints([{ baseUrl: 'http://127.0.0.1:11434' }], { fetch: refusing as typeof fetch }).catch((e) => e);
    expect(b).toMatchObject({ name: 'EndpointUnreachableError', reason: 'refuses-origin' });
    expect(b.message).toMatch(/OLLAMA_ORIGINS/);
  });
});

describe('judge and several servers', () => {
  it('choose scores the raw form with logprobs, and falls back to the grammar when no letter is listed', async () => {
    const { engine, server } = await connect(llamaRoutes());
    const req = { messages: [{ role: 'user' as const, content: 'A or B?' }], prompt: 'The answer is: (' };
    const scored = await engine.choose(req, ['A', 'B']);
    expect(scored).toMatchObject({ method: 'logprobs', form: 'raw' });
    expect(scored.probabilities[0]).toBeCloseTo(Math.exp(-0.5));
    const noLetters = await connect(llamaRoutes({
      'POST /v1/completions': (r) => r.body?.grammar
        ? json({ choices: [{ text: 'B' }], usage: { prompt_tokens: 5, completion_tokens: 1 } })
        : json({ choices: [{ text: 'x', logprobs: { content: [{ token: 'x', logprob: -0.1, top_logprobs: [{ token: 'x', logprob: -0.1 }] }] } }] }),
    }));
    const forced = await noLetters.engine.choose(req, ['A', 'B']);
    expect(forced).toMatchObject({ method: 'constrained', chosen: 'B', probabilities: [null, null] });
    expect(noLetters.server.calls('POST /v1/completions').at(-1)?.body).toMatchObject({ grammar: 'root ::= "A" | "B"', temperature: 0 });
    void server;
  });

  it('lease spreads records over servers by load; slots add up', async () => {
    const a = scriptedFetch(llamaRoutes({}, 2));
    const engine: EndpointEngine = await connectEndpoints(
      [{ baseUrl: 'http://a:8080' }, { baseUrl: 'http://b:8080' }],
      { fetch: a.fetch },
    );
    expect(engine.slots).toBe(4);
    const leases = [engine.lease(), engine.lease(), engine.lease(), engine.lease()];
    const ids = leases.map((l) => l.engine.info.id);
    expect(ids.filter((id) => id.includes('//a:')).length).toBe(2);
    expect(ids.filter((id) => id.includes('//b:')).length).toBe(2);
    leases[1].release();
    leases[1].release(); // twice is harmless
    expect(engine.lease().engine.info.id).toBe(ids[1]);
  });
});
