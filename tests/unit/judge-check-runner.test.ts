import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { datasetCard } from '../../src/core/formats/card';
import { parsePairsFile } from '../../src/core/formats/pairs';
import { cardRunOf, ownRecords } from '../../src/core/recipes/index';
import { judgeCheckReport } from '../../src/core/recipes/judge-check/report';
import { judgeCheckSpec } from '../../src/core/recipes/judge-check/spec';
import { preferenceRunSpec } from '../../src/core/recipes/preference/spec';
import type { Run } from '../../src/core/run';
import type { ModelRef } from '../../src/core/types';
import { checkCitationFor } from '../../src/state/judge-check-citation';
import { getRun, listRuns, readRecords, resetStoreForTests, restoreRun } from '../../src/storage';
import { Runner } from '../../src/worker/runner';
import { LogprobEngine, tops } from '../support/logprob-engine';

const judgeRef: ModelRef = { backend: 'cpu', kind: 'url', url: 'j', name: 'judge' };
const judge = { model: judgeRef, principlesPerComparison: 1, mode: 'plain' as const, tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 16 };

async function waitForStatus(id: string, status: Run['status']): Promise<Run> {
  for (let i = 0; i < 500; i++) {
    const run = await getRun(id);
    if (run?.status === status) return run;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`run ${id} never reached ${status}`);
}

const file = [
  '{"input":"Say hi.","output_1":"Hi!","output_2":"No.","label":1}',
  '{"chosen":"\\n\\nHuman: Name a colour.\\n\\nAssistant: Blue.","rejected":"\\n\\nHuman: Name a colour.\\n\\nAssistant: Seven."}',
  '{"prompt":"Add 2 and 2.","chosen":[{"role":"user","content":"Add 2 and 2."},{"role":"assistant","content":"4"}],"rejected":[{"role":"user","content":"Add 2 and 2."},{"role":"assistant","content":"5"}],"score_chosen":9,"score_rejected":2}',
  'not json',
].join('\n');

describe('a judge check run end to end in the runner, then cited by a preference run', () => {
  beforeEach(() => resetStoreForTests());

  it('stores one record per labelled pair, and a later preference run with the same judge names the check on its card', async () => {
    const { pairs, errors } = parsePairsFile(file);
    expect(errors.map((e) => e.line)).toEqual([4]);
    const spec = judgeCheckSpec({ name: 'mixed.jsonl', pairs, judge, constitution: harmlessConstitution, seed: 2 });
    const engine = new LogprobEngine(() => tops({ A: 0.7, B: 0.3 }));
    const run = await new Runner(async () => engine).start('Check', spec, () => undefined);
    await waitForStatus(run.id, 'done');
    const records = ownRecords('judge-check', await readRecords(run.id));
    expect(records.map((r) => r.humanBetter)).toEqual(spec.source.pairs.map((p) => p.better));
    expect(judgeCheckReport(records).pairs).toBe(3);

    const pref = preferenceRunSpec({ source: { kind: 'imported', name: 'x.jsonl', pairs: [{ prompt: 'p', answerA: 'a', answerB: 'b' }] }, judge, constitution: harmlessConstitution, seed: 1 });
    const citation = await checkCitationFor(await listRuns(), pref);
    expect(citation).toMatchObject({ runId: run.id, name: 'Check', pairs: 3 });
    expect(await checkCitationFor(await listRuns(), { ...pref, judge: { ...judge, mode: 'cot' } })).toBeNull();
    const later = { ...run, spec: { ...pref, judgeCheck: citation! } };
    expect(restoreRun(structuredClone(later)).spec).toEqual(later.spec);
    const card = datasetCard({
      title: 'Pairs', format: 'preference', configs: [], tags: [], generatedAt: 0,
      counts: { total: 1, accepted: 0, rejected: 0, edited: 0, unreviewed: 1, truncated: 0, unchanged: 0 },
      run: cardRunOf({ ...run, spec: { ...pref, judgeCheck: citation! } }),
    });
    expect(card).toMatch(/- Judge check: checked against 3 human-labelled pairs in "Check": agreement \d+\.\d% \(95% interval/);
  });
});
