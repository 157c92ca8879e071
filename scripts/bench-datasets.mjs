// Datasets benchmark (issue 5): open and export 100,000 synthetic records in Chromium, sampling
// the page's JS heap over CDP (Runtime.getHeapUsage) while it runs. `npm run bench` runs it after
// the spine benchmarks; `node scripts/bench-datasets.mjs` runs it alone.
import { pathToFileURL } from 'node:url';
import { openBenchPage } from './bench-page.mjs';

const MB = 1e6;

/**
 * Runs `body` while sampling the page's JS heap every `everyMs`. With `live`, each sample first
 * forces a full GC, so it measures what the page holds rather than garbage not yet collected.
 */
async function withHeap(cdp, body, { everyMs = 20, live = false } = {}) {
  await cdp.send('HeapProfiler.collectGarbage');
  const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  let peak = before;
  let running = true;
  const sampler = (async () => {
    while (running) {
      if (live) await cdp.send('HeapProfiler.collectGarbage');
      peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const result = await body();
  running = false;
  await sampler;
  return { result, beforeMB: +(before / MB).toFixed(1), peakMB: +(peak / MB).toFixed(1) };
}

const FORMATS = ['sft', 'preference', 'kto', 'cai', 'trace'];
const ZIP = ['sft', 'preference', 'trace'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const round = (x, d = 2) => +x.toFixed(d);
/** "min / median" of a figure over the rounds. */
const minMed = (xs, d = 2) => `${round(Math.min(...xs), d)} / ${round(median(xs), d)}`;

/** One round: the bounds measured right next to what they bound (read, open; bare, export). */
async function benchRound(page, runId) {
  const call = (name, ...args) => page.evaluate(([n, a]) => window.datasetBench[n](...a), [name, args]);
  const r = { open: {}, formats: {} };
  r.readOpen = await call('readForOpen', runId);
  r.open = await call('open', runId);
  r.readExport = await call('readForExport', runId);
  for (const f of FORMATS) {
    const bare = await call('bare', runId, f);
    const e = await call('exportOnce', runId, [f], 'discard', 2);
    r.formats[f] = { bare, e };
  }
  r.zip = await call('exportOnce', runId, ZIP, 'zip', 2);
  return r;
}

function report(rounds) {
  const openRatio = rounds.map((r) => r.open.allListedMs / r.readOpen.ms);
  console.log(`open (first rows on the page, the rest in the worker, as the app does), ${rounds.length} rounds, min / median:`);
  console.log(`  first rows ${minMed(rounds.map((r) => r.open.firstRowsMs), 0)} ms (goal < 50 ms); all listed ${minMed(rounds.map((r) => r.open.allListedMs), 0)} ms; reading every chunk alone ${minMed(rounds.map((r) => r.readOpen.ms), 0)} ms`);
  console.log(`  open/read ratio ${minMed(openRatio)} (goal <= 1.5); longest main-thread task ${minMed(rounds.map((r) => r.open.longestTaskMs), 0)} ms (goal: none > 50 ms)`);
  const rows = [];
  const bareOf = (r, f) => r.formats[f].bare.mbPerSecond;
  const readRate = (r, mb) => mb / (r.readExport.ms / 1000);
  for (const f of [...FORMATS, 'zip']) {
    const get = (r) => {
      if (f !== 'zip') return { e: r.formats[f].e, bare: bareOf(r, f) };
      // The zip's bare rate: its formats' bytes at each format's own bare rate.
      const mbs = ZIP.map((g) => r.formats[g].e.mb);
      const secs = ZIP.reduce((s, g, i) => s + mbs[i] / bareOf(r, g), 0);
      return { e: r.zip, bare: mbs.reduce((a, b) => a + b, 0) / secs };
    };
    const xs = rounds.map(get);
    const ratio = xs.map(({ e, bare }) => e.mbPerSecond / bare);
    const read = rounds.map((r, i) => readRate(r, xs[i].e.mb) / (f === 'zip' ? ZIP.length : 1));
    const bound = median(read) < median(xs.map((x) => x.bare)) ? 'IndexedDB reading' : 'bare work';
    rows.push({
      format: f, MB: xs[0].e.mb, 'export MB/s': minMed(xs.map((x) => x.e.mbPerSecond), 1), 'bare MB/s': minMed(xs.map((x) => x.bare), 1),
      'read-only MB/s': minMed(read, 1), 'export/bare (goal >= 0.8)': minMed(ratio), bound, 'longest task ms': minMed(xs.map((x) => x.e.longestTaskMs), 0),
    });
  }
  console.log('exports (page+worker, chunks encoded and dropped as a disk writable takes them; zip: one streamed .zip of Blob parts), min / median:');
  console.table(rows);
}

export async function datasetBench(page, n = 100_000, rounds = Number(process.env.BENCH_ROUNDS ?? 3)) {
  const cdp = await page.context().newCDPSession(page);
  await page.waitForFunction(() => 'datasetBench' in window);
  const runId = await page.evaluate((count) => window.datasetBench.setup(count), n);
  console.log(`datasets: ${n.toLocaleString()} synthetic critique records (10% rejected, 10% edited), stored as the app stores them`);
  await page.evaluate(() => window.datasetBench.warm());
  const results = [];
  for (let i = 0; i < rounds; i++) results.push(await benchRound(page, runId));
  report(results);
  const live = await withHeap(cdp, () => page.evaluate((id) => window.datasetBench.exportOnce(id, ['trace'], 'blobs'), runId), { everyMs: 150, live: true });
  console.log(
    `live heap (a full GC before each sample) while exporting the ${live.result.mb} MB trace into Blob parts: ${live.beforeMB} MB before, at most ${live.peakMB} MB ` +
      `(goal: flat, independent of the file size; <= ~41.5 MB)`,
  );
  return results;
}

async function main() {
  const { page, close } = await openBenchPage();
  try {
    await datasetBench(page);
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
