// `npm run bench`: builds bench/, serves it, and runs it in headless Chromium with the tiny model.
// Prints the figures measured side by side in one run; never part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { datasetBench } from './bench-datasets.mjs';

const root = path.resolve(import.meta.dirname, '..');
const model = path.resolve(root, '..', 'shared', 'models', 'stories260K.gguf');
if (!existsSync(model)) {
  console.log('skipping bench: ../shared/models/stories260K.gguf not found');
  process.exit(0);
}
const chromiumBin = spawnSync('which', ['chromium']).stdout.toString().trim();
if (!chromiumBin) throw new Error('chromium not found on PATH (apt-get install chromium)');

const build = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'vite.bench.config.ts'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
copyFileSync(model, path.join(root, 'dist-bench', 'stories260K.gguf'));

const port = 4300 + Math.floor(Math.random() * 500);
const server = spawn(path.join(root, 'node_modules/.bin/vite'), ['preview', '--config', 'vite.bench.config.ts', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 200));
}

const profile = mkdtempSync(path.join(tmpdir(), 'bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumBin,
  args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'log' && console.log('page:', m.text()));
  await page.goto(url);
  await page.waitForFunction(() => 'runBench' in window);
  const result = await page.evaluate(() => window.runBench('./stories260K.gguf', 8));
  console.log(JSON.stringify(result, null, 2));
  console.log(`pipeline/raw tokens per second: ${result.throughputRatio} against one-shot generation, ${result.throughputRatioStreaming} against the engine's own streaming (goal >= 0.97)`);
  console.log(`prefill per record, actual/minimum: ${result.prefill.ratio} (goal <= 1.2)`);

  // BENCH_ONLY=spine measures just the pipeline figures above (a quicker run).
  if (process.env.BENCH_ONLY !== 'spine') await judgeAndDatasets(page);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.kill();
}

async function judgeAndDatasets(page) {
  const judge = await page.evaluate(() => window.runJudgeBench('./stories260K.gguf', 4));
  console.log('judge: work per preference label (1 principle, both orders), same pairs for every mode');
  console.table(
    judge.map((r) => ({
      mode: r.config,
      labels: r.labels,
      orders: r.orders,
      'decode tok/label': +r.decodeTokensPerLabel.toFixed(2),
      'fwd passes/label': +r.forwardPassesPerLabel.toFixed(2),
      'fwd passes/order': +r.forwardPassesPerOrder.toFixed(2),
      'max fwd/order': r.maxForwardPassesPerOrder,
      'ms/label': r.msPerLabel,
      methods: Object.entries(r.methods).map(([m, n]) => `${m} ${n}`).join(', '),
      'orders agree': r.positionConsistency === null ? '-' : `${Math.round(r.positionConsistency * 100)}%`,
    })),
  );
  const plain = judge.filter((r) => r.config.startsWith('plain'));
  const worst = Math.max(...plain.map((r) => r.maxForwardPassesPerOrder));
  console.log(`judge, plain: at most ${worst} forward passes per comparison-order (goal <= 2)`);

  await datasetBench(page);
}
