// Where an export's time goes per 1,000 records, step by step on the page (bench/datasets-costs.ts):
// `node scripts/bench-costs.mjs [format...]` (default: every format). Not part of `npm run bench`.
import { openBenchPage } from './bench-page.mjs';

const formats = process.argv.slice(2).length ? process.argv.slice(2) : ['sft', 'preference', 'kto', 'cai', 'trace'];
const n = Number(process.env.BENCH_RECORDS ?? 20_000);
const { page, close } = await openBenchPage();
try {
  await page.waitForFunction(() => 'datasetBench' in window);
  const runId = await page.evaluate((c) => window.datasetBench.setup(c), n);
  const rows = [];
  for (const f of formats) {
    const r = await page.evaluate(([id, fmt, count]) => window.datasetBench.costs(id, fmt, count), [runId, f, Math.min(n, 10_000)]);
    rows.push({ format: r.format, 'MB per 1000': +((r.mb / r.records) * 1000).toFixed(3), ...r.msPer1000Records });
  }
  console.log('ms per 1,000 records, best of 5, one thread (read: IndexedDB getAll of 4 chunks at a time):');
  console.table(rows);
} finally {
  await close();
}
