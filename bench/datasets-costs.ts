/**
 * Where an export's time goes, per 1,000 records, on one thread (issue 18): each step of making a
 * format's JSONL from the stored chunks timed on its own, over the same sample, best of `repeat`.
 * - read: IndexedDB getAll of the chunks (the values' structured-clone decoding is most of it);
 * - check: the schema check and migration of every record (checkedRecords);
 * - rows: building the format's row objects;
 * - stringify: JSON.stringify of the rows; encode: UTF-8 of the joined lines.
 */
import type { ExportFormat } from '../src/core/datasets/export-plan';
import { rowsOf } from '../src/core/datasets/export-plan';
import { checkedRecords, getRun, readRawChunkRange, type RawChunk } from '../src/storage';
import type { RunRecord } from '../src/core/run';

const time = async (body: () => unknown | Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
};

export async function exportCosts(runId: string, format: ExportFormat, sample = 10_000, repeat = 5) {
  const run = (await getRun(runId))!;
  const chunks = Math.ceil(sample / 100);
  const best = { read: Infinity, check: Infinity, rows: Infinity, stringify: Infinity, encode: Infinity };
  let bytes = 0;
  let rowCount = 0;
  for (let k = 0; k < repeat; k++) {
    let raw: RawChunk[] = [];
    best.read = Math.min(best.read, await time(async () => {
      raw = [];
      for (let c = 0; c < chunks; c += 4) raw.push(...(await readRawChunkRange(runId, c, 4)));
    }));
    let records: RunRecord[] = [];
    best.check = Math.min(best.check, await time(() => (records = checkedRecords(raw).records)));
    let rows: unknown[] = [];
    best.rows = Math.min(best.rows, await time(() => (rows = [...rowsOf(format, run, records)])));
    let lines: string[] = [];
    best.stringify = Math.min(best.stringify, await time(() => (lines = rows.map((r) => JSON.stringify(r)))));
    const encoder = new TextEncoder();
    const buffer = new Uint8Array(4 << 20);
    best.encode = Math.min(best.encode, await time(() => {
      bytes = 0;
      for (let i = 0; i < lines.length; i += 2000) bytes += encoder.encodeInto(lines.slice(i, i + 2000).join('\n') + '\n', buffer).written;
    }));
    rowCount = rows.length;
  }
  const per1000 = Object.fromEntries(Object.entries(best).map(([k, ms]) => [k, +((ms / sample) * 1000).toFixed(2)]));
  return { format, records: sample, rows: rowCount, mb: +(bytes / 1e6).toFixed(2), msPer1000Records: per1000 };
}
