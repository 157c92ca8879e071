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

export async function datasetBench(page, n = 100_000) {
  const cdp = await page.context().newCDPSession(page);
  await page.waitForFunction(() => 'datasetBench' in window);
  const runId = await page.evaluate((count) => window.datasetBench.setup(count), n);
  console.log(`datasets: ${n.toLocaleString()} synthetic critique records (10% rejected, 10% edited), stored as the app stores them`);

  await page.evaluate(() => window.datasetBench.warm());
  for (const lanes of [1, 2, 2, 2]) {
    const { result: o, beforeMB, peakMB } = await withHeap(cdp, () => page.evaluate(([id, l]) => window.datasetBench.open(id, l), [runId, lanes]));
    const who = lanes === 1 ? 'page only  ' : 'page+worker';
    console.log(`open (${who}): first rows in ${o.firstRowsMs} ms; all ${o.records.toLocaleString()} listed in ${o.allListedMs} ms (goal < 1000 ms); heap ${beforeMB} → peak ${peakMB} MB`);
  }

  const plan = [
    [['sft'], 'discard', 1], [['sft'], 'discard', 2], [['preference'], 'discard', 2], [['kto'], 'discard', 2], [['cai'], 'discard', 2],
    [['trace'], 'discard', 1], [['trace'], 'discard', 2], [['sft'], 'blobs', 2], [['trace'], 'blobs', 2], [['sft', 'preference', 'trace'], 'zip', 2],
  ];
  const rows = [];
  for (const [formats, into, lanes] of plan) {
    const run = () => page.evaluate(([id, f, t, l]) => window.datasetBench.exportOnce(id, f, t, l), [runId, formats, into, lanes]);
    const { result: e, beforeMB, peakMB } = await withHeap(cdp, run);
    rows.push({ format: e.format, into, threads: lanes === 1 ? 'page' : 'page+worker', rows: e.rows, MB: e.mb, s: e.seconds, 'MB/s': e.mbPerSecond, 'heap before MB': beforeMB, 'heap peak MB': peakMB });
  }
  console.log('exports (discard: chunks encoded and dropped, as a File System Access writable takes them; blobs: the downloads fallback; zip: one streamed .zip of Blob parts)');
  console.table(rows);
  const live = await withHeap(cdp, () => page.evaluate((id) => window.datasetBench.exportOnce(id, ['trace'], 'blobs'), runId), { everyMs: 150, live: true });
  console.log(
    `live heap (a full GC before each sample) while exporting the ${live.result.mb} MB trace into Blob parts: ${live.beforeMB} MB before, at most ${live.peakMB} MB ` +
      `(goal >= 50 MB/s; memory flat: live heap independent of the file size)`,
  );
  return rows;
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
