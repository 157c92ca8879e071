// Runs that resume from what is stored, refuse prompts no engine can take, leave no run behind
// when they cannot start, and write a small tally (not the whole run) with each record.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Runner, type RunEvent } from '../../src/worker/runner';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { isBlankPrompt, loneSurrogateAt, promptProblem } from '../../src/core/prompt-check';
import { parsePastedPrompts } from '../../src/core/run-spec';
import { importPrompts } from '../../src/core/imports/prompts';
import type { Run, RunRecord } from '../../src/core/run';
import { appendRecord, getRun, getStore, listRuns, readRecords, resetStoreForTests, saveRun, setStoreForTests } from '../../src/storage';
import { ScriptedEngine } from '../support/scripted-engine';

const spec = (texts: string[]) =>
  critiqueRunSpec({
    model: { backend: 'cpu', kind: 'file', name: 'm.gguf', size: 1 },
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: texts.map((text, i) => ({ id: `p${i}`, text })) },
    rounds: 1,
    seed: 7,
    fewShot: 0,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 16 },
  });

const texts = (n: number) => Array.from({ length: n }, (_, i) => `prompt ${i}`);
const ignore = (_e: RunEvent) => undefined;

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('prompts no engine can take', () => {
  it('calls empty, NUL-only and white-space-only prompts blank, and finds unpaired surrogates', () => {
    for (const t of ['', '\u0000', ' \t\n', '\u200b\u0000 ']) expect(isBlankPrompt(t)).toBe(true);
    expect(isBlankPrompt('a')).toBe(false);
    expect(loneSurrogateAt('ok \ud83d\ude00 fine')).toBe(-1);
    expect(loneSurrogateAt('bad \ud83d here')).toBe(4);
    expect(loneSurrogateAt('\ude00')).toBe(0);
    expect(promptProblem('bad \ud83d')).toMatch(/unpaired UTF-16 surrogate\) at position 5/);
    expect(promptProblem('fine')).toBeNull();
  });

  it('are refused where prompts enter: pasted and imported', () => {
    expect(parsePastedPrompts('one\n\u0000\n \ntwo').map((p) => p.text)).toEqual(['one', 'two']);
    const result = importPrompts('one\n\u0000\nbad \ud83d\ntwo', { file: 'p.txt' });
    expect(result.prompts.map((p) => p.text)).toEqual(['one', 'two']);
    expect(result.errors).toEqual([
      { line: 2, message: expect.stringMatching(/empty/) },
      { line: 3, message: expect.stringMatching(/unpaired UTF-16 surrogate/) },
    ]);
  });

  it('a run with such a prompt does not start: the prompt is named, nothing is stored, nothing retried', async () => {
    await resetStoreForTests();
    const engine = new ScriptedEngine();
    const runner = new Runner(async () => engine);
    await expect(runner.start('t', spec(['fine', 'bad \ud83d end', 'also fine']), ignore)).rejects.toThrow(/^Prompt 2 \("bad \ufffd end"\): .*unpaired/);
    await expect(runner.start('t', spec(['fine', '\u0000'])!, ignore)).rejects.toThrow(/^Prompt 2 .*empty/);
    expect(await listRuns()).toEqual([]);
    expect(engine.requests).toHaveLength(0);
  });

  it('a stored run holding such a prompt is not resumed into failing records', async () => {
    await resetStoreForTests();
    const runner = new Runner(async () => new ScriptedEngine());
    const run = await runner.start('t', spec(texts(2)), ignore);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const stored = (await getRun(run.id))!;
    const bad = { ...stored, status: 'paused' as const, spec: { ...stored.spec, prompts: [{ id: 'x', text: '\ud800' }, ...(stored.spec as unknown as { prompts: [] }).prompts] } } as Run;
    await saveRun(bad);
    await expect(new Runner(async () => new ScriptedEngine()).resume(run.id, ignore)).rejects.toMatchObject({ name: 'PromptInputError' });
  });
});

describe('resuming from what is stored', () => {
  beforeEach(() => resetStoreForTests());

  it('makes every missing index when the cursor points past the stored records, and counts from the log', async () => {
    const runner = new Runner(async () => new ScriptedEngine());
    const run = await runner.start('t', spec(texts(8)), ignore);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const records = await readRecords(run.id);
    // Damage: records 4..7 gone, cursor left at 6, count claiming 5.
    await resetStoreForTests();
    await saveRun({ ...run, status: 'paused', cursor: 6, recordCount: 5 });
    for (const r of records.slice(0, 4)) await appendRecord(run, r);
    await saveRun({ ...(await getRun(run.id))!, status: 'paused' });
    const stored = await getRun(run.id);
    expect(stored?.cursor).toBe(6);

    await new Runner(async () => new ScriptedEngine()).resume(run.id, ignore);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await getRun(run.id))?.recordCount).toBe(8);
  });
});

describe('the run lock comes before the run is stored', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a tab that loses the race for the lock stores no run', async () => {
    await resetStoreForTests();
    // Another tab holds the lock: ifAvailable requests get no lock.
    const held = { request: (_n: string, _o: unknown, cb: (l: null) => unknown) => Promise.resolve(cb(null)), query: async () => ({ held: [{ name: 'cai-lab:run' }] }) };
    vi.stubGlobal('navigator', { ...globalThis.navigator, locks: held });
    await expect(new Runner(async () => new ScriptedEngine()).start('t', spec(texts(3)), ignore)).rejects.toMatchObject({ name: 'RunLockedError' });
    expect(await listRuns()).toEqual([]);
  });
});

describe('bytes written per record', () => {
  afterEach(() => setStoreForTests(undefined));

  /** Appends `n` records to a run of `prompts` prompts; returns bytes put per record (JSON length). */
  async function bytesPerRecord(prompts: number, n: number): Promise<number> {
    await resetStoreForTests();
    const base = getStore();
    let bytes = 0;
    setStoreForTests((mode, cb) =>
      base(mode, (s) => {
        const put = s.put.bind(s);
        s.put = (value: unknown, key?: IDBValidKey) => ((bytes += JSON.stringify(value).length), put(value, key));
        return cb(s);
      }),
    );
    const runner = new Runner(async () => new ScriptedEngine());
    const long = Array.from({ length: prompts }, (_, i) => `prompt ${i} ${'x'.repeat(80)}`);
    const run = await runner.start('t', spec(long), ignore);
    await runner.stop(run.id, 'pause');
    const stored = (await getRun(run.id))!;
    const record = (i: number): RunRecord => ({ ...(sample as RunRecord), id: `${run.id}:${i}`, runId: run.id, index: i });
    bytes = 0;
    for (let i = 0; i < n; i++) await appendRecord(stored, record(i));
    return bytes / n;
  }

  let sample: RunRecord | undefined;
  it('does not grow with the number of prompts in the run', async () => {
    const runner = new Runner(async () => new ScriptedEngine());
    await resetStoreForTests();
    const run = await runner.start('t', spec(texts(1)), ignore);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    sample = (await readRecords(run.id))[0];
    const small = await bytesPerRecord(100, 20);
    const big = await bytesPerRecord(20_000, 20);
    expect(big / small).toBeLessThan(1.1);
    // Writing a 20,000-prompt run takes seconds on a busy machine; the assertion is on bytes, not time.
  }, 60_000);
});
