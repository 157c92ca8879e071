import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/worker/runner';
import type { PreferenceSpec } from '../../src/core/recipes/preference/types';
import type { Engine } from '../../src/core/engine';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { countStage, getRun, readRecords, resetStoreForTests } from '../../src/storage';
import { LogprobEngine, tops } from '../support/logprob-engine';
import type { ModelRef } from '../../src/core/types';

const writerRef: ModelRef = { backend: 'cpu', kind: 'url', url: 'w', name: 'writer' };
const judgeRef: ModelRef = { backend: 'cpu', kind: 'url', url: 'j', name: 'judge' };
const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 16 };

const spec = (n: number, judge = judgeRef): PreferenceSpec => ({
  recipe: 'preference',
  source: { kind: 'sampled', model: writerRef, sampling: [sampling, { ...sampling, temperature: 1.2 }] },
  judge: { model: judge, principlesPerComparison: 1, mode: 'plain', tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 16 },
  seed: 3,
  constitution: harmlessConstitution,
  promptSetId: 'ps',
  promptSetName: 'ps',
  prompts: Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: `question ${i}` })),
});

/** Engines by model, and the order in which the runner asked for them. */
function models(judgeScript = () => tops({ A: 0.7, B: 0.3 })) {
  const asked: string[] = [];
  const engines: Record<string, Engine> = {
    writer: new LogprobEngine(() => [], { reply: (_r, call) => `answer ${call}` }),
    judge: new LogprobEngine(judgeScript),
  };
  const engineFor = async (ref: ModelRef) => {
    const name = ref.backend === 'cpu' ? ref.name : ref.backend === 'webgpu' ? ref.modelId : ref.model;
    if (asked.at(-1) !== name) asked.push(name);
    return engines[name];
  };
  return { asked, engineFor };
}

async function waitForStatus(id: string, status: string) {
  for (let i = 0; i < 1000 && (await getRun(id))?.status !== status; i++) await new Promise((r) => setTimeout(r, 5));
  expect((await getRun(id))?.status).toBe(status);
}

describe('preference runs', () => {
  beforeEach(() => resetStoreForTests());

  it('makes every candidate with the writer model first, then loads the judge once', async () => {
    const { asked, engineFor } = models();
    const run = await new Runner(engineFor).start('p', spec(4), () => undefined);
    await waitForStatus(run.id, 'done');
    expect(asked).toEqual(['writer', 'judge']);
    expect(await countStage(run.id)).toBe(4);
    const records = await readRecords(run.id);
    expect(records).toHaveLength(4);
    for (const record of records) {
      if (!('judgements' in record)) throw new Error('not a preference record');
      const [first, swapped] = record.judgements[0].orders.map((o) => o.pA!);
      expect(first).toBeCloseTo(0.7, 6);
      expect(swapped).toBeCloseTo(0.7, 6);
    }
  });

  it('with the same model for both, interleaves per comparison without reloading', async () => {
    const { asked, engineFor } = models();
    const run = await new Runner(engineFor).start('p', spec(3, writerRef), () => undefined);
    await waitForStatus(run.id, 'done');
    expect(asked).toEqual(['writer']);
    expect(await readRecords(run.id)).toHaveLength(3);
  });

  it('resumes the judge phase without remaking stored candidates', async () => {
    let judged = 0;
    let controlRunner: Runner | null = null;
    let runId = '';
    const { engineFor } = models(() => {
      judged++;
      if (judged === 3) void controlRunner!.stop(runId, 'pause');
      return tops({ A: 0.6, B: 0.4 });
    });
    controlRunner = new Runner(engineFor);
    runId = (await controlRunner.start('p', spec(4), () => undefined)).id;
    await waitForStatus(runId, 'paused');
    expect(await countStage(runId)).toBe(4);
    const stored = await readRecords(runId);
    expect(stored.length).toBeLessThan(4);

    const second = models();
    await new Runner(second.engineFor).resume(runId, () => undefined);
    await waitForStatus(runId, 'done');
    expect(second.asked).toEqual(['judge']);
    expect((await readRecords(runId)).map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });
});
