// The `cai-lab` command line as its users run it: `node bin/cai-lab.mjs …` in a child process
// (the launcher builds dist-cli/cai-lab.mjs first when it is missing or stale), plus a counting
// HTTP proxy to see how many requests reach a server at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { builtinConstitutions } from '../../src/core/builtins/constitution';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { runSpecText } from '../../src/core/run-spec-file';
import type { RunSpec } from '../../src/core/run';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(repoRoot, 'bin', 'cai-lab.mjs');

/** Builds the bundle once up front, so no test's time includes the build. */
export function buildCli(): void {
  const r = spawnSync(process.execPath, [CLI, '--help'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cai-lab --help failed (${r.status}): ${r.stderr}`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export const runCli = (args: string[]) => startCli(args).done;

/** A critique → revision spec over `n` prompts, as the page's "Export run spec" writes it. */
export function critiqueSpec(n: number, maxTokens = 24): { name: string; spec: RunSpec } {
  const constitution = builtinConstitutions[0]!;
  const prompts = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, text: `Tell a short story about animal number ${i}.` }));
  const spec = critiqueRunSpec({
    model: { backend: 'cpu', kind: 'file', name: 'stories260K.gguf', size: 1185376 },
    constitution,
    promptSet: { id: 'cli-test', name: 'CLI test prompts', prompts },
    rounds: 1,
    seed: 7,
    fewShot: 0,
    sampling: { temperature: 0.8, topP: 0.95, maxTokens },
  });
  return { name: `CLI test · ${n} prompts`, spec };
}

export function writeSpec(file: string, { name, spec }: { name: string; spec: RunSpec }): string {
  writeFileSync(file, runSpecText(name, spec));
  return file;
}

/** Forwards every request to `target`, counting requests in flight (and the most at once). */
export interface CountingProxy {
  url: string;
  requests: number;
  maxInFlight: number;
  /**
   * Each generation request waits this long before it goes on (0: none), so requests that were
   * sent together overlap even on a busy machine, where a tiny model may answer one before the next arrives.
   */
  holdMs: number;
  close(): Promise<void>;
}

/** Headers without the hop-by-hop ones, which are each connection's own. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']) delete out[name];
  return out;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  let inFlight = 0;
  const proxy: CountingProxy = { url: '', requests: 0, maxInFlight: 0, holdMs: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const counted = req.url?.startsWith('/v1/chat/completions') || req.url?.startsWith('/v1/completions');
    if (counted) (proxy.requests++, inFlight++, (proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight)));
    let ended = false;
    const end = () => {
      if (!ended && counted) inFlight--;
      ended = true;
    };
    const forward = () => {
      const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: endToEnd(req.headers), agent: false }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.headers));
        upRes.pipe(res);
        upRes.on('end', end);
      });
      up.on('error', () => (end(), res.destroy()));
      res.on('close', () => (end(), up.destroy()));
      req.pipe(up);
    };
    if (counted && proxy.holdMs > 0) setTimeout(forward, proxy.holdMs);
    else forward();
  });
  // Idle connections stay open longer than the client keeps them, so it never reuses a closing one.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return proxy;
}
