// A real llama.cpp `llama-server` for tests, on 127.0.0.1 and a free port, serving the tiny shared
// model. The binary is built once by scripts/llama-server.mjs into a cache folder outside the
// repository; `npm test` builds it before the suites and passes its path (or why it failed) on.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The tiny model next to the repository, or null (then the tests skip, saying why). */
export function tinyModel(): string | null {
  const p = path.resolve(repoRoot, '..', 'shared', 'models', 'stories260K.gguf');
  if (existsSync(p)) return p;
  console.log('skipping: ../shared/models/stories260K.gguf not found (expected only on users\' machines)');
  return null;
}

/**
 * The binary. A failed build is an error, never a skip: CI must not pass without these tests.
 * `LLAMA_SERVER_BIN` / `LLAMA_SERVER_ERROR` come from scripts/test.mjs, which built it already.
 */
export function llamaServerBinary(): string {
  if (process.env.LLAMA_SERVER_ERROR) throw new Error(`llama-server could not be built: ${process.env.LLAMA_SERVER_ERROR}`);
  if (process.env.LLAMA_SERVER_BIN) return process.env.LLAMA_SERVER_BIN;
  return execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'llama-server.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface LlamaServer {
  url: string;
  stop(): Promise<void>;
}

export interface LlamaServerOptions {
  /** Context size in tokens (split over the slots). */
  ctx?: number;
  slots?: number;
  /** Extra command-line arguments (e.g. `--api-key`). */
  args?: string[];
}

/** Starts llama-server and resolves once `/health` answers 200 (the model is loaded). */
export async function startLlamaServer(model: string, opts: LlamaServerOptions = {}): Promise<LlamaServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['-m', model, '--host', '127.0.0.1', '--port', String(port), '-c', String(opts.ctx ?? 8192), '-np', String(opts.slots ?? 4), '-t', '1', '--no-webui', ...(opts.args ?? [])];
  const child = spawn(llamaServerBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`llama-server exited early:\n${output}`);
    const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`llama-server did not become healthy on ${url} within 60 s:\n${output}`);
}
