// The run header counts records stored as not processed, so lists can say so without reading the log.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { Run, RunRecord } from '../../src/core/run';
import { appendRecord, getRun, listRuns, resetStoreForTests, saveRun } from '../../src/storage';

const prompts = Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, text: `prompt ${i}` }));
const principle = { id: 'p1', name: 'Harmless', critique: 'c', revision: 'r', comparison: 'cmp', enabled: true };

const run: Run = {
  schemaVersion: SCHEMA_VERSION,
  id: 'r1',
  name: 'run',
  spec: {
    recipe: 'critique-revision',
    model: { backend: 'cpu', kind: 'file', name: 'm.gguf', size: 1 },
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
    seed: 1,
    rounds: 1,
    constitution: { schemaVersion: SCHEMA_VERSION, id: 'c', name: 'c', description: '', principles: [principle], fewShot: [], updatedAt: 0 },
    promptSetId: 'ps',
    promptSetName: 'ps',
    prompts,
  },
  status: 'running',
  cursor: 0,
  recordCount: 0,
  stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 },
  createdAt: 1,
  updatedAt: 1,
};

function record(index: number, error?: string): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION, id: `r1:${index}`, recipe: 'critique-revision', runId: 'r1', index, promptId: `q${index}`,
    prompt: `prompt ${index}`, initial: error ? '' : 'a', initialFinish: 'stop', rounds: [], final: error ? '' : 'a',
    usage: { promptTokens: 1, completionTokens: 1, ms: 1 }, createdAt: 1, ...(error ? { error } : {}),
  };
}

beforeEach(() => resetStoreForTests());

describe('not-processed records on the run header', () => {
  it('are counted once each, kept across header saves, and read back', async () => {
    let r = await saveRun(run);
    r = await appendRecord(r, record(0, 'too long'));
    r = await appendRecord(r, record(0, 'too long')); // a retried write of the same index
    r = await appendRecord(r, record(1));
    r = await appendRecord(r, record(2, 'too long'));
    expect(r.failedCount).toBe(2);
    await saveRun({ ...r, status: 'done', failedCount: 0 }); // a stale copy must not reset it
    expect((await getRun('r1'))?.failedCount).toBe(2);
    expect((await listRuns()).map((x) => [x.recordCount, x.failedCount])).toEqual([[3, 2]]);
  });
});
