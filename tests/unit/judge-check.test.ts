import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import type { LabelledPair } from '../../src/core/formats/pairs';
import { checkPair } from '../../src/core/recipes/judge-check/make';
import { citationText } from '../../src/core/formats/card-run';
import { citationOf, judgeCheckReport, reportCsv, reportFigures, reportJson } from '../../src/core/recipes/judge-check/report';
import { judgeCheckSpec } from '../../src/core/recipes/judge-check/spec';
import { calibration, cohensKappa, coverageCurve, suggestedMargin, wilson } from '../../src/core/recipes/judge-check/stats';
import type { JudgeCheckRecord, JudgeCheckSpec } from '../../src/core/recipes/judge-check/types';
import type { JudgeSettings } from '../../src/core/recipes/preference/types';
import { restoreRecord, restoreRun } from '../../src/core/schema/restore';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { Run } from '../../src/core/run';
import { importJsonl } from '../../src/core/formats/dataset-import';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { traceRows } from '../../src/core/formats/trace';
import { LogprobEngine, tops, type JudgeView } from '../support/logprob-engine';

describe('judge-check statistics against hand-computed values', () => {
  it('Wilson interval', () => {
    const [low, high] = wilson(8, 10)!;
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
    const [l0, h0] = wilson(0, 5)!;
    expect(l0).toBe(0);
    expect(h0).toBeCloseTo(0.4345, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it("Cohen's κ, with no verdict as its own category", () => {
    expect(cohensKappa([0, 0, 1, 1], [0, 1, 1, 1])).toBeCloseTo(0.5, 12);
    expect(cohensKappa([0, 1], [0, null])).toBeCloseTo(1 / 3, 12);
    expect(cohensKappa([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1);
    expect(cohensKappa([0, 0], [0, 0])).toBeNull();
  });

  it('reliability bins, expected calibration error and Brier score', () => {
    const cal = calibration([0.9, 0.8, 0.3, 0.6, null], [0, 0, 1, 1, 0]);
    expect(cal.n).toBe(4);
    expect(cal.bins.map((b) => [b.from, b.count, b.observed])).toEqual([[0.3, 1, 0], [0.6, 1, 0], [0.8, 1, 1], [0.9, 1, 1]]);
    expect(cal.ece).toBeCloseTo(0.3, 12);
    expect(cal.brier).toBeCloseTo(0.125, 12);
  });

  it('accuracy against coverage, and the suggested margin', () => {
    const curve = coverageCurve([0.9, 0.8, 0.3, 0.6], [0, 0, 1, 1], [0, 0.2, 0.35]);
    expect(curve.map((c) => [c.margin, c.kept, c.coverage, c.accuracy])).toEqual([[0, 4, 1, 0.75], [0.2, 3, 0.75, 1], [0.35, 1, 0.25, 1]]);
    expect(curve[1].lower).toBeCloseTo(wilson(3, 3)![0], 12);
    // 3 of 3 at three quarters coverage beats 1 of 1 at a quarter: its interval is tighter.
    expect(suggestedMargin(curve)?.margin).toBe(0.2);
  });
});

const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'judge.gguf' };
const judge: JudgeSettings = { model, principlesPerComparison: 1, mode: 'plain', tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 32 };

const pairsOf = (n: number): LabelledPair[] =>
  Array.from({ length: n }, (_, i) => ({ shape: 'llmbar', prompt: `question ${i}`, answerA: `good-${i}`, answerB: `bad-${i}`, better: 0 }));

/**
 * A judge that believes the right answer on exactly 3 pairs in 4, with evidence ±1 in logits, and
 * a planted bias of +1.5 towards whatever is shown as (A): alone, each order picks (A) every time.
 */
const PLANTED_ACCURACY = 0.75;
function biasedJudge(view: JudgeView) {
  const id = Number(/-(\d+)$/.exec(view.optionA)?.[1]);
  const believesRight = id % 4 !== 3;
  const aIsGood = view.optionA.startsWith('good');
  const evidence = aIsGood === believesRight ? 1 : -1;
  const pA = 1 / (1 + Math.exp(-(evidence + 1.5)));
  return tops({ A: pA, B: 1 - pA });
}

async function runCheck(spec: JudgeCheckSpec, engine: LogprobEngine): Promise<JudgeCheckRecord[]> {
  const records: JudgeCheckRecord[] = [];
  for (let i = 0; i < spec.prompts.length; i++) records.push(await checkPair(i, { runId: 'check', spec, engine, now: () => 1 }));
  return records;
}

describe('a judge check with a scripted judge of known accuracy and planted position bias', () => {
  it('shows the bias in the first-order figures, removes it with both orders, and brackets the accuracy', async () => {
    const spec = judgeCheckSpec({ name: 'planted.json', pairs: pairsOf(400), judge, constitution: harmlessConstitution, seed: 3 });
    const firsts = spec.source.pairs.filter((p) => p.better === 0).length;
    expect(firsts / 400).toBeGreaterThan(0.4);
    expect(firsts / 400).toBeLessThan(0.6);
    const report = judgeCheckReport(await runCheck(spec, new LogprobEngine(biasedJudge)));

    expect(report.pairs).toBe(400);
    expect(report.bothOrders.rate).toBe(PLANTED_ACCURACY);
    const [low, high] = report.bothOrders.interval!;
    expect(low).toBeLessThan(PLANTED_ACCURACY);
    expect(high).toBeGreaterThan(PLANTED_ACCURACY);
    expect(report.bothOrders.kappa!).toBeGreaterThan(0.4);
    // One order alone always picks answer 1: agreement falls to the share of pairs where people did.
    expect(report.singleOrder.rate).toBeCloseTo(firsts / 400, 12);
    expect(report.singleOrder.kappa!).toBeCloseTo(0, 12);
    expect(report.firstShownWinRate).toBe(1);
    expect(report.positionConsistency).toBe(0);
    expect(report.calibration.n).toBe(400);
    expect(report.coverage[0]).toMatchObject({ margin: 0, kept: 400, coverage: 1, accuracy: PLANTED_ACCURACY });
    expect(report.principles.reduce((n, p) => n + p.agreement.n, 0)).toBe(400);
  });

  it('tells which principles agree with people and suggests those', async () => {
    const base = harmlessConstitution.principles[0];
    const constitution = {
      ...harmlessConstitution,
      principles: [
        { ...base, id: 'helps', name: 'Helps', comparison: 'Which reply is more helpful?', enabled: true },
        { ...base, id: 'hurts', name: 'Hurts', comparison: 'Which reply is more contrarian?', enabled: true },
      ],
    };
    const contrarian = (view: JudgeView) => {
      const [pA, pB] = biasedJudge(view).map((t) => Math.exp(t.logprob));
      return view.text.includes('contrarian') ? tops({ A: pB, B: pA }) : tops({ A: pA, B: pB });
    };
    const spec = judgeCheckSpec({ name: 'two.json', pairs: pairsOf(40), judge: { ...judge, principlesPerComparison: 2 }, constitution, seed: 9 });
    const report = judgeCheckReport(await runCheck(spec, new LogprobEngine(contrarian)));
    expect(report.principles.map((p) => [p.id, p.agreement.rate])).toEqual([['helps', PLANTED_ACCURACY], ['hurts', 1 - PLANTED_ACCURACY]]);
    expect(report.suggestedPrinciples).toEqual([{ id: 'helps', name: 'Helps' }]);
  });

  it('writes the report as JSON and CSV, and as a sentence for a later dataset card', async () => {
    const spec = judgeCheckSpec({ name: 'small.json', pairs: pairsOf(12), judge, constitution: harmlessConstitution, seed: 1 });
    const report = judgeCheckReport(await runCheck(spec, new LogprobEngine(biasedJudge)));
    const parsed = JSON.parse(reportJson({ runId: 'check', name: 'Check', file: 'small.json', judgeModel: 'judge.gguf', judge: { ...judge, model: undefined } as never }, report));
    expect(parsed.bothOrders.rate).toBe(report.bothOrders.rate);
    expect(parsed.check.file).toBe('small.json');
    const csv = reportCsv(report).trim().split('\r\n');
    expect(csv[0]).toBe('section,name,value,n');
    expect(csv).toContain(`figure,agreement,${report.bothOrders.rate},12`);
    expect(csv.filter((l) => l.startsWith('coverage,'))).toHaveLength(report.coverage.length);
    expect(reportFigures(report).find((f) => f.key === 'pairs')?.value).toBe(12);
    const text = citationText(citationOf('check', 'Check', report));
    expect(text).toMatch(/checked against 12 human-labelled pairs in "Check": agreement \d+\.\d%/);
  });

  it('needs labelled pairs and sound settings', () => {
    const unlabelled = pairsOf(2).map(({ better: _b, ...p }) => p);
    expect(() => judgeCheckSpec({ name: 'f', pairs: unlabelled, judge, constitution: harmlessConstitution, seed: 1 })).toThrow(/No pair in "f" says which answer/);
    expect(() => judgeCheckSpec({ name: 'f', pairs: pairsOf(2), limit: 0, judge, constitution: harmlessConstitution, seed: 1 })).toThrow(/at least 1/);
    expect(() => judgeCheckSpec({ name: 'f', pairs: pairsOf(2), judge: { ...judge, tieMargin: 0.7 }, constitution: harmlessConstitution, seed: 1 })).toThrow(/tie margin/);
    expect(judgeCheckSpec({ name: 'f', pairs: pairsOf(30), limit: 20, judge, constitution: harmlessConstitution, seed: 1 }).prompts).toHaveLength(20);
  });

  it('stores and reads back its spec and records through the schema checks', async () => {
    const spec = judgeCheckSpec({ name: 'small.json', pairs: pairsOf(3), judge, constitution: harmlessConstitution, seed: 1 });
    const [record] = await runCheck({ ...spec, prompts: spec.prompts.slice(0, 1) }, new LogprobEngine(biasedJudge));
    expect(restoreRecord(structuredClone(record))).toEqual(record);
    expect(() => restoreRecord({ ...structuredClone(record), humanBetter: 2 })).toThrow(/humanBetter/);
    const run = { schemaVersion: SCHEMA_VERSION, id: 'check', name: 'Check', spec, status: 'done', cursor: 3, recordCount: 3, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: 1, updatedAt: 1 };
    expect(restoreRun(structuredClone(run)).spec).toEqual(spec);
    // The full trace export carries the check's records and reads them back exactly.
    const back = importJsonl(toJsonLines(traceRows(run as Run, [record])), { runId: 'again' });
    expect(back.errors).toEqual([]);
    expect(back.records).toEqual([record]);
  });
});
