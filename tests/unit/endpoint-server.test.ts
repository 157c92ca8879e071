// The server engine against a real llama-server (built from npm + Debian parts, see
// scripts/llama-server.mjs) serving the tiny shared model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEndpoints, type EndpointEngine } from '../../src/endpoint';
import { startLlamaServer, tinyModel, type LlamaServer } from '../support/llama-server';
// Node's fetch fails a request when llama-server has dropped the kept-alive connection it reuses
// (browsers send it again by themselves); the CLI's fetch does the same, so the engine is tested with it.
import { freshConnectionFetch } from '../../src/cli/engines';

const model = tinyModel();
const story = (content: string) => ({ messages: [{ role: 'user' as const, content }], temperature: 0.8, topP: 1, maxTokens: 48, seed: 1 });
const judge = { messages: [{ role: 'user' as const, content: 'Which is better, A or B? Answer with one letter.' }], prompt: 'Which is better, A or B? The answer is: (' };

/** A fetch in front of the real one that refuses logprob caps above `cap` with 400, as vLLM does. */
function cappedFetch(cap: number, hits?: Map<string, number>): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const host = new URL(String(input)).host;
    hits?.set(host, (hits.get(host) ?? 0) + 1);
    const body = init?.body ? (JSON.parse(String(init.body)) as { logprobs?: unknown; top_logprobs?: number }) : {};
    const asked = typeof body.logprobs === 'number' ? body.logprobs : (body.top_logprobs ?? 0);
    if (asked > cap) return new Response(JSON.stringify({ error: { message: `logprobs above ${cap}` } }), { status: 400 });
    return freshConnectionFetch(input, init);
  }) as typeof fetch;
}

describe.skipIf(!model)('a real llama-server', () => {
  let server: LlamaServer;
  let engine: EndpointEngine;
  beforeAll(async () => {
    server = await startLlamaServer(model!);
    engine = await connectEndpoints([{ baseUrl: server.url }], { fetch: freshConnectionFetch });
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('connecting learns what the server is', () => {
    console.log('probed facts:', JSON.stringify(engine.servers[0]));
    expect(engine.servers[0]).toMatchObject({ kind: 'llama.cpp', slots: 4, topLogprobs: 512, logprobsForm: 'raw', completions: true, constrained: 'grammar' });
    expect(engine.servers[0].contextSize).toBeGreaterThanOrEqual(2048);
    expect(engine.slots).toBe(4);
  });

  it('streams a chat, and the prefix cache is subtracted from the prompt tokens', async () => {
    const pieces: string[] = [];
    const started = performance.now();
    const first = await engine.chat(story('Tell me a story about a cat.'), { onToken: (t) => pieces.push(t) });
    console.log(`one request: ${Math.round((first.completionTokens / (performance.now() - started)) * 1000)} tokens/s`);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(first.text);
    expect(first.completionTokens).toBeGreaterThan(0);
    const again = await engine.chat(story('Tell me a story about a cat.'));
    expect(again.promptTokens).toBeLessThan(first.promptTokens);
  });

  it('an abort ends the answer at once and frees the slot', async () => {
    const controller = new AbortController();
    const aborted = await engine.chat({ ...story('Once upon a time'), maxTokens: 2000 }, { signal: controller.signal, onToken: () => controller.abort() });
    expect(aborted.finishReason).toBe('abort');
    expect(aborted.text.length).toBeGreaterThan(0);
    const next = await engine.chat(story('Once upon a time'));
    expect(next.finishReason).not.toBe('abort');
  });

  it('raw completion stops at a stop string', async () => {
    const r = await engine.complete!({ prompt: 'Once upon a time', temperature: 0, topP: 1, maxTokens: 64, stop: ['.'] });
    expect(r.text).not.toContain('.');
    expect(r.text.length).toBeGreaterThan(0);
  });

  it('the judge scores with logprobs at 512 and returns that many alternatives', async () => {
    const choice = await engine.choose(judge, ['A', 'B']);
    expect(choice).toMatchObject({ method: 'logprobs', form: 'raw' });
    expect(choice.top.length).toBe(512);
    expect(choice.probabilities.some((p) => p !== null && p > 0)).toBe(true);
  });

  it.each([20, 5])('probing steps down to %i where the server caps it, and the judge falls back to the grammar when no letter is listed', async (cap) => {
    const capped = await connectEndpoints([{ baseUrl: server.url }], { fetch: cappedFetch(cap) });
    expect(capped.servers[0].topLogprobs).toBe(cap);
    const choice = await capped.choose(judge, ['A', 'B']);
    expect(choice.top.length).toBe(cap);
    // With the tiny model no letter is among the top 5 or 20: one letter under llama-server's grammar.
    expect(choice.method).toBe('constrained');
    expect(['A', 'B']).toContain(choice.chosen);
  });

  it('a prompt over the context is the runner\'s "input too long"', async () => {
    const long = 'and the little dog ran far away '.repeat(1500);
    const error = await engine.chat(story(long)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ContextWindowSizeExceededError');
  });

  it('two servers at once: leases spread records, each record stays on its server', async () => {
    const second = await startLlamaServer(model!);
    try {
      const hits = new Map<string, number>();
      const both = await connectEndpoints([{ baseUrl: server.url }, { baseUrl: second.url }], { fetch: cappedFetch(512, hits) });
      expect(both.slots).toBe(8);
      hits.clear();
      const leases = Array.from({ length: 4 }, () => both.lease());
      const started = performance.now();
      const results = await Promise.all(leases.map(async (lease, i) => {
        const a = await lease.engine.chat(story(`A story number ${i}.`));
        const b = await lease.engine.chat({ ...story(`A story number ${i}.`), messages: [...story('').messages, { role: 'assistant', content: a.text }, { role: 'user', content: 'Go on.' }] });
        lease.release();
        return a.completionTokens + b.completionTokens;
      }));
      const tokens = results.reduce((x, y) => x + y, 0);
      console.log(`4 records in flight on 2 servers: ${Math.round((tokens / (performance.now() - started)) * 1000)} tokens/s`);
      expect([...hits.values()]).toEqual([4, 4]);
      expect(new Set(leases.map((l) => l.engine.info.id)).size).toBe(2);
    } finally {
      await second.stop();
    }
  // Starts a second server: past vitest's 5 s default on a loaded 2-core machine.
  }, 60_000);
});
