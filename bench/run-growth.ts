/**
 * Run growth benchmark (reliability issue, item 9), run in Chromium by scripts/bench-run-growth.mjs:
 * bytes written per stored record and records stored per second, in a run of 100 prompts and in
 * one of 20,000, through the app's own write path (appendRecord into IndexedDB). Goal: flat, i.e.
 * a record costs the same whatever the size of its run's frozen spec.
 */
import { critiqueRunSpec } from '../src/core/recipes/critique-revision/spec';
import { harmlessConstitution } from '../src/core/builtins/constitution';
import { SCHEMA_VERSION } from '../src/core/types';
import type { Run, RunRecord } from '../src/core/run';
import { appendRecord, deleteRun, getStore, saveRun, setStoreForTests } from '../src/storage';

const model = { backend: 'cpu' as const, kind: 'file' as const, name: 'm.gguf', size: 1 };

function runOf(prompts: number): Run {
  const spec = critiqueRunSpec({
    model,
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: Array.from({ length: prompts }, (_, i) => ({ id: `p${i}`, text: `Prompt ${i}: how should a small garden be watered in a dry summer?` })) },
    rounds: 1,
    seed: 1,
    fewShot: 0,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
  });
  const now = Date.now();
  return { schemaVersion: SCHEMA_VERSION, id: `growth-${prompts}-${now}`, name: 'growth', spec, status: 'running', cursor: 0, recordCount: 0, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: now, updatedAt: now };
}

function recordOf(run: Run, i: number): RunRecord {
  const answer = `Water early in the morning, deeply and less often (${i}).`;
  return {
    schemaVersion: SCHEMA_VERSION, recipe: 'critique-revision', id: `${run.id}:${i}`, runId: run.id, index: i, promptId: `p${i}`,
    prompt: `Prompt ${i}: how should a small garden be watered in a dry summer?`, initial: answer, initialFinish: 'stop',
    rounds: [], final: answer, usage: { promptTokens: 30, completionTokens: 20, ms: 100 }, createdAt: Date.now(),
  } as RunRecord;
}

/** Counts the structured bytes (as JSON) of every value put while `body` runs. */
async function countingPuts<T>(body: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const base = getStore();
  let bytes = 0;
  setStoreForTests((mode, callback) =>
    base(mode, (s) => {
      const put = s.put.bind(s);
      s.put = (value: unknown, key?: IDBValidKey) => ((bytes += new Blob([JSON.stringify(value)]).size), put(value, key));
      return callback(s);
    }),
  );
  try {
    return { result: await body(), bytes };
  } finally {
    setStoreForTests(undefined);
  }
}

export interface GrowthFigures {
  prompts: number;
  records: number;
  bytesPerRecord: number;
  recordsPerSecond: number;
  /** Bytes of the run header written when the run was made (once). */
  headerBytes: number;
}

async function measure(prompts: number, records: number): Promise<GrowthFigures> {
  const run = runOf(prompts);
  const made = await countingPuts(() => saveRun(run));
  const started = performance.now();
  const { bytes } = await countingPuts(async () => {
    for (let i = 0; i < records; i++) await appendRecord(run, recordOf(run, i));
  });
  const ms = performance.now() - started;
  await deleteRun(run.id);
  return { prompts, records, bytesPerRecord: Math.round(bytes / records), recordsPerSecond: Math.round((records / ms) * 1000), headerBytes: made.bytes };
}

async function runGrowthBench(records = 300): Promise<GrowthFigures[]> {
  await measure(100, 20); // warm up IndexedDB
  return [await measure(100, records), await measure(20_000, records)];
}

Object.assign(window, { runGrowthBench });
