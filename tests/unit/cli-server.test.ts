// `cai-lab` against real llama-servers (scripts/llama-server.mjs) serving the tiny shared model:
// records in flight, a SIGKILL and a resume, shards and their merge, two servers, export, the
// page's import of the output, and the messages of bad input.
import 'fake-indexeddb/auto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewCounts } from '../../src/core/dataset-stats';
import type { ExportFormat } from '../../src/core/datasets/export-plan';
import type { Run } from '../../src/core/run';
import { runExport } from '../../src/datasets/export';
import { downloadsTarget } from '../../src/datasets/export-targets';
import { getRun, readRecords } from '../../src/storage';
import { importDataset } from '../../src/worker/datasets';
import { buildCli, countingProxy, critiqueSpec, runCli, startCli, writeSpec, type CountingProxy } from '../support/cli';
import { freePort, startLlamaServer, tinyModel, type LlamaServer } from '../support/llama-server';

const model = tinyModel();
const N = 12;

/** Index and run id of every line, in file order. */
function linesOf(file: string): { index: number; runId: string; text: string }[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((text) => {
    const row = JSON.parse(text) as { index: number; run: { id: string } };
    return { index: row.index, runId: row.run.id, text };
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.skipIf(!model)('cai-lab against real llama-servers', () => {
  let servers: LlamaServer[] = [];
  let proxies: CountingProxy[] = [];
  let dir: string;
  let spec: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cai-cli-'));
    buildCli();
    servers = await Promise.all([startLlamaServer(model!), startLlamaServer(model!)]);
    proxies = await Promise.all(servers.map((s) => countingProxy(s.url)));
    spec = writeSpec(path.join(dir, 'spec.json'), critiqueSpec(N));
  }, 600_000);
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(servers.map((s) => s.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const reset = () => proxies.forEach((p) => ((p.requests = 0), (p.maxInFlight = 0)));

  it('with K = 4 stores every index once, in order, and the page imports the file', async () => {
    reset();
    const out = path.join(dir, 'k4.jsonl');
    proxies[0]!.holdMs = 400;
    const r = await runCli(['run', spec, '--endpoint', proxies[0]!.url, '--concurrency', '4', '--out', out]).finally(() => (proxies[0]!.holdMs = 0));
    expect(r.stderr).toContain(`${N} records made (`);
    expect(r.code).toBe(0);
    expect(linesOf(out).map((l) => l.index)).toEqual(range(N));
    // Four records really were in flight at once (each record is three requests, one after another).
    expect(proxies[0]!.maxInFlight).toBe(4);
    expect(r.stderr).toMatch(/records \|/); // the progress line
    // The Datasets tab's import, the page's own code, takes the file as a full trace of one run.
    const imported = await importDataset(new Blob([readFileSync(out)]), { fileName: 'k4.jsonl', name: 'from the CLI' });
    if (!imported.ok) throw new Error(imported.message);
    expect(imported).toMatchObject({ format: 'trace', records: N, errorCount: 0 });
    const stored = await readRecords(imported.runId);
    expect(stored.map((rec) => [rec.index, rec.recipe])).toEqual(range(N).map((i) => [i, 'critique-revision']));
    expect((await getRun(imported.runId))!.spec).toMatchObject({ recipe: 'import', format: 'trace', sources: [{ recipe: 'critique-revision' }] });
  }, 600_000);

  it('killed with SIGKILL mid-run and run again, loses and duplicates nothing (a torn last line is cut)', async () => {
    const out = path.join(dir, 'killed.jsonl');
    const args = ['run', spec, '--endpoint', proxies[0]!.url, '--concurrency', '4', '--out', out, '--quiet'];
    const { child, done } = startCli(args);
    // Kill as soon as a few records are stored, while others are in flight.
    for (;;) {
      const n = (() => {
        try {
          return linesOf(out).length;
        } catch {
          return 0;
        }
      })();
      if (n >= 3) break;
      if (child.exitCode !== null) throw new Error('the run ended before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const before = linesOf(out);
    expect(before.length).toBeLessThan(N);
    expect(before.map((l) => l.index)).toEqual(range(before.length));
    // A write the kill tore: half a line, no newline.
    appendFileSync(out, before[0]!.text.slice(0, 40));
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/cut a torn last line \(40 bytes\)/);
    expect(again.stderr).toContain(`${before.length} already there`);
    const after = linesOf(out);
    expect(after.map((l) => l.index)).toEqual(range(N));
    // What was stored before the kill is kept byte for byte.
    expect(after.slice(0, before.length).map((l) => l.text)).toEqual(before.map((l) => l.text));
  }, 600_000);

  it('two shards, one per server, merge into every index exactly once; merge refuses a gap or a repeat', async () => {
    const [a, b] = [path.join(dir, 'shard0.jsonl'), path.join(dir, 'shard1.jsonl')];
    const [r0, r1] = await Promise.all([
      runCli(['run', spec, '--endpoint', proxies[0]!.url, '--out', a, '--shard', '0/2', '--quiet']),
      runCli(['run', spec, '--endpoint', proxies[1]!.url, '--out', b, '--shard', '1/2', '--quiet']),
    ]);
    expect([r0.code, r1.code, r0.stderr]).toEqual([0, 0, expect.stringContaining('shard 0/2')]);
    expect(linesOf(a).map((l) => l.index)).toEqual(range(N).filter((i) => i % 2 === 0));
    expect(linesOf(b).map((l) => l.index)).toEqual(range(N).filter((i) => i % 2 === 1));
    const merged = path.join(dir, 'merged.jsonl');
    const m = await runCli(['merge', merged, a, b, '--spec', spec]);
    expect(m.code).toBe(0);
    const lines = linesOf(merged);
    expect(lines.map((l) => l.index)).toEqual(range(N));
    expect(new Set(lines.map((l) => l.runId)).size).toBe(1);

    const gap = await runCli(['merge', path.join(dir, 'gap.jsonl'), a, '--spec', spec]);
    expect(gap.code).toBe(1);
    expect(gap.stderr).toContain(`index ${range(N).filter((i) => i % 2 === 1).join(', ')} missing (of ${N})`);
    const copy = path.join(dir, 'shard0-again.jsonl');
    writeFileSync(copy, readFileSync(a));
    const twice = await runCli(['merge', path.join(dir, 'twice.jsonl'), a, b, copy]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`index ${range(N).filter((i) => i % 2 === 0).join(', ')} present more than once`);
    expect(() => readFileSync(path.join(dir, 'twice.jsonl'))).toThrow();
  }, 600_000);

  it('spreads records over two servers given with --endpoint twice', async () => {
    reset();
    const out = path.join(dir, 'two.jsonl');
    for (const p of proxies) p.holdMs = 400;
    const r = await runCli(['run', spec, '--endpoint', proxies[0]!.url, '--endpoint', proxies[1]!.url, '--out', out, '--quiet']).finally(() => proxies.forEach((p) => (p.holdMs = 0)));
    expect(r.code).toBe(0);
    expect(linesOf(out).map((l) => l.index)).toEqual(range(N));
    // Both served records, and K defaulted to their slots together (4 + 4).
    expect(proxies[0]!.requests).toBeGreaterThan(0);
    expect(proxies[1]!.requests).toBeGreaterThan(0);
    expect(proxies[0]!.maxInFlight + proxies[1]!.maxInFlight).toBeGreaterThan(4);
  }, 600_000);

  it("exports the same files as the page's export of the imported run", async () => {
    const out = path.join(dir, 'k4.jsonl');
    const imported = await importDataset(new Blob([readFileSync(out)]), { fileName: 'k4.jsonl', name: 'k4' });
    if (!imported.ok) throw new Error(imported.message);
    const run = (await getRun(imported.runId))!;
    for (const format of ['sft', 'preference', 'kto', 'cai', 'trace'] as const) {
      const file = path.join(dir, `k4.${format}.jsonl`);
      const r = await runCli(['export', out, '--format', format, '--out', file]);
      expect([format, r.code, r.stderr]).toEqual([format, 0, expect.stringContaining('rows')]);
      // The Datasets tab's export of the imported dataset (its export panel passes the recipes it holds).
      const page = await pageExport(run, format);
      expect([format, readFileSync(file, 'utf8')]).toEqual([format, page]);
      expect(page.length).toBeGreaterThan(0);
    }
    // The trace goes out as the CLI wrote it (the import keeps the run that made it).
    expect(readFileSync(path.join(dir, 'k4.trace.jsonl'), 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 600_000);

  it('bad input: names the field, the server, the shard; exits non-zero', async () => {
    const out = path.join(dir, 'bad.jsonl');
    const bad = JSON.parse(readFileSync(spec, 'utf8')) as { spec: { rounds: unknown } };
    bad.spec.rounds = 'two';
    const badSpec = path.join(dir, 'bad-spec.json');
    writeFileSync(badSpec, JSON.stringify(bad));
    const field = await runCli(['run', badSpec, '--endpoint', proxies[0]!.url, '--out', out]);
    expect([field.code, field.stderr]).toEqual([1, expect.stringContaining(`${badSpec}: field "spec.rounds" must be`)]);
    writeFileSync(badSpec, '{"format": "cai-lab-run-spec",');
    const json = await runCli(['run', badSpec, '--endpoint', proxies[0]!.url, '--out', out]);
    expect([json.code, json.stderr]).toEqual([1, expect.stringContaining(`${badSpec}: not valid JSON`)]);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await runCli(['run', spec, '--endpoint', nobody, '--out', out]);
    expect([down.code, down.stderr]).toEqual([1, expect.stringContaining(`cannot use the server ${nobody}`)]);
    const shard = await runCli(['run', spec, '--endpoint', proxies[0]!.url, '--out', out, '--shard', '2/2']);
    expect([shard.code, shard.stderr]).toEqual([2, expect.stringContaining('--shard "2/2": expected i/n')]);
    const k = await runCli(['run', spec, '--endpoint', proxies[0]!.url, '--out', out, '--concurrency', '0']);
    expect([k.code, k.stderr]).toEqual([2, expect.stringContaining('--concurrency "0"')]);
    const noOut = await runCli(['run', spec, '--endpoint', proxies[0]!.url]);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringContaining('--out FILE.jsonl is required')]);
    // Another run's output is not overwritten or appended to.
    writeSpec(badSpec, critiqueSpec(N + 1));
    const other = await runCli(['run', badSpec, '--endpoint', proxies[0]!.url, '--out', path.join(dir, 'k4.jsonl')]);
    expect([other.code, other.stderr]).toEqual([1, expect.stringContaining('holds records of another run')]);
    const format = await runCli(['export', path.join(dir, 'k4.jsonl'), '--format', 'parquet', '--out', out]);
    expect([format.code, format.stderr]).toEqual([2, expect.stringContaining('--format "parquet": expected one of')]);
    expect(() => readFileSync(out)).toThrow();
  }, 600_000);
});

/** The Datasets tab's export of one format, no split, no card (datasets/export.ts), as text. */
async function pageExport(run: Run, format: ExportFormat): Promise<string> {
  const blobs: Blob[] = [];
  const target = downloadsTarget((_name, blob) => void blobs.push(blob));
  let text = '';
  await runExport({ run, formats: [format], split: null, card: false, prefix: '', counts: reviewCounts([]), records: run.recordCount, options: { recipes: ['critique-revision'] } }, target);
  for (const blob of blobs) text += await blob.text();
  return text;
}
