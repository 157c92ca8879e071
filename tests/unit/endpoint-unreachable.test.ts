// "Cannot reach" split three ways, as the page's Server panel shows it: the browser blocked local
// network access, something answers but refuses this origin (naming the server's flag), or nothing
// answers. `fetch` fails the same way in all three; the diagnosis asks the permission, then tries
// an opaque no-cors request.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectEndpoints, EndpointUnreachableError } from '../../src/endpoint';

/** A fetch whose CORS request always fails, and whose no-cors request succeeds when `listening`. */
function failingFetch(listening: boolean): typeof fetch {
  return (async (_url: string, init?: RequestInit) => {
    if (init?.mode === 'no-cors' && listening) return new Response(null, { status: 200 });
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;
}

async function reason(baseUrl: string, listening: boolean): Promise<EndpointUnreachableError> {
  const error = await connectEndpoints([{ baseUrl }], { fetch: failingFetch(listening) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EndpointUnreachableError);
  return error as EndpointUnreachableError;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a server out of reach', () => {
  it('the browser denied local network access: says the browser blocked it, whatever answers', async () => {
    vi.stubGlobal('navigator', { permissions: { query: async ({ name }: { name: string }) => ({ state: name === 'loopback-network' ? 'denied' : 'granted' }) } });
    const e = await reason('http://127.0.0.1:8080', true);
    expect(e.reason).toBe('blocked');
    expect(e.message).toMatch(/This browser blocked the page from reaching http:\/\/127\.0\.0\.1:8080/);
  });

  it('something answers but refuses the origin: names the flag of the server its port suggests', async () => {
    vi.stubGlobal('location', { origin: 'https://lab.example' });
    const ollama = await reason('http://127.0.0.1:11434/v1/', true);
    expect(ollama.reason).toBe('refuses-origin');
    expect(ollama.message).toMatch(/refuses requests from https:\/\/lab\.example \(CORS\)\. Start Ollama with OLLAMA_ORIGINS=https:\/\/lab\.example/);
    const vllm = await reason('http://10.0.0.5:8000', true);
    expect(vllm.message).toMatch(/--allowed-origins '\["https:\/\/lab\.example"\]'/);
  });

  it('nothing answers: says so, without CORS advice', async () => {
    const e = await reason('http://127.0.0.1:9', false);
    expect(e.reason).toBe('nothing-listening');
    expect(e.message).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:9\./);
    expect(e.message).not.toMatch(/CORS/);
  });
});
