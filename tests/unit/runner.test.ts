import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { Runner, type RunEvent } from '../../src/worker/runner';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { getRun, readRecords, resetStoreForTests, saveRun } from '../../src/storage';
import { ScriptedEngine } from '../support/scripted-engine';
import type { ChatRequest } from '../../src/core/engine';

const spec = (n = 4) =>
  critiqueRunSpec({
    model: { backend: 'cpu', kind: 'file', name: 'm.gguf', size: 1 },
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: Array.from({ length: n }, (_, i) => ({ id: `p${i}`, text: `prompt ${i}` })) },
    rounds: 2,
    seed: 7,
    fewShot: 1,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 32 },
  });

function collect() {
  const events: RunEvent[] = [];
  return { events, emit: (e: RunEvent) => events.push(e) };
}

describe('Runner', () => {
  beforeEach(() => resetStoreForTests());

  it('stores each record before announcing it, and finishes with one record per prompt', async () => {
    const runner = new Runner(async () => new ScriptedEngine());
    const seenStored: number[] = [];
    const { events, emit } = collect();
    const run = await runner.start('t', spec(), (e) => {
      emit(e);
      if (e.type === 'record') void readRecords(e.runId).then((r) => seenStored.push(r.length));
    });
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const records = await readRecords(run.id);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    const announced = events.filter((e) => e.type === 'record');
    expect(announced).toHaveLength(4);
    // Each announcement happened after its record was durable: the store already held it.
    expect(seenStored.every((n, i) => n >= i + 1)).toBe(true);
    expect(events.some((e) => e.type === 'progress' && e.progress.done === 4 && e.progress.total === 4)).toBe(true);
  });

  it('pauses, then resumes redoing only the record in flight', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const engine = new ScriptedEngine();
    const slow = {
      info: engine.info,
      choose: engine.choose.bind(engine),
      chat: async (req: ChatRequest, opts?: Parameters<ScriptedEngine['chat']>[1]) => {
        calls++;
        // Hold the 8th call (second record's 3rd step) until the test pauses the run.
        if (calls === 8) await new Promise<void>((r) => (release = r));
        return engine.chat(req, opts);
      },
    };
    const runner = new Runner(async () => slow);
    const { emit } = collect();
    const run = await runner.start('t', spec(3), emit);
    await waitFor(() => calls === 8);
    const paused = runner.stop(run.id, 'pause');
    release();
    await paused;
    expect((await getRun(run.id))?.status).toBe('paused');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0]);

    const resumed = new Runner(async () => new ScriptedEngine());
    await resumed.resume(run.id, emit);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('marks runs left running by a closed tab as paused', async () => {
    const runner = new Runner(async () => new ScriptedEngine());
    const run = await runner.start('t', spec(1), () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    await saveRun({ ...(await getRun(run.id))!, id: 'stale', status: 'running', createdAt: 1 });
    expect(await new Runner(async () => new ScriptedEngine()).recoverInterrupted()).toBe(1);
    expect((await getRun('stale'))?.status).toBe('paused');
  });

  it('pauses with the reason when the engine fails, keeping what was stored', async () => {
    let calls = 0;
    const failing = new ScriptedEngine((_r, n) => {
      calls = n;
      if (n === 6) throw new Error('boom');
      return 'ok';
    });
    const { events, emit } = collect();
    const run = await new Runner(async () => failing).start('t', spec(3), emit);
    await waitFor(async () => (await getRun(run.id))?.status === 'paused');
    expect(calls).toBe(6);
    expect((await getRun(run.id))?.error).toMatch(/boom/);
    expect((await readRecords(run.id)).length).toBe(1);
    expect(events.some((e) => e.type === 'error')).toBe(true);
  });
});

describe('Runner after engine failures', () => {
  beforeEach(() => resetStoreForTests());

  it('reloads the model and retries the record in flight, then carries on', async () => {
    let resets = 0;
    const flaky = new ScriptedEngine((_r, n) => {
      if (n === 3) throw Object.assign(new Error('Device was lost'), { name: 'DeviceLostError' });
      return 'ok';
    });
    const runner = new Runner(async () => flaky, { resetEngine: async () => void resets++ });
    const run = await runner.start('t', spec(2), () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect(resets).toBe(1);
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0, 1]);
  });

  it('pauses with the reason after repeated failure, keeping what was stored', async () => {
    let resets = 0;
    const broken = new ScriptedEngine((_r, n) => {
      if (n >= 5) throw new Error('out of memory');
      return 'ok';
    });
    const runner = new Runner(async () => broken, { resetEngine: async () => void resets++, maxAttempts: 3 });
    const run = await runner.start('t', spec(3), () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'paused');
    expect(resets).toBe(2);
    expect((await getRun(run.id))?.error).toMatch(/failed 3 times.*out of memory/);
    expect((await readRecords(run.id)).length).toBe(1);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Runner with input the model cannot take', () => {
  beforeEach(() => resetStoreForTests());

  it('records a prompt longer than the context as not processed and finishes the run', async () => {
    let resets = 0;
    const engine = new ScriptedEngine((req) => {
      if (req.messages.some((m) => m.content.length > 1000)) throw new Error('request (40000 tokens) exceeds the available context size (4096 tokens)');
      return 'fine';
    });
    const s = spec(3);
    s.prompts[1] = { id: 'long', text: 'x'.repeat(100_000) };
    const run = await new Runner(async () => engine, { resetEngine: async () => void resets++ }).start('t', s, () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const records = await readRecords(run.id);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(resets).toBe(0);
    const failed = records[1] as { error?: string; final: string };
    expect(failed.error).toMatch(/longer than the model's context/);
    expect(failed.final).toBe('');
    const { sftRows } = await import('../../src/core/formats/sft');
    expect([...sftRows(records as never)]).toHaveLength(2);
  });
});

describe('Runner cancel', () => {
  beforeEach(() => resetStoreForTests());

  it('cancels a running run (kept records stay) and a paused one', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const engine = new ScriptedEngine();
    const held = {
      info: engine.info,
      choose: engine.choose.bind(engine),
      chat: async (req: ChatRequest, opts?: Parameters<ScriptedEngine['chat']>[1]) => {
        if (++calls === 7) await new Promise<void>((r) => (release = r));
        return engine.chat(req, opts);
      },
    };
    const runner = new Runner(async () => held);
    const run = await runner.start('t', spec(3), () => undefined);
    await waitFor(() => calls === 7);
    const stopped = runner.stop(run.id, 'cancel');
    release();
    await stopped;
    expect((await getRun(run.id))?.status).toBe('cancelled');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0]);
    // A cancelled run is not resumed.
    expect((await runner.resume(run.id, () => undefined)).status).toBe('cancelled');

    await saveRun({ ...(await getRun(run.id))!, id: 'paused-one', status: 'paused', createdAt: 2 });
    await runner.stop('paused-one', 'cancel');
    expect((await getRun('paused-one'))?.status).toBe('cancelled');
  });
});
