// Long tasks on the page's main thread (issue 12: "the main thread never blocks long"): the built
// app in headless Chromium, a PerformanceObserver of `longtask` entries installed before the app
// starts, and two scenarios: importing a 50 MB prompt file into a prompt set, and a run streaming
// with the tiny model. Prints the longest task of each against the 50 ms goal.
// `npm run bench` runs it last; `node scripts/bench-longtasks.mjs` runs it alone (after `vite build`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const GOAL_MS = 50;

/** A TXT prompt file of about `mb` megabytes, one prompt a line, all different. */
function promptFile(dir, mb) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const line = `Prompt ${i}: explain in a few sentences how a ${['bee', 'river', 'clock', 'kite'][i % 4]} works, for a reader of ${i % 90} years.`;
    lines.push(line);
    size += line.length + 1;
  }
  const file = path.join(dir, 'prompts-50mb.txt');
  writeFileSync(file, lines.join('\n'));
  return { file, count: lines.length };
}

/** Long tasks since the last call, read from the observer the init script installed. */
const takeLongTasks = (page) => page.evaluate(() => window.__longTasks.splice(0));
const summary = (tasks) => ({ count: tasks.length, longestMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))) });

async function importScenario(page, file) {
  await page.click('[data-testid=tab-library]');
  await page.click('[data-testid=library-prompts]');
  await page.click('[data-testid=prompt-set-new]');
  await page.click('[data-testid=prompt-add-file]');
  await takeLongTasks(page);
  await page.setInputFiles('[data-testid=prompt-import-file]', file);
  await page.waitForSelector('[data-testid=prompt-import-confirm]:not([disabled])', { timeout: 300_000 });
  const preview = await takeLongTasks(page);
  await page.click('[data-testid=prompt-import-confirm]');
  await page.waitForSelector('[data-testid=prompt-import-done]', { timeout: 300_000 });
  return { preview: summary(preview), add: summary(await takeLongTasks(page)) };
}

async function runScenario(page, model) {
  await page.click('[data-testid=tab-make]');
  await page.setInputFiles('[data-testid=gguf-file]', model);
  await page.waitForFunction(() => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes('stories260K'), null, { timeout: 120_000 });
  await page.fill('[data-testid=sample-count]', '4');
  await page.fill('[data-testid=rounds]', '1');
  await page.fill('[data-testid=few-shot]', '0');
  await page.fill('[data-testid=max-tokens]', '48');
  await takeLongTasks(page);
  await page.click('[data-testid=start-run]');
  await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 300_000 });
  return summary(await takeLongTasks(page));
}

export async function longTaskBench(model) {
  if (!existsSync(path.join(root, 'dist', 'index.html'))) {
    const build = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-longtasks-'));
  const port = 5300 + Math.floor(Math.random() * 1000);
  const vite = path.join(root, 'node_modules/.bin/vite');
  const server = spawn(vite, ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: spawnSync('which', ['chromium']).stdout.toString().trim(),
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    await context.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask' });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 60_000 });
    // BENCH_IMPORT_MB sizes the prompt file (50 by default, as in issue 12).
    const mb = Number(process.env.BENCH_IMPORT_MB ?? 50);
    const { file, count } = promptFile(dir, mb);
    const imported = await importScenario(page, file);
    console.log(`long tasks, ${mb} MB prompt import (${count.toLocaleString()} prompts): preview ${JSON.stringify(imported.preview)}, add ${JSON.stringify(imported.add)}`);
    const run = model ? await runScenario(page, model) : null;
    if (run) console.log(`long tasks, a run streaming with the tiny model: ${JSON.stringify(run)}`);
    const longest = Math.max(imported.preview.longestMs, imported.add.longestMs, run?.longestMs ?? 0);
    console.log(`longest main-thread task: ${longest} ms, ratio to the ${GOAL_MS} ms goal: ${(longest / GOAL_MS).toFixed(2)} (goal <= 1)`);
  } finally {
    await context.close();
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const model = path.resolve(root, '..', 'shared', 'models', 'stories260K.gguf');
  await longTaskBench(existsSync(model) ? model : null);
}
