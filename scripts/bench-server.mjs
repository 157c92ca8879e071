// Server benchmark (`BENCH_ONLY=server npm run bench`, or `node scripts/bench-server.mjs`): against
// a real llama-server with the tiny model, K = 1 and K = 4 records in flight,
//  - the page's pipeline (bench/server.ts: runner + recipe + IndexedDB over the endpoint engine),
//  - the same chat requests sent straight to /v1/chat/completions, K at once (the server's own pace),
//  - `cai-lab run` on the same spec (its own figure after connecting, and its whole process),
// three interleaved repetitions; prints tokens/s and the ratios with their goals (min and median).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openBenchPage, root } from './bench-page.mjs';
import { ensureLlamaServer } from './llama-server.mjs';

const REPETITIONS = 3;
const PROMPTS = 12;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(model) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(ensureLlamaServer(), ['-m', model, '--host', '127.0.0.1', '--port', String(port), '-c', '8192', '-np', '4', '-t', '1', '--no-webui'], { stdio: 'ignore' });
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${url}/health`).then((r) => r.status, () => 0)) === 200) return { url, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('llama-server did not start');
}

/**
 * One streamed request to the end, on a connection of its own that closes after it: llama-server
 * gives each open connection an HTTP thread, so idle kept-alive connections would make requests
 * queue behind them and understate the server's pace. Completion tokens from the closing usage chunk.
 */
function send(url, body) {
  const to = new URL(`${url}/v1/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = request({ host: to.hostname, port: to.port, path: to.pathname, method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let tokens = 0;
        for (const line of text.split('\n')) {
          if (!line.startsWith('data: {')) continue;
          const usage = JSON.parse(line.slice(6)).usage;
          if (usage) tokens = usage.completion_tokens;
        }
        resolve(tokens);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The logged requests, K conversations at once: each worker takes the next record's requests and
 * sends them in their order, as the pipeline must (a revision request carries the critique's answer),
 * so the server's prefix cache serves the raw side as it serves the pipeline.
 */
async function replay(url, bodies, k) {
  // A request continues the conversation whose last request's messages it starts with. (Keying on
  // the first user message would put every record in one chain: the few-shot turns come first.)
  const chains = [];
  for (const body of bodies) {
    const messages = JSON.parse(body).messages.map((m) => JSON.stringify(m));
    const chain = chains.find((c) => c.messages.length < messages.length && c.messages.every((m, i) => m === messages[i]));
    if (chain) Object.assign(chain, { messages, bodies: [...chain.bodies, body] });
    else chains.push({ messages, bodies: [body] });
  }
  const queue = chains.map((c) => c.bodies);
  const started = performance.now();
  let tokens = 0;
  await Promise.all(Array.from({ length: k }, async () => {
    for (let chain = queue.shift(); chain; chain = queue.shift()) {
      for (const body of chain) {
        // Not `tokens += await …`: that reads `tokens` before the wait and drops the other workers' counts.
        const made = await send(url, body);
        tokens += made;
      }
    }
  }));
  return { tokens, ms: performance.now() - started };
}

function cliRun(spec, url, k, out) {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'cai-lab.mjs'), 'run', spec, '--endpoint', url, '--concurrency', String(k), '--out', out, '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => child.once('close', (code) => {
    const wall = performance.now() - started;
    const m = /records made \(([\d.]+) s/.exec(stderr);
    if (code !== 0 || !m) return reject(new Error(`cai-lab run failed (${code}): ${stderr}`));
    const tokens = readFileSync(out, 'utf8').split('\n').filter(Boolean).reduce((n, l) => n + JSON.parse(l).usage.completionTokens, 0);
    resolve({ tokens, ms: Number(m[1]) * 1000, wallMs: wall });
  }));
}

const rate = (r, ms = r.ms) => (r.tokens / ms) * 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `min ${Math.min(...xs).toFixed(3)}, median ${median(xs).toFixed(3)}`;

export async function serverBench(page, model) {
  await page.waitForFunction(() => 'runServerPipeline' in window);
  const server = await startServer(model);
  const dir = mkdtempSync(path.join(tmpdir(), 'cai-bench-server-'));
  try {
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, await page.evaluate((n) => window.serverBenchSpecText(n), PROMPTS));
    // Warm-up: the server's first requests, the page's first connection, the CLI's bundle build.
    await page.evaluate((u) => window.runServerPipeline(u, 2, 2), server.url);
    await cliRun(spec, server.url, 2, path.join(dir, 'warm.jsonl')).catch(() => undefined);
    for (const k of [1, 4]) {
      const rows = [];
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const p = await page.evaluate(([u, n, kk]) => window.runServerPipeline(u, n, kk), [server.url, PROMPTS, k]);
        const raw = await replay(server.url, p.bodies, k);
        const cli = await cliRun(spec, server.url, k, path.join(dir, `cli-${k}-${rep}.jsonl`));
        rows.push({ k, rep, requests: p.bodies.length, page: Math.round(rate(p)), raw: Math.round(rate(raw)), cli: Math.round(rate(cli)), 'cli process': Math.round(rate(cli, cli.wallMs)), pageOverRaw: rate(p) / rate(raw), cliOverRaw: rate(cli) / rate(raw), cliOverPage: rate(cli) / rate(p), cliProcessOverPage: rate(cli, cli.wallMs) / rate(p) });
      }
      console.log(`server, K = ${k}: tokens/s (${PROMPTS} prompts × 2 rounds, critique → revision, llama-server -np 4 -t 1)`);
      console.table(rows.map((r) => ({ ...r, pageOverRaw: +r.pageOverRaw.toFixed(3), cliOverRaw: +r.cliOverRaw.toFixed(3), cliOverPage: +r.cliOverPage.toFixed(3), cliProcessOverPage: +r.cliProcessOverPage.toFixed(3) })));
      console.log(`server, K = ${k}: page pipeline / raw server: ${fmt(rows.map((r) => r.pageOverRaw))} (goal >= 0.95)`);
      console.log(`server, K = ${k}: CLI pipeline / raw server: ${fmt(rows.map((r) => r.cliOverRaw))} (goal >= 0.95)`);
      console.log(`server, K = ${k}: CLI / page: ${fmt(rows.map((r) => r.cliOverPage))} (goal >= 0.95); whole CLI process / page: ${fmt(rows.map((r) => r.cliProcessOverPage))}`);
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const model = path.resolve(root, '..', 'shared', 'models', 'stories260K.gguf');
  const { page, close } = await openBenchPage();
  try {
    page.on('console', (m) => m.type() === 'log' && console.log('page:', m.text()));
    await serverBench(page, model);
  } finally {
    await close();
  }
}
