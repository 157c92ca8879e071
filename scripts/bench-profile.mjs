// Profiles one open and one export of the datasets benchmark in Chromium (CDP Profiler, page thread only: both
// run on the page alone here) and prints the functions with the most self time. `node scripts/bench-profile.mjs [format]`.
import { openBenchPage } from './bench-page.mjs';

const format = process.argv[2] ?? 'sft';
const n = Number(process.env.BENCH_RECORDS ?? 100_000);

function top(profile, count = 25) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

async function profiled(cdps, body) {
  for (const c of cdps) await c.send('Profiler.enable'), await c.send('Profiler.setSamplingInterval', { interval: 200 }), await c.send('Profiler.start');
  const result = await body();
  const profiles = [];
  for (const c of cdps) profiles.push((await c.send('Profiler.stop')).profile);
  return { result, profiles };
}

const { page, close } = await openBenchPage();
try {
  const cdp = await page.context().newCDPSession(page);
  await page.waitForFunction(() => 'datasetBench' in window);
  const runId = await page.evaluate((c) => window.datasetBench.setup(c), n);
  await page.evaluate(() => window.datasetBench.warm());
  const call = (name, ...args) => page.evaluate(([nm, a]) => window.datasetBench[nm](...a), [name, args]);
  for (const [label, body] of [
    ['open', () => call('open', runId, 1)],
    [`export ${format}`, () => call('exportOnce', runId, [format], 'discard', 1)],
  ]) {
    const { result, profiles } = await profiled([cdp], body);
    console.log(`${label}: ${JSON.stringify(result)}`);
    console.log(' page thread:\n' + top(profiles[0]).join('\n'));
  }
} finally {
  await close();
}
