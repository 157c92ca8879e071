// The three newer recipes through the real runner and storage (fake IndexedDB): pause, resume and
// the records they store, as the worker would drive them.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { Runner, type RunEvent } from '../../src/worker/runner';
import { magpieRunSpec } from '../../src/core/recipes/magpie/spec';
import { clairRunSpec } from '../../src/core/recipes/clair/spec';
import { rlcdRunSpec } from '../../src/core/recipes/rlcd/spec';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { getRun, readRecords, resetStoreForTests } from '../../src/storage';
import type { MagpieRecord } from '../../src/core/recipes/magpie/types';
import type { CompletionRequest } from '../../src/core/engine';
import { CompletionEngine } from '../support/completion-engine';
import { ScriptedEngine } from '../support/scripted-engine';

const model = { backend: 'cpu' as const, kind: 'file' as const, name: 'm.gguf', size: 1 };
const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 32 };
const promptSet = { id: 'ps', name: 'ps', prompts: [{ id: 'a', text: 'first prompt' }, { id: 'b', text: 'second prompt' }] };

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const TURNS = ['How do tides work on a lake?', 'Suggest a name for a grey cat.', 'Why is the sky blue at noon?', 'How do tides work on a lake?'];

describe('Magpie through the runner', () => {
  beforeEach(() => resetStoreForTests());

  it('pauses and resumes; after resuming, earlier kept prompts (read back from the log) still drop a repeat', async () => {
    let release: () => void = () => undefined;
    let held = false;
    const write = (_req: CompletionRequest, n: number) => ({ text: TURNS[n % TURNS.length] });
    const engine = new CompletionEngine(write);
    const slow = Object.assign(Object.create(engine) as CompletionEngine, {
      complete: async (req: CompletionRequest, opts?: Parameters<CompletionEngine['complete']>[1]) => {
        if (engine.completions.length === 2 && !held) {
          held = true;
          await new Promise<void>((r) => (release = r));
        }
        return engine.complete(req, opts);
      },
    });
    const spec = magpieRunSpec({
      model, template: { kind: 'family', family: 'chatml' }, samples: 4, seed: 1, sampling, systemPrompt: '', topics: [], personas: [],
      answers: null, metric: 'rouge-l', threshold: 0.7, reference: null,
    });
    const events: RunEvent[] = [];
    const runner = new Runner(async () => slow);
    const run = await runner.start('m', spec, (e) => events.push(e));
    await waitFor(() => held);
    const pausing = runner.stop(run.id, 'pause');
    release();
    await pausing;
    expect((await getRun(run.id))?.status).toBe('paused');
    expect((await readRecords(run.id)).map((r) => r.index)).toEqual([0, 1]);

    // A fresh runner (as after a reload) resumes at the sample in flight.
    await new Runner(async () => new CompletionEngine((_req, n) => ({ text: TURNS[(n + 2) % TURNS.length] }))).resume(run.id, (e) => events.push(e));
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const records = (await readRecords(run.id)) as MagpieRecord[];
    expect(records.map((r) => r.recipe)).toEqual(['magpie', 'magpie', 'magpie', 'magpie']);
    expect(records.map((r) => r.drop?.reason ?? 'kept')).toEqual(['kept', 'kept', 'kept', 'near-duplicate']);
    expect(events.some((e) => e.type === 'trace' && e.event.type === 'step' && 'step' in e.event && e.event.step === 'user-turn')).toBe(true);
  });
});

describe('CLAIR and RLCD through the runner', () => {
  beforeEach(() => resetStoreForTests());

  it('a CLAIR run stores one measured pair per prompt', async () => {
    const spec = clairRunSpec({ model, constitution: harmlessConstitution, promptSet, seed: 2, sampling, minDistance: 0.02, maxDistance: 0.9, baseline: true });
    const engine = new ScriptedEngine((req) => (req.messages.length === 3 ? 'one two three four CHANGED' : 'one two three four five'));
    const run = await new Runner(async () => engine).start('c', spec, () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    const records = await readRecords(run.id);
    expect(records.map((r) => [r.recipe, r.index, 'distance' in r ? r.distance : null])).toEqual([['clair', 0, 0.2], ['clair', 1, 0.2]]);
    expect(engine.requests).toHaveLength(6);
  });

  it('an RLCD run stores one contrastive pair per prompt', async () => {
    const spec = rlcdRunSpec({ model, constitution: harmlessConstitution, promptSet, seed: 2, sampling, judge: false });
    const run = await new Runner(async () => new ScriptedEngine()).start('r', spec, () => undefined);
    await waitFor(async () => (await getRun(run.id))?.status === 'done');
    expect((await readRecords(run.id)).map((r) => [r.recipe, r.index])).toEqual([['rlcd', 0], ['rlcd', 1]]);
  });
});
