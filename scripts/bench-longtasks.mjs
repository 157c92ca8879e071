// Long tasks on the page's main thread (issue 12: "the main thread never blocks long"): the built
// app in headless Chromium, a PerformanceObserver of `longtask` entries installed before the app
// starts, and these scenarios: importing a 50 MB prompt file into a prompt set; the page opening
// again with that set stored; a run streaming with the tiny model; opening a 100,000-record dataset
// and scrolling its record list; and opening it again while the page loads the last model again.
// Prints the longest task of each against the 50 ms goal, and the most main-thread CPU time one
// task took (from a Chrome trace): on a shared machine a task can last long while the thread waits
// for a core, and the CPU time tells that apart from work the page does.
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
const summary = (tasks, cpuMs) => ({ count: tasks.length, longestMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))), ...(cpuMs === undefined ? {} : { longestCpuMs: cpuMs }) });

/** Runs `body` under a Chrome trace; returns its result and the most CPU time one main-thread task took. */
async function traced(page, body) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'toplevel'] }, transferMode: 'ReportEvents' });
  try {
    return { result: await body(), cpuMs: () => longestTaskCpu(events) };
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
}

function longestTaskCpu(events) {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mains.has(`${e.pid}:${e.tid}`));
  return Math.round(Math.max(0, ...tasks.map((e) => e.tdur ?? 0)) / 1000);
}

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
  const { cpuMs } = await traced(page, async () => {
    await page.click('[data-testid=start-run]');
    await page.waitForSelector('[data-testid=run-row][data-status=done]', { timeout: 300_000 });
  });
  return summary(await takeLongTasks(page), cpuMs());
}

/** Writes a dataset of `n` critique records straight into the app's IndexedDB (setup, not measured). */
function writeDataset(page, n) {
  return page.evaluate(async (total) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('cai-lab');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const id = 'bench-100k';
    const now = Date.now();
    const words = ['apple', 'river', 'stone', 'cloud', 'garden', 'lamp', 'window', 'bridge', 'forest', 'candle'];
    const record = (i) => {
      const final = `Answer ${i}: the ${words[(i * 3) % 10]} is ${i % 97} steps from the ${words[i % 10]}, said ${(i * 31) % 1000}.`;
      return { schemaVersion: 2, recipe: 'critique-revision', id: `${id}:${i}`, runId: id, index: i, promptId: `p${i}`, prompt: `Question ${i} about the ${words[i % 10]}?`,
        initial: final, initialFinish: 'stop', rounds: [], final, usage: { promptTokens: 1, completionTokens: 1, ms: 1 }, createdAt: now + i };
    };
    for (let c0 = 0; c0 * 100 < total; c0 += 100) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction('kv', 'readwrite');
        const store = tx.objectStore('kv');
        for (let c = c0; c < c0 + 100 && c * 100 < total; c++) {
          store.put({ schemaVersion: 2, runId: id, chunkNo: c, records: Array.from({ length: Math.min(100, total - c * 100) }, (_, k) => record(c * 100 + k)) }, ['chunk', id, c]);
        }
        if (c0 === 0) {
          const spec = { recipe: 'import', format: 'trace', fileName: 'bench-100k.jsonl', records: total, sources: [], skippedLines: 0, droppedDuplicates: 0 };
          store.put({ schemaVersion: 2, id, name: 'Bench 100k', spec, status: 'done', cursor: total, recordCount: total, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: now, updatedAt: now }, ['run', id]);
        }
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
  }, n);
}

/** Waits until the model the page loads again by itself is loaded (at once when `name` is null: none was). */
const modelSettled = (page, name) =>
  page.waitForFunction((n) => !n || document.querySelector('[data-testid=loaded-model]')?.textContent?.includes(n) === true, name, { timeout: 120_000 });

/** Reloads the page; long tasks from the reload until it is ready and the model `model` is loaded again, plus a second. */
async function reopen(page, model = null) {
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 120_000 });
  await modelSettled(page, model);
  await page.waitForTimeout(1000);
  return summary(await takeLongTasks(page));
}

/** Opens the bench dataset from the Datasets tab: the longest task, and the most CPU one took. */
async function openDataset(page) {
  await page.click('[data-testid=tab-datasets]');
  await takeLongTasks(page);
  const started = Date.now();
  const open = await traced(page, async () => {
    await page.locator('[data-testid=dataset-open]', { hasText: 'Bench 100k' }).first().click();
    await page.waitForSelector('[data-testid=dataset-view][data-loaded=true]', { timeout: 300_000 });
  });
  return { ...summary(await takeLongTasks(page), open.cpuMs()), loadedInMs: Date.now() - started };
}

/**
 * Opens a 100,000-record dataset and scrolls its record list down in steps, then to the end and
 * back; the page has settled first (the last model loaded again: see modelScenario for the overlap).
 */
async function datasetScenario(page, model, n = 100_000) {
  await writeDataset(page, n);
  await reopen(page, model);
  const opened = await openDataset(page);
  const { cpuMs } = await traced(page, async () => {
    const list = page.locator('[data-testid=record-list]');
    const frame = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (let step = 0; step < 60; step++) {
      await list.evaluate((el) => el.scrollBy(0, 1500));
      await frame();
    }
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await frame();
    await list.evaluate((el) => (el.scrollTop = 0));
    await frame();
  });
  return { opened, scrolled: summary(await takeLongTasks(page), cpuMs()) };
}

/**
 * The same dataset opened at once after a reload, while the page loads the last model again: V8
 * compiles wllama's 10 MB WebAssembly module on background threads then (about 2 s of CPU here),
 * which on a 2-core machine leaves the page's thread waiting for a core.
 */
async function modelScenario(page, model) {
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]', { timeout: 120_000 });
  const opened = await openDataset(page);
  await page.click('[data-testid=tab-make]');
  await modelSettled(page, model);
  return opened;
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
    const startup = await reopen(page);
    console.log(`long tasks, the page opening again with that set stored: ${JSON.stringify(startup)}`);
    const run = model ? await runScenario(page, model) : null;
    if (run) console.log(`long tasks, a run streaming with the tiny model: ${JSON.stringify(run)}`);
    const modelName = model ? path.basename(model) : null;
    const browse = await datasetScenario(page, modelName);
    console.log(`long tasks, a 100,000-record dataset: opening ${JSON.stringify(browse.opened)}, scrolling its record list ${JSON.stringify(browse.scrolled)}`);
    const overlap = model ? await modelScenario(page, modelName) : null;
    if (overlap) console.log(`long tasks, that dataset opened while the page loads the model again: ${JSON.stringify(overlap)}`);
    const longest = Math.max(imported.preview.longestMs, imported.add.longestMs, startup.longestMs, run?.longestMs ?? 0, browse.opened.longestMs, browse.scrolled.longestMs, overlap?.longestMs ?? 0);
    console.log(`longest main-thread task: ${longest} ms, ratio to the ${GOAL_MS} ms goal: ${(longest / GOAL_MS).toFixed(2)} (goal <= 1)`);
    const cpu = Math.max(run?.longestCpuMs ?? 0, browse.opened.longestCpuMs, browse.scrolled.longestCpuMs, overlap?.longestCpuMs ?? 0);
    console.log(`most main-thread CPU one traced task took: ${cpu} ms, ratio to the ${GOAL_MS} ms goal: ${(cpu / GOAL_MS).toFixed(2)} (goal <= 1)`);
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
