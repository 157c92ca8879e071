import 'fake-indexeddb/auto';
import { createStore, keys } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTotal } from '../../src/core/recipes/index';
import { SCHEMA_VERSION, type Constitution, type PromptSet } from '../../src/core/types';
import type { CritiqueRecord } from '../../src/core/recipes/critique-revision/types';
import type { Run, RunRecord } from '../../src/core/run';
import {
  CHUNK_SIZE,
  StorageFullError,
  appendRecord,
  countRecords,
  deleteConstitution,
  deletePromptSet,
  deleteRun,
  getConstitution,
  getStore,
  getPromptSet,
  getRun,
  listConstitutions,
  listPromptSets,
  listRuns,
  readRecords,
  requestPersistence,
  resetStoreForTests,
  saveConstitution,
  savePromptSet,
  saveRun,
  setStoreForTests,
  updateRecordReview,
} from '../../src/storage';

function constitution(id: string, name = id): Constitution {
  const principle = { id: 'p1', name: 'Harmless', critique: 'c', revision: 'r', comparison: 'cmp', enabled: true };
  return { schemaVersion: SCHEMA_VERSION, id, name, description: 'd', principles: [principle], fewShot: [], updatedAt: 0 };
}

function promptSet(id: string, n: number): PromptSet {
  const prompts = Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: `prompt ${i}` }));
  return { schemaVersion: SCHEMA_VERSION, id, name: id, prompts, updatedAt: 0 };
}

function run(id: string, nPrompts: number, createdAt = 1000): Run {
  const ps = promptSet('ps', nPrompts);
  return {
    schemaVersion: SCHEMA_VERSION,
    id,
    name: `run ${id}`,
    spec: {
      recipe: 'critique-revision',
      model: { backend: 'webgpu', modelId: 'm' },
      sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
      seed: 1,
      rounds: 1,
      constitution: constitution('c'),
      promptSetId: ps.id,
      promptSetName: ps.name,
      prompts: ps.prompts,
    },
    status: 'running',
    cursor: 0,
    recordCount: 0,
    stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 },
    createdAt,
    updatedAt: createdAt,
  };
}

function record(runId: string, index: number, final = `final ${index}`): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `${runId}-${index}`,
    recipe: 'critique-revision',
    runId,
    index,
    promptId: `q${index}`,
    prompt: `prompt ${index}`,
    initial: 'initial',
    initialFinish: 'stop',
    rounds: [],
    final,
    usage: { promptTokens: 10, completionTokens: 5, ms: 7 },
    createdAt: 1,
  };
}

/** What the worker does: process prompts from the durable cursor to the end, appending each. */
async function processFromCursor(r: Run): Promise<number[]> {
  const done: number[] = [];
  for (let i = r.cursor; i < runTotal(r.spec); i++) {
    r = await appendRecord(r, record(r.id, i));
    done.push(i);
  }
  return done;
}

beforeEach(async () => {
  await resetStoreForTests();
});

afterEach(() => {
  setStoreForTests(undefined);
  vi.unstubAllGlobals();
});

describe('library', () => {
  it('saves, lists, reads and deletes constitutions', async () => {
    const before = Date.now();
    const saved = await saveConstitution(constitution('b', 'Beta'));
    await saveConstitution(constitution('a', 'Alpha'));
    expect(saved.updatedAt).toBeGreaterThanOrEqual(before);
    expect((await listConstitutions()).map((c) => c.name)).toEqual(['Alpha', 'Beta']);
    expect((await getConstitution('b'))?.principles[0]?.name).toBe('Harmless');
    await deleteConstitution('b');
    expect(await getConstitution('b')).toBeUndefined();
    expect((await listConstitutions()).map((c) => c.id)).toEqual(['a']);
  });

  it('saves, lists, reads and deletes prompt sets without mixing kinds', async () => {
    await savePromptSet(promptSet('ps1', 3));
    await saveConstitution(constitution('c1'));
    await saveRun(run('r1', 2));
    expect((await listPromptSets()).map((p) => p.id)).toEqual(['ps1']);
    expect((await getPromptSet('ps1'))?.prompts).toHaveLength(3);
    await deletePromptSet('ps1');
    expect(await listPromptSets()).toEqual([]);
    expect(await listConstitutions()).toHaveLength(1);
  });

  it('rejects an invalid item at save time', async () => {
    const bad = { ...constitution('x'), principles: 'nope' } as unknown as Constitution;
    await expect(saveConstitution(bad)).rejects.toThrow('field "principles" must be an array');
    expect(await getConstitution('x')).toBeUndefined();
  });
});

describe('runs', () => {
  it('lists runs newest first', async () => {
    await saveRun(run('old', 1, 100));
    await saveRun(run('new', 1, 300));
    await saveRun(run('mid', 1, 200));
    expect((await listRuns()).map((r) => r.id)).toEqual(['new', 'mid', 'old']);
  });

  it('does not let a stale header save roll back the log counters', async () => {
    const r = run('r', 5);
    await saveRun(r);
    await appendRecord(r, record('r', 0));
    const saved = await saveRun({ ...r, status: 'paused' });
    expect(saved).toMatchObject({ status: 'paused', cursor: 1, recordCount: 1 });
    expect(await getRun('r')).toMatchObject({ status: 'paused', cursor: 1, recordCount: 1 });
  });

  it('deleteRun removes the run and all its chunks but not other runs', async () => {
    const a = run('a', 250);
    const b = run('b', 1);
    await saveRun(a);
    await saveRun(b);
    for (const i of [0, 150, 249]) await appendRecord(a, record('a', i));
    await appendRecord(b, record('b', 0));
    await deleteRun('a');
    expect(await getRun('a')).toBeUndefined();
    expect(await countRecords('a')).toBe(0);
    expect(await readRecords('a')).toEqual([]);
    expect(await countRecords('b')).toBe(1);
  });
});

describe('record log', () => {
  it('appends 250 records across 3 chunks and reads them back in order', async () => {
    let r = run('r', 250);
    await saveRun(r);
    // Out of order on purpose: chunks must still come back sorted by index.
    const order = Array.from({ length: 250 }, (_, i) => (i * 7) % 250);
    for (const i of order) r = await appendRecord(r, record('r', i));
    const all = await readRecords('r');
    expect(all.map((x) => x.index)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(await countRecords('r')).toBe(250);
    expect(r).toMatchObject({ cursor: 250, recordCount: 250 });
    expect(r.stats).toEqual({ promptTokens: 2500, completionTokens: 1250, generationMs: 1750 });
    const chunkKeys = (await keys<IDBValidKey[]>(getStore())).filter((k) => k[0] === 'chunk' && k[1] === 'r');
    expect(chunkKeys).toEqual([0, 1, 2].map((n) => ['chunk', 'r', n]));
    expect(CHUNK_SIZE).toBe(100);
    const page = await readRecords('r', 95, 10);
    expect(page.map((x) => x.index)).toEqual([95, 96, 97, 98, 99, 100, 101, 102, 103, 104]);
    expect((await readRecords('r', 240)).map((x) => x.index)).toEqual([240, 241, 242, 243, 244, 245, 246, 247, 248, 249]);
  });

  it('appending the same index twice keeps one record and the same counts', async () => {
    let r = run('r', 3);
    await saveRun(r);
    r = await appendRecord(r, record('r', 0, 'first'));
    r = await appendRecord(r, record('r', 1));
    const again = await appendRecord(r, record('r', 1, 'second'));
    expect(again).toMatchObject({ recordCount: 2, cursor: 2 });
    expect(again.stats.promptTokens).toBe(20);
    const all = await readRecords('r');
    expect(all.map((x) => x.index)).toEqual([0, 1]);
    expect((all[1] as CritiqueRecord | undefined)?.final).toBe('second');
  });

  it('resumes from the durable cursor and redoes only the unfinished prompt', async () => {
    let r = run('r', 5);
    await saveRun(r);
    for (const i of [0, 1, 2]) r = await appendRecord(r, record('r', i));
    // "Reload": forget the in-memory run and read what is durable.
    const fresh = await getRun('r');
    expect(fresh).toMatchObject({ cursor: 3, recordCount: 3 });
    const redone = await processFromCursor(fresh!);
    expect(redone[0]).toBe(3);
    expect(redone).toEqual([3, 4]);
    const all = await readRecords('r');
    expect(all.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(await getRun('r')).toMatchObject({ cursor: 5, recordCount: 5 });
  });

  it('rejects a record for another run', async () => {
    const r = run('r', 1);
    await saveRun(r);
    await expect(appendRecord(r, record('other', 0))).rejects.toThrow('belongs to run other');
  });

  it('fails clearly when the run is not stored, writing nothing', async () => {
    await expect(appendRecord(run('ghost', 1), record('ghost', 0))).rejects.toThrow(/ghost.*not stored/);
    expect(await countRecords('ghost')).toBe(0);
  });

  it('updates the review of one record in place', async () => {
    const r = run('r', 3);
    await saveRun(r);
    for (const i of [0, 1, 2]) await appendRecord(r, record('r', i));
    await updateRecordReview('r', 1, { state: 'edited', editedText: 'better' });
    const all = await readRecords('r');
    expect(all[1]?.review).toEqual({ state: 'edited', editedText: 'better' });
    expect(all[0]?.review).toBeUndefined();
    expect(all).toHaveLength(3);
    await expect(updateRecordReview('r', 9, { state: 'accepted' })).rejects.toThrow('no record 9');
  });
});

describe('storage full', () => {
  /** A store whose put() fails like a browser out of quota, after `okPuts` successful puts. */
  function quotaStore(okPuts: number) {
    const real = createStore('cai-lab', 'kv');
    let puts = 0;
    return <T>(mode: IDBTransactionMode, cb: (s: IDBObjectStore) => T | PromiseLike<T>) =>
      real(mode, (s) => {
        const put = (value: unknown, key?: IDBValidKey) => {
          if (puts++ >= okPuts) throw new DOMException('quota', 'QuotaExceededError');
          return s.put(value, key);
        };
        return cb(new Proxy(s, { get: (t, p) => (p === 'put' ? put : (Reflect.get(t, p) as unknown)) }) as IDBObjectStore);
      });
  }

  it('maps QuotaExceededError to StorageFullError with usage, and writes nothing', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 50 * 2 ** 20, quota: 100 * 2 ** 20 }) } });
    const r = run('r', 5);
    await saveRun(r);
    setStoreForTests(quotaStore(1)); // the chunk put succeeds, the run put fails
    const err = await appendRecord(r, record('r', 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as Error).name).toBe('StorageFullError');
    expect((err as Error).message).toMatch(/storage is full/i);
    expect((err as Error).message).toContain('50.0 MB used of the 100.0 MB this browser allows this site');
    expect((err as Error).message).toMatch(/delete old runs or downloaded models/);
    setStoreForTests(undefined);
    expect(await readRecords('r')).toEqual([]);
    expect(await getRun('r')).toMatchObject({ cursor: 0, recordCount: 0 });
  });

  it('still reports a full disk where no estimate is available', async () => {
    setStoreForTests(quotaStore(0));
    await expect(saveConstitution(constitution('c'))).rejects.toThrow(StorageFullError);
    setStoreForTests(undefined);
    expect(await getConstitution('c')).toBeUndefined();
  });
});

describe('persistence', () => {
  it('asks the browser once and remembers it', async () => {
    const persist = vi.fn(async () => false);
    vi.stubGlobal('navigator', { storage: { persist, persisted: async () => false } });
    expect(await requestPersistence()).toBe(false);
    expect(await requestPersistence()).toBe(false);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('resolves false where persist() is unavailable (workers, Node)', async () => {
    vi.stubGlobal('navigator', { storage: {} });
    expect(await requestPersistence()).toBe(false);
  });
});
