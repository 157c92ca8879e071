// The runner with several records in flight: stored in index order, at most K at once, a pause
// and a resume (as after a reload) redo at most K records, and sequential recipes stay one at a time.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { Runner, type RunEvent } from '../../src/worker/runner';
import { critiqueRunSpec } from '../../src/core/recipes/critique-revision/spec';
import { magpieRunSpec } from '../../src/core/recipes/magpie/spec';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { getRun, readRecords, resetStoreForTests } from '../../src/storage';
import { PooledEngine } from '../support/pooled-engine';
import { CompletionEngine } from '../support/completion-engine';

const model = { backend: 'cpu' as const, kind: 'file' as const, name: 'm.gguf', size: 1 };
const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 32 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const spec = (n: number) =>
  critiqueRunSpec({
    model,
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: range(n).map((i) => ({ id: `p${i}`, text: `prompt ${i}` })) },
    rounds: 1,
    seed: 3,
    fewShot: 0,
    sampling,
  });

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every index the runner started, from its 'flight' events, and the widest flight seen. */
function watch(events: RunEvent[]) {
  const flights = events.filter((e): e is Extract<RunEvent, { type: 'flight' }> => e.type === 'flight');
  return { started: new Set(flights.flatMap((e) => e.indexes)), widest: Math.max(0, ...flights.map((e) => e.indexes.length)) };
}

describe('Runner with records in flight', () => {
  beforeEach(() => resetStoreForTests());

  it('keeps K = slots records in flight, each on its own lease, and stores them in index order', async () => {
    const engine = new PooledEngine(4, 9);
    const events: RunEvent[] = [];
    const run = await new Runner(async () => engine).start('k4', spec(24), (e) => events.push(e));
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual(range(24));
    const announced = events.flatMap((e) => (e.type === 'record' ? [e.record.index] : []));
    expect(announced).toEqual(range(24));
    expect(engine.mostLeased).toBe(4);
    expect(engine.leased).toBe(0);
    expect(watch(events).widest).toBeLessThanOrEqual(4);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.progress.done).toBe(24);
  });

  it('the user may set K lower than the slots', async () => {
    const engine = new PooledEngine(8, 2);
    const run = await new Runner(async () => engine).start('k2', spec(10), () => undefined, { concurrency: 2 });
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect(engine.mostLeased).toBe(2);
  });

  it('a pause mid-run, then a resume by a fresh runner, makes every index exactly once', async () => {
    const engine = new PooledEngine(4, 5);
    const events: RunEvent[] = [];
    const runner = new Runner(async () => engine);
    const run = await runner.start('stop', spec(30), (e) => events.push(e));
    await waitFor(() => events.filter((e) => e.type === 'record').length >= 9);
    await runner.stop(run.id, 'pause');
    expect((await getRun(run.id))?.status).toBe('paused');
    const kept = (await readRecords(run.id)).map((r) => r.index);
    expect(kept).toEqual(range(kept.length));
    const before = watch(events).started;
    // Redone at most K: started but not stored.
    expect(before.size - kept.length).toBeLessThanOrEqual(4);

    const later: RunEvent[] = [];
    await new Runner(async () => new PooledEngine(4, 6)).resume(run.id, (e) => later.push(e));
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual(range(30));
    expect([...watch(later).started].sort((a, b) => a - b)).toEqual(range(30).filter((i) => !kept.includes(i)));
    expect((await getRun(run.id))?.recordCount).toBe(30);
  });

  it('a recipe that reads earlier records runs one at a time even on a server with slots', async () => {
    class Slotted extends CompletionEngine {
      readonly slots = 4;
    }
    const turns = ['How do tides work?', 'Name a grey cat.', 'Why is the sky blue?'];
    const engine = new Slotted((_req, n) => ({ text: turns[n % turns.length]! }));
    const magpie = magpieRunSpec({
      model, template: { kind: 'family', family: 'chatml' }, samples: 5, seed: 1, sampling, systemPrompt: '', topics: [], personas: [],
      answers: null, metric: 'rouge-l', threshold: 0.7, reference: null,
    });
    const events: RunEvent[] = [];
    const run = await new Runner(async () => engine).start('m', magpie, (e) => events.push(e));
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect(watch(events).widest).toBe(1);
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual(range(5));
  });
});
