// Helpers for e2e tests: serve the production build and drive Debian's Chromium via playwright-core.
// `npm test` (scripts/test.mjs) runs `vite build` before the e2e suite, so dist/ is fresh here.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Repo root, resolved from this file so nothing depends on where the checkout lives. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Chromium binary: $CHROMIUM_PATH if set, else `chromium`/`chromium-browser` on PATH. */
export function chromiumPath(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = path.join(dir, name);
      try {
        if (statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return null;
}

/** `../shared/<rel>` next to the repo (models, reference data), or null where it is absent. */
export function sharedPath(rel: string): string | null {
  const p = path.resolve(repoRoot, '..', 'shared', rel);
  return existsSync(p) ? p : null;
}

/** Like sharedPath, but says why a test is skipped. Use with `describe.skipIf(!p)`. */
export function requireShared(rel: string): string | null {
  const p = sharedPath(rel);
  if (!p) console.log(`skipping: ../shared/${rel} not found (expected only on users' machines)`);
  return p;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Serves dist/ with `vite preview` on a free local port; resolves once `/` answers 200. */
export async function startServer(): Promise<Server> {
  if (!existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    throw new Error('dist/index.html missing: run `npx vite build` first (npm test does)');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Spawn the binary directly (no shell) so the pid we hold is the server's and kill() reaches it.
  const child = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'vite'),
    ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited early:\n${output}`);
    try {
      const res = await fetch(url + '/');
      if (res.status === 200) return { url, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`vite preview did not answer 200 on ${url}/ within 30 s:\n${output}`);
}

export interface LaunchOptions {
  /** Adds --enable-unsafe-webgpu (SwiftShader adapter in headless Chromium). */
  webgpu?: boolean;
  /**
   * Aborts every request that is not to 127.0.0.1/localhost, as if the internet were unreachable
   * while the local server still works. Blocked URLs are recorded in `blockedRequests`.
   * For full offline (local server too) call `context.setOffline(true)` after loading.
   */
  offline?: boolean;
  /**
   * Service workers are allowed by default (the built app registers one). 'block' keeps every
   * request on the network, where `context.route` sees it (requests a service worker answers bypass routes).
   */
  serviceWorkers?: 'allow' | 'block';
}

export interface Launched {
  /** null: a persistent context has no separate Browser object in Playwright. */
  browser: Browser | null;
  context: BrowserContext;
  page: Page;
  /** Console errors (pages and workers) and uncaught page errors. */
  consoleErrors: string[];
  blockedRequests: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile dir, so IndexedDB/OPFS survive reloads within a test. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Launched> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium not found on PATH (apt-get install chromium)');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    acceptDownloads: true,
    serviceWorkers: opts.serviceWorkers ?? 'allow',
    // Flags verified to work as root with no network (see shared notes).
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });

  const consoleErrors: string[] = [];
  // The context's events cover every page and their workers.
  context.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url;
      consoleErrors.push(where ? `${msg.text()} (${where})` : msg.text());
    }
  });
  context.on('weberror', (err) => consoleErrors.push(`pageerror: ${err.error().stack ?? err.error()}`));

  const blockedRequests: string[] = [];
  if (opts.offline) {
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
      if (local || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
      blockedRequests.push(u.href);
      return route.abort('internetdisconnected');
    });
  }

  const page = context.pages()[0] ?? (await context.newPage());
  return {
    browser: context.browser(),
    context,
    page,
    consoleErrors,
    blockedRequests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Serves dist/ for the tests of the calling file: started before them, stopped after. */
export function serveForSuite(): { readonly url: string } {
  let server: Server | undefined;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error('the server starts in beforeAll: use it inside a test');
      return server.url;
    },
  };
}

/** A fresh browser for one test, closed (profile removed) whatever the test does. */
export async function withBrowser(opts: LaunchOptions, body: (b: Launched) => Promise<void>): Promise<void> {
  const b = await launchBrowser(opts);
  try {
    await body(b);
  } finally {
    await b.close();
  }
}
