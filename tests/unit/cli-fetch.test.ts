// The command line's fetch: a request whose connection the server drops before answering is sent
// again (a kept-alive connection closed by the server under the client's feet looks just like this).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshConnectionFetch } from '../../src/cli/engines';

describe('the command line fetch', () => {
  let seen = 0;
  let drops = 0;
  let url = '';
  const server = createServer((req, res) => {
    seen++;
    if (drops > 0) {
      drops--;
      req.socket.destroy(); // closed before any answer
      return;
    }
    res.end('ok');
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((url = `http://127.0.0.1:${(server.address() as { port: number }).port}`), resolve()))));
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  it('sends a request again when its connection is dropped before the answer, twice at most', async () => {
    seen = 0;
    drops = 2;
    const res = await freshConnectionFetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(await res.text()).toBe('ok');
    expect(seen).toBe(3);
    seen = 0;
    drops = 3;
    await expect(freshConnectionFetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed');
    expect(seen).toBe(3);
  });

  it('does not retry what a dropped connection does not explain', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(freshConnectionFetch(url, { signal: controller.signal })).rejects.toThrow();
    await expect(freshConnectionFetch('http://127.0.0.1:9/')).rejects.toThrow('fetch failed');
    await expect(freshConnectionFetch(url, { mode: 'no-cors' })).rejects.toThrow('no CORS outside a page');
  });
});
