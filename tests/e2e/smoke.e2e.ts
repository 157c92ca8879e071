// Smoke test: the production build loads in Chromium with a title and no console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type Launched, type Server } from './harness';

describe('smoke', () => {
  let server: Server;
  let b: Launched;

  beforeAll(async () => {
    server = await startServer();
    b = await launchBrowser({ offline: true });
  });

  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('loads the app with a title and a clean console', async () => {
    await b.page.goto(server.url + '/', { waitUntil: 'networkidle' });
    expect((await b.page.title()).trim()).not.toBe('');
    expect(b.consoleErrors).toEqual([]);
  });
});
