// Run growth benchmark: bytes written and records/s per stored record, in a run of 100 prompts and
// one of 20,000 (goal: flat). `npm run bench` runs it; `node scripts/bench-run-growth.mjs` runs it alone.
import { pathToFileURL } from 'node:url';
import { openBenchPage } from './bench-page.mjs';

export async function runGrowthBench(page) {
  await page.waitForFunction(() => 'runGrowthBench' in window);
  const [small, big] = await page.evaluate(() => window.runGrowthBench(300));
  console.log('run growth: per stored record, through appendRecord into IndexedDB');
  console.table([small, big]);
  console.log(`run growth, 20,000 vs 100 prompts: bytes written per record x${(big.bytesPerRecord / small.bytesPerRecord).toFixed(2)}, records/s x${(big.recordsPerSecond / small.recordsPerSecond).toFixed(2)} (goal: both ~1.00)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { page, close } = await openBenchPage();
  try {
    await runGrowthBench(page);
  } finally {
    await close();
  }
}
