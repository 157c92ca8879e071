/**
 * Datasets benchmark (issue 5), run in Chromium by scripts/bench-datasets.mjs:
 * 1. Open: time until the first rows of a 100,000-record dataset are listed, and until all are.
 * 2. Export: MB/s of each format written through the app's export path (chunked JSONL) into a
 *    sink that, like a File System Access writable, keeps nothing in the page; and into Blob
 *    parts, the downloads fallback. The page's heap is sampled from outside (CDP) meanwhile.
 */
import { datasetRun } from '../src/core/datasets/combine';
import type { ExportFormat } from '../src/core/datasets/export-plan';
import { summaryCounts } from '../src/core/datasets/filter';
import { SCHEMA_VERSION } from '../src/core/types';
import type { CritiqueRecord } from '../src/core/recipes/critique-revision/types';
import { keys, request, transact } from '../src/storage/store';
import { getRun, saveRun } from '../src/storage';
import { OPEN_FIRST_CHUNKS, OPEN_PIECE_CHUNKS, loadSummaries } from '../src/datasets/index-build';
import { runExport } from '../src/datasets/export';
import { ChunkEncoder, downloadsTarget, zipDownloadTarget, type ExportTarget } from '../src/datasets/export-targets';
import type { RecordSummary } from '../src/core/datasets/summary';
import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { WorkerApi } from '../src/worker/pipeline.worker';
import { exportRows, type RowJob } from '../src/datasets/rows';
import { bareExportRate, openSpans, readAllChunks, watchLongTasks } from './datasets-bounds';
import { exportCosts } from './datasets-costs';

const words = 'the a plant needs water light soil and care when dry leaves grow slowly in spring summer'.split(' ');
const text = (seed: number, n: number) => Array.from({ length: n }, (_, i) => words[(seed * 7 + i * 13) % words.length]).join(' ');

function record(runId: string, i: number, now: number): CritiqueRecord {
  const final = `${text(i + 3, 60)} (${i})`;
  return {
    schemaVersion: SCHEMA_VERSION, id: `${runId}:${i}`, runId, recipe: 'critique-revision', index: i, promptId: `p${i}`,
    prompt: `Question ${i}: ${text(i, 14)}?`, initial: text(i + 1, 50), initialFinish: 'stop',
    rounds: [{ principleId: `p${i % 4}`, principleName: `Principle ${i % 4}`, critiqueRequest: 'Point out where the answer could cause harm.', critique: text(i + 2, 40),
      revisionRequest: 'Rewrite the answer without the harm.', revision: final, critiqueFinish: 'stop', revisionFinish: 'stop' }],
    final, usage: { promptTokens: 120, completionTokens: 150, ms: 900 }, createdAt: now + i,
    ...(i % 10 === 0 ? { review: { state: 'rejected' as const } } : i % 10 === 1 ? { review: { state: 'edited' as const, editedText: `Edited ${i}` } } : {}),
  };
}

/** Writes n records as a dataset, 100 chunks per transaction (setup, not measured). */
async function writeSynthetic(n: number): Promise<string> {
  const runId = `bench-datasets-${Date.now()}`;
  const now = Date.now();
  for (let c0 = 0; c0 * 100 < n; c0 += 100) {
    await transact('readwrite', async (s) => {
      for (let c = c0; c < c0 + 100 && c * 100 < n; c++) {
        const records = Array.from({ length: Math.min(100, n - c * 100) }, (_, k) => record(runId, c * 100 + k, now));
        await request(s.put({ schemaVersion: SCHEMA_VERSION, runId, chunkNo: c, records }, keys.chunk(runId, c)));
      }
    });
  }
  await saveRun(datasetRun({ id: runId, name: 'Bench 100k', format: 'trace', fileName: 'bench.jsonl', records: n, sources: [], now }));
  return runId;
}

/** Opens as the app does: the first rows summarised on the page, every later piece in the worker. */
async function open(runId: string) {
  const summaries = [(id: string, from: number, count: number) => (sources(2), worker!.summarizeRange(id, from, count))];
  const started = performance.now();
  let first = 0;
  let records = 0;
  let list: RecordSummary[] = [];
  await loadSummaries(
    runId,
    (batch) => {
      list = list.concat(batch);
      if (!first) first = performance.now() - started;
    },
    { sources: summaries },
  );
  records = list.length;
  return { firstRowsMs: Math.round(first), allListedMs: Math.round(performance.now() - started), records };
}

/** Like a File System Access writable: takes each chunk, encoded as the app encodes it for one, and keeps nothing. */
function discardTarget(): ExportTarget {
  const encoder = new ChunkEncoder();
  return {
    async file() {
      return { write: async (chunk: string | Uint8Array) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk).length, close: async () => undefined, abort: async () => undefined };
    },
    async finish() {},
    async abort() {},
  };
}

export type BenchTarget = 'discard' | 'blobs' | 'zip';

let worker: Remote<WorkerApi> | null = null;

/** 1: rows made on the page only; 2: the page and the pipeline worker in turn, as the app does. */
function sources(lanes: number) {
  if (lanes < 2) return [exportRows];
  worker ??= Comlink.wrap<WorkerApi>(new Worker(new URL('../src/worker/pipeline.worker.ts', import.meta.url), { type: 'module' }));
  const w = worker;
  return [exportRows, (job: RowJob) => w.exportRows(job)];
}

async function exportOnce(runId: string, formats: ExportFormat[], into: BenchTarget, lanes = 2) {
  const run = (await getRun(runId))!;
  const kept: Blob[] = [];
  const keep = (_name: string, blob: Blob) => void kept.push(blob);
  const target = into === 'discard' ? discardTarget() : into === 'blobs' ? downloadsTarget(keep) : zipDownloadTarget('bench.zip', keep);
  const req = { run, formats, split: null, card: false, prefix: '', counts: summaryCounts([]), records: run.recordCount, sources: sources(lanes) };
  const result = await runExport(req, target);
  const mb = result.bytes / 1e6;
  const size = kept.reduce((n, b) => n + b.size, 0);
  return { format: formats.join('+'), into, lanes, rows: result.files.reduce((n, f) => n + f.rows, 0), mb: +mb.toFixed(1), seconds: +(result.ms / 1000).toFixed(2), mbPerSecond: +(mb / (result.ms / 1000)).toFixed(1), blobMB: +(size / 1e6).toFixed(1) };
}

/** Starts the worker (it loads the engines' code) before anything is timed. */
async function warm(): Promise<void> {
  sources(2);
  await worker!.ping();
}

const watched =
  <A extends unknown[], T>(f: (...args: A) => Promise<T>) =>
  async (...args: A) => {
    const { result, longestTaskMs, longTasks } = await watchLongTasks(() => f(...args));
    return { ...result, longestTaskMs, longTasks };
  };

Object.assign(window, {
  datasetBench: {
    setup: writeSynthetic,
    open: watched(open),
    exportOnce: watched(exportOnce),
    warm,
    // The bounds: open reads like loadSummaries (its first chunks, then its pieces), exports like runExport (pieces of 20).
    readForOpen: (runId: string) => readAllChunks(runId, OPEN_PIECE_CHUNKS, OPEN_FIRST_CHUNKS),
    readForExport: (runId: string) => readAllChunks(runId, 20),
    bare: bareExportRate,
    read: readAllChunks,
    openSpans,
    costs: exportCosts,
  },
});
