// The Server panel's state with a scripted worker: the key goes to the worker, is never part of
// the model reference, and reaches localStorage only while "Remember the key" is ticked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerConnection } from '../../src/state/server-connection.svelte';
import type { EngineState } from '../../src/state/engine.svelte';
import type { Pipeline } from '../../src/state/worker-client';
import type { ModelRef } from '../../src/core/types';
import type { UserError } from '../../src/core/errors';

const KEY = 'sk-unit-secret';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

function scripted(fail?: UserError) {
  const sentKeys: { baseUrl: string; apiKey: string }[][] = [];
  const refs: ModelRef[] = [];
  const engine = {
    loaded: null as ModelRef | null,
    async connect(ref: ModelRef) {
      refs.push(ref);
      if (fail) return fail;
      engine.loaded = ref;
      return null;
    },
  };
  const pipeline = {
    setEndpointKeys: async (entries: { baseUrl: string; apiKey: string }[]) => void sentKeys.push(entries),
    listEndpointModels: async () => ['m1', 'm2'],
    endpointFacts: async () => [{ baseUrl: 'http://a:8080', model: 'm1', slots: 4 }],
  };
  const server = new ServerConnection(pipeline as unknown as Pipeline, engine as unknown as EngineState);
  return { server, sentKeys, refs };
}

beforeEach(() => vi.stubGlobal('localStorage', memoryStorage()));
afterEach(() => vi.unstubAllGlobals());

describe('the Server panel state', () => {
  it('sends the key to the worker, loads a ref with addresses and model only, and stores no key unless asked', async () => {
    const { server, sentKeys, refs } = scripted();
    server.urls = ['http://a:8080/v1/', ' http://b:8080 ', 'http://a:8080'];
    server.apiKey = KEY;
    expect(await server.connect()).toBe(true);
    expect(sentKeys.at(-1)).toEqual([{ baseUrl: 'http://a:8080', apiKey: KEY }, { baseUrl: 'http://b:8080', apiKey: KEY }]);
    expect(refs).toEqual([{ backend: 'server', baseUrls: ['http://a:8080', 'http://b:8080'], model: 'm1' }]);
    expect(server.facts).toHaveLength(1);
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY);
    expect(JSON.stringify(localStorage.getItem('cai-lab:server-form'))).toContain('http://b:8080');
  });

  it('remembers the key only while ticked, and a new panel (a reload) starts with it then', async () => {
    const { server } = scripted();
    server.urls = ['http://a:8080'];
    server.apiKey = KEY;
    server.setRemember(true);
    await server.connect();
    const reloaded = scripted().server;
    expect(reloaded.apiKey).toBe(KEY);
    expect(reloaded.remember).toBe(true);
    reloaded.setRemember(false);
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY);
    const again = scripted().server;
    expect([again.apiKey, again.remember]).toEqual(['', false]);
    expect(again.urls).toEqual(['http://a:8080']);
  });

  it('a refused key asks for the key; an empty address asks for one', async () => {
    const { server } = scripted({ name: 'EndpointAuthError', message: 'refused (401)', hint: 'Enter the API key' });
    expect(await server.connect()).toBe(false);
    expect(server.error?.name).toBe('NoAddress');
    server.urls = ['http://a:8080'];
    expect(await server.connect()).toBe(false);
    expect(server.needsKey).toBe(true);
    expect(server.facts).toBeNull();
  });
});
