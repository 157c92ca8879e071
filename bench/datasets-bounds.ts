/**
 * The machine's own limits for the datasets benchmark (issue 18), measured in the same run as the
 * open and the exports so that the goals are ratios, not absolute figures:
 * - reading: every chunk of the dataset read from IndexedDB in the pieces the app uses, with
 *   nothing done to the records (the bound of open, and one bound of every export);
 * - bare export work: JSON.stringify of the row objects plus one UTF-8 encode per ~1 MB chunk,
 *   with the rows already built and no storage read (the other bound of every export);
 * - long tasks: the longest main-thread task (PerformanceObserver `longtask`) while something runs.
 */
import type { ExportFormat } from '../src/core/datasets/export-plan';
import { rowsOf } from '../src/core/datasets/export-plan';
import { DEFAULT_CHUNK_BYTES } from '../src/core/formats/stream';
import { checkedRecords, getRun, lastChunkNo, readRawChunkRange } from '../src/storage';
import { inOrder } from '../src/datasets/in-order';
import { summarizeChunks } from '../src/datasets/index-build';
import { NameLists } from '../src/core/datasets/summary';

let longest = 0;
let longTasks = 0;
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longest = Math.max(longest, e.duration);
      longTasks++;
    }
  }).observe({ type: 'longtask', buffered: false });
} catch {
  longest = -1; // this browser reports no long tasks
}

/** Runs `body`, answering with its result and the longest main-thread task meanwhile (ms). */
export async function watchLongTasks<T>(body: () => Promise<T>): Promise<{ result: T; longestTaskMs: number; longTasks: number }> {
  // Long-task entries are delivered a little after the task: let earlier ones land first.
  await new Promise((r) => setTimeout(r, 50));
  if (longest >= 0) longest = 0;
  longTasks = 0;
  const result = await body();
  await new Promise((r) => setTimeout(r, 50));
  return { result, longestTaskMs: Math.round(longest), longTasks };
}

/**
 * Reads every chunk of a run from IndexedDB in pieces of `chunks` (the first piece `first`), a
 * few pieces in flight, on this page, and drops them: the floor under opening and exporting.
 */
export async function readAllChunks(runId: string, chunks: number, first = chunks, inFlight = 4): Promise<{ ms: number; records: number }> {
  const started = performance.now();
  const end = (await lastChunkNo(runId)) + 1;
  let records = 0;
  for (const chunk of await readRawChunkRange(runId, 0, first)) records += chunk.records.length;
  const pieces = Math.ceil(Math.max(0, end - first) / chunks);
  for await (const piece of inOrder(pieces, (i) => readRawChunkRange(runId, first + i * chunks, chunks), inFlight)) {
    for (const chunk of piece) records += chunk.records.length;
  }
  return { ms: performance.now() - started, records };
}

/**
 * Bytes per second of the bare work of an export of `format`: the rows of the first `sample`
 * records are built beforehand (not timed), then stringified line by line, joined per ~1 MB and
 * encoded into one reused buffer, as a writer must at the least.
 */
export async function bareExportRate(runId: string, format: ExportFormat, sample = 20_000): Promise<{ mbPerSecond: number; mb: number; rows: number }> {
  const run = (await getRun(runId))!;
  const { records } = checkedRecords(await readRawChunkRange(runId, 0, Math.ceil(sample / 100)));
  const rows = [...rowsOf(format, run, records)];
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(DEFAULT_CHUNK_BYTES * 4);
  let bytes = 0;
  const started = performance.now();
  let lines: string[] = [];
  let length = 0;
  const flush = () => {
    const text = lines.join('');
    if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
    bytes += encoder.encodeInto(text, buffer).written;
    lines = [];
    length = 0;
  };
  for (const row of rows) {
    const line = JSON.stringify(row) + '\n';
    lines.push(line);
    length += line.length;
    if (length >= DEFAULT_CHUNK_BYTES) flush();
  }
  flush();
  const seconds = (performance.now() - started) / 1000;
  return { mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1), mb: +(bytes / 1e6).toFixed(1), rows: rows.length };
}

/** Where a page-only open's time goes: reading the chunks, and summarising them (performance.now spans). */
export async function openSpans(runId: string, chunks = 50): Promise<{ readMs: number; summariseMs: number; records: number }> {
  const end = (await lastChunkNo(runId)) + 1;
  let readMs = 0;
  let summariseMs = 0;
  let records = 0;
  const names = new NameLists();
  for (let from = 0; from < end; from += chunks) {
    const t0 = performance.now();
    const piece = await readRawChunkRange(runId, from, chunks);
    const t1 = performance.now();
    records += summarizeChunks(piece, names).length;
    readMs += t1 - t0;
    summariseMs += performance.now() - t1;
  }
  return { readMs: Math.round(readMs), summariseMs: Math.round(summariseMs), records };
}
