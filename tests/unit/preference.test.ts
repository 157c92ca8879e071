import { describe, expect, it } from 'vitest';
import { judgeBench, summarise } from '../../src/core/judge';
import { RAW_ANSWER_LEAD } from '../../src/core/recipes/preference/prompts';
import { checkPreferenceSpec, drawPrinciples, judgePair, makeCandidates, relabel, type CandidateContext } from '../../src/core/recipes/preference/make';
import { ktoRows, parseImportedPairs, preferenceRows, revisionPairs } from '../../src/core/formats/preference';
import type { CandidatePair, PreferenceRecord, PreferenceSpec } from '../../src/core/recipes/preference/types';
import type { Constitution } from '../../src/core/types';
import type { CritiqueRecord } from '../../src/core/recipes/critique-revision/types';
import { SCHEMA_VERSION } from '../../src/core/types';
import { LogprobEngine, tops, type JudgeView } from '../support/logprob-engine';

const GOOD = 'A careful, good answer.';
const BAD = 'A sloppy, bad answer.';

function constitution(n = 6): Constitution {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'c',
    name: 'test',
    description: '',
    updatedAt: 0,
    fewShot: [],
    principles: Array.from({ length: n }, (_, i) => ({
      id: `p${i}`, name: `P${i}`, critique: `critique-${i}`, revision: `revise-${i}`, comparison: `Which reply is better by rule ${i}?`, enabled: true,
    })),
  };
}

const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 64 };

function spec(judge: Partial<PreferenceSpec['judge']> = {}, over: Partial<PreferenceSpec> = {}): PreferenceSpec {
  return {
    recipe: 'preference',
    source: { kind: 'sampled', model: { backend: 'cpu', kind: 'url', url: 'x', name: 'x' }, sampling: [sampling, { ...sampling, temperature: 1.1 }] },
    judge: { model: { backend: 'cpu', kind: 'url', url: 'x', name: 'x' }, principlesPerComparison: 1, mode: 'plain', tieMargin: 0.05, rawPrompt: true, reasoningMaxTokens: 32, ...judge },
    seed: 7,
    constitution: constitution(),
    promptSetId: 'ps',
    promptSetName: 'ps',
    prompts: Array.from({ length: 4 }, (_, i) => ({ id: `q${i}`, text: `question ${i}` })),
    ...over,
  };
}

/** Candidate writer: answer 1 is the good one on even-numbered questions, answer 2 on odd ones. */
const writer = () =>
  new LogprobEngine(() => [], {
    reply: (req, call) => {
      const question = Number(/\d+$/.exec(req.messages[0].content)?.[0]);
      return (call % 2 === 0) === (question % 2 === 0) ? GOOD : BAD;
    },
  });

/** Judges: each sees which texts are shown as (A) and (B). */
const fair = (view: JudgeView) => (view.optionA === GOOD ? tops({ A: 0.8, B: 0.2 }) : tops({ A: 0.2, B: 0.8 }));
const alwaysFirst = () => tops({ A: 0.9, B: 0.1 });
const biasedButInformed = (view: JudgeView) => (view.optionA === GOOD ? tops({ A: 0.95, B: 0.05 }) : tops({ A: 0.6, B: 0.4 }));
const speechless = () => tops({ The: 0.6, I: 0.3 });

async function runAll(s: PreferenceSpec, judge: LogprobEngine, candidates = writer()): Promise<PreferenceRecord[]> {
  const records: PreferenceRecord[] = [];
  for (let i = 0; i < s.prompts.length; i++) {
    const pair = await makeCandidates(i, { runId: 'r', spec: s, engine: candidates });
    records.push(await judgePair(i, pair, { runId: 'r', spec: s, engine: judge }));
  }
  return records;
}

const goodIndex = (r: PreferenceRecord) => (r.candidates[0].text === GOOD ? 0 : 1);

describe('preference recipe with a judge of known log-probabilities', () => {
  it('labels the better answer, whichever position it was sampled into', async () => {
    const records = await runAll(spec(), new LogprobEngine(fair));
    expect(new Set(records.map(goodIndex))).toEqual(new Set([0, 1]));
    for (const r of records) {
      expect(r.chosen).toBe(GOOD);
      expect(r.rejected).toBe(BAD);
      const pGood = goodIndex(r) === 0 ? r.label.pAnswer1 : 1 - (r.label.pAnswer1 as number);
      expect(pGood).toBeCloseTo(0.8, 6);
      expect(r.positionConsistent).toBe(true);
      expect(r.judgements[0].orders.map((o) => o.letterProbabilities[0])).toHaveLength(2);
    }
    const summary = summarise(records);
    expect(summary).toMatchObject({ comparisons: 4, decided: 4, ties: 0, invalidOrders: 0, positionConsistency: 1, firstShownWinRate: 0.5 });
    expect(summary.meanMargin).toBeCloseTo(0.3, 6);
  });

  it('exposes a judge that always picks the first position, and its averaged labels cancel to a tie', async () => {
    const records = await runAll(spec(), new LogprobEngine(alwaysFirst));
    const summary = summarise(records);
    expect(summary.positionConsistency).toBe(0);
    expect(summary.firstShownWinRate).toBe(1);
    expect(summary.meanMargin).toBeCloseTo(0, 6);
    for (const r of records) {
      expect(r.label.pAnswer1).toBeCloseTo(0.5, 6);
      expect(r.label.verdict).toBe('tie');
      expect(r.positionConsistent).toBe(false);
      // Each order on its own looked confident: only the swap shows it was the position talking.
      expect(r.judgements[0].orders.map((o) => o.pA)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.9, 6)]);
    }
    expect([...preferenceRows(records)]).toEqual([]);
  });

  it('still finds the better answer through a strong position bias, while reporting the inconsistency', async () => {
    const records = await runAll(spec(), new LogprobEngine(biasedButInformed));
    for (const r of records) {
      expect(r.chosen).toBe(GOOD);
      const pGood = goodIndex(r) === 0 ? r.label.pAnswer1 : 1 - (r.label.pAnswer1 as number);
      expect(pGood).toBeCloseTo((0.95 + 0.4) / 2, 6);
    }
    expect(summarise(records)).toMatchObject({ positionConsistency: 0, firstShownWinRate: 1, decided: 4 });
  });

  it('falls back to a constrained letter when neither letter is listed, and marks the label low-confidence', async () => {
    const judge = new LogprobEngine(speechless, { forcedLetter: (v) => (v.optionA === GOOD ? 'A' : 'B') });
    const records = await runAll(spec(), judge);
    for (const r of records) {
      const [first, second] = r.judgements[0].orders;
      expect(first).toMatchObject({ method: 'constrained', letterProbabilities: [null, null], pA: null });
      expect(first.top.map((t) => t.token)).toEqual(['The', 'I']);
      expect(first.chosen).toBe(r.judgements[0].orders[0].candidateShownAsA === goodIndex(r) ? 'A' : 'B');
      expect(second.pA).toBeNull();
      expect(r).toMatchObject({ lowConfidence: true, chosen: GOOD, label: { pAnswer1: null, basis: 'letters' } });
    }
    expect(summarise(records)).toMatchObject({ invalidOrders: 8, lowConfidence: 4, positionConsistency: 1 });
    expect([...preferenceRows(records)]).toEqual([]);
    const loose = [...preferenceRows(records, { includeLowConfidence: true })];
    expect(loose).toHaveLength(4);
    expect(loose[0]).toMatchObject({ score_chosen: null, score_rejected: null });
  });

  it('asks the raw form ending "The answer is: (" when allowed, and the chat form otherwise', async () => {
    const raw = new LogprobEngine(fair);
    const [rawRecord] = await runAll(spec({}, { prompts: [{ id: 'q0', text: 'question 0' }] }), raw);
    expect(raw.choices[0].prompt?.endsWith(RAW_ANSWER_LEAD)).toBe(true);
    expect(rawRecord.judgements[0].orders[0].form).toBe('raw');
    const chat = new LogprobEngine(fair);
    const [chatRecord] = await runAll(spec({ rawPrompt: false }, { prompts: [{ id: 'q0', text: 'question 0' }] }), chat);
    expect(chat.choices[0].prompt).toBeUndefined();
    expect(chat.choices[0].messages.at(-1)?.content).toMatch(/single letter|letter of the better option/);
    expect(chatRecord.judgements[0].orders[0].form).toBe('chat');
  });

  it('draws k distinct principles per comparison, reproducibly, and asks each in both orders', async () => {
    const s = spec({ principlesPerComparison: 3 });
    const ids = drawPrinciples(s, 0).map((p) => p.id);
    expect(new Set(ids).size).toBe(3);
    expect(drawPrinciples(s, 0).map((p) => p.id)).toEqual(ids);
    const draws = new Set(s.prompts.map((_, i) => drawPrinciples({ ...s, judge: { ...s.judge, principlesPerComparison: 1 } }, i)[0].id));
    expect(draws.size).toBeGreaterThan(1);
    expect(drawPrinciples(spec({ principlesPerComparison: 99 }), 0)).toHaveLength(6);

    const judge = new LogprobEngine(fair);
    const [record] = await runAll({ ...s, prompts: s.prompts.slice(0, 1) }, judge);
    expect(judge.choices).toHaveLength(6);
    expect(record.judgements.map((j) => j.principleId)).toEqual(ids);
    expect(judge.choices[0].messages[0].content).toContain(`rule ${ids[0].slice(1)}`);
  });

  it('reasons first in chain-of-thought mode, and clamps its confident answer to 60%', async () => {
    const judge = new LogprobEngine((v) => (v.optionA === GOOD ? tops({ A: 0.999 }) : tops({ B: 0.999 })), { reply: () => 'Option one is more careful.' });
    const [record] = await runAll(spec({ mode: 'cot' }, { prompts: [{ id: 'q0', text: 'question 0' }] }), judge);
    expect(judge.chats).toHaveLength(2);
    expect(judge.chats[0]).toMatchObject({ temperature: 0, maxTokens: 32 });
    const scored = judge.choices[0];
    expect(scored.prompt).toBeUndefined();
    expect(scored.messages.slice(0, 2)).toEqual([judge.chats[0].messages[0], { role: 'assistant', content: 'Option one is more careful.' }]);
    const order = record.judgements[0].orders[0];
    expect(order.reasoning).toBe('Option one is more careful.');
    expect(order.pA).toBe(order.candidateShownAsA === goodIndex(record) ? 0.6 : 0.4);
    expect(Math.abs((record.label.pAnswer1 as number) - 0.5)).toBeCloseTo(0.1, 10);
    expect(record.chosen).toBe(GOOD);
  });

  it('keeps both phases plain data, so a judge phase resumed from storage gives the same record', async () => {
    const s = spec({ principlesPerComparison: 2 });
    const pair = await makeCandidates(1, { runId: 'r', spec: s, engine: writer(), now: () => 5 });
    const stored: CandidatePair = JSON.parse(JSON.stringify(pair));
    expect(stored).toEqual(pair);
    expect(pair.candidates.map((c) => c.temperature)).toEqual([0.7, 1.1]);
    expect(pair.candidates[0].seed).not.toBe(pair.candidates[1].seed);

    const judgeAt = (p: CandidatePair) => judgePair(1, p, { runId: 'r', spec: s, engine: new LogprobEngine(biasedButInformed), now: () => 9 });
    const record = await judgeAt(pair);
    expect(await judgeAt(stored)).toEqual(record);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    expect(record).toMatchObject({ id: 'r:1', index: 1, promptId: 'q1', judgeModel: 'logprob-judge', mode: 'plain', tieMargin: 0.05 });
    expect(record.usage.completionTokens).toBe(pair.usage.completionTokens + 4);
    await expect(judgePair(2, pair, { runId: 'r', spec: s, engine: new LogprobEngine(fair) })).rejects.toThrow(/candidates for 1/);
  });

  it('recomputes a label from the stored probabilities under another tie margin', async () => {
    const [record] = await runAll(spec({}, { prompts: [{ id: 'q0', text: 'question 0' }] }), new LogprobEngine(biasedButInformed));
    expect(relabel(record, 0.05)).toEqual(record);
    const strict = relabel(record, 0.2);
    expect(strict).toMatchObject({ tieMargin: 0.2, label: { verdict: 'tie' }, chosen: null, rejected: null });
  });

  it('takes candidates from a critique→revision run or from imported pairs', async () => {
    const critique = { promptId: 'q0', initial: 'first try', final: 'revised', review: { state: 'edited', editedText: 'hand edit' } } as CritiqueRecord;
    const revisionSpec = spec({}, { source: { kind: 'revision', runId: 'old', runName: 'old run' }, prompts: [{ id: 'q0', text: 'question 0' }] });
    const ctx: CandidateContext = { runId: 'r', spec: revisionSpec, sourceRecord: async () => critique };
    const pair = await makeCandidates(0, ctx);
    expect(pair.candidates).toEqual([{ text: 'first try', origin: 'initial' }, { text: 'hand edit', origin: 'revision' }]);
    await expect(makeCandidates(0, { ...ctx, sourceRecord: async () => ({ ...critique, promptId: 'other' }) })).rejects.toThrow(/no record/);

    const importedSpec = spec({}, { source: { kind: 'imported', name: 'f', pairs: [{ prompt: 'question 0', answerA: 'x', answerB: 'y' }] }, prompts: [{ id: 'q0', text: 'question 0' }] });
    const imported = await makeCandidates(0, { runId: 'r', spec: importedSpec });
    expect(imported.candidates.map((c) => [c.text, c.origin])).toEqual([['x', 'imported'], ['y', 'imported']]);
    expect(imported.usage).toEqual({ promptTokens: 0, completionTokens: 0, ms: 0 });
  });

  it('stops with an AbortError when aborted', async () => {
    const controller = new AbortController();
    const pair = await makeCandidates(0, { runId: 'r', spec: spec(), engine: writer() });
    const judge = new LogprobEngine(() => {
      controller.abort();
      return tops({ A: 0.5, B: 0.5 });
    });
    await expect(judgePair(0, pair, { runId: 'r', spec: spec(), engine: judge, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('preference exports', () => {
  it('writes TRL preference rows with complementary scores, and KTO rows for each side', async () => {
    const records = await runAll(spec(), new LogprobEngine(fair));
    records[1] = { ...records[1], review: { state: 'rejected' } };
    records[2] = { ...records[2], review: { state: 'edited', editedText: 'edited answer' } };
    const rows = [...preferenceRows(records)];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      prompt: [{ role: 'user', content: 'question 0' }],
      chosen: [{ role: 'assistant', content: GOOD }],
      rejected: [{ role: 'assistant', content: BAD }],
      score_chosen: expect.closeTo(0.8, 6),
      score_rejected: expect.closeTo(0.2, 6),
    });
    expect(rows[1].chosen[0].content).toBe('edited answer');
    const kto = [...ktoRows(records)];
    expect(kto.map((r) => r.label)).toEqual([true, false, true, false, true, false]);
    expect(kto[1]).toEqual({ prompt: rows[0].prompt, completion: rows[0].rejected, label: false });
  });

  it('turns a critique→revision run into revision-beats-initial pairs', () => {
    const base = { prompt: 'p', initial: 'first', final: 'better' } as CritiqueRecord;
    const rows = [...revisionPairs([base, { ...base, final: ' first ' }, { ...base, review: { state: 'rejected' } }, { ...base, review: { state: 'edited', editedText: 'best' } }])];
    expect(rows.map((r) => [r.chosen[0].content, r.rejected[0].content])).toEqual([['better', 'first'], ['best', 'first']]);
    expect(rows[0]).toMatchObject({ score_chosen: null, score_rejected: null });
  });

  it('imports pairs line by line, reporting bad lines by number', () => {
    const text = ['{"prompt":"p1","answerA":"a","answerB":"b","id":3}', '', 'not json', '{"prompt":"p2","answerA":"a"}', '{"prompt":"p3","chosen":"c","rejected":"r"}'].join('\n');
    const { pairs, errors } = parseImportedPairs(text);
    expect(pairs).toEqual([{ prompt: 'p1', answerA: 'a', answerB: 'b', promptId: '3' }, { prompt: 'p3', answerA: 'c', answerB: 'r' }]);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
  });
});

describe('judge benchmark: work per label, plain vs chain-of-thought', () => {
  it('stays within 2 forward passes per comparison-order in plain mode', async () => {
    const reasoning = Array.from({ length: 24 }, (_, i) => `w${i}`).join(' ');
    const plain = judgeBench(await runAll(spec(), new LogprobEngine(fair)));
    const fallback = judgeBench(await runAll(spec(), new LogprobEngine(speechless)));
    const cot = judgeBench(await runAll(spec({ mode: 'cot' }), new LogprobEngine(fair, { reply: () => reasoning })));
    console.log(`judge bench (scripted engine, 1 principle, 2 orders per label):
  plain:           ${plain.forwardPassesPerOrder} passes/order, ${plain.forwardPassesPerLabel} passes/label, ${plain.decodeTokensPerLabel} decode tokens/label
  plain+fallback:  ${fallback.forwardPassesPerOrder} passes/order, ${fallback.forwardPassesPerLabel} passes/label, ${fallback.decodeTokensPerLabel} decode tokens/label
  chain-of-thought (24-token reasoning): ${cot.forwardPassesPerOrder} passes/order, ${cot.forwardPassesPerLabel} passes/label, ${cot.decodeTokensPerLabel} decode tokens/label`);
    expect(plain).toMatchObject({ labels: 4, orders: 8, forwardPassesPerOrder: 1, maxForwardPassesPerOrder: 1, decodeTokensPerLabel: 2 });
    expect(fallback).toMatchObject({ forwardPassesPerOrder: 2, maxForwardPassesPerOrder: 2, decodeTokensPerLabel: 4 });
    expect(cot).toMatchObject({ forwardPassesPerOrder: 25, decodeTokensPerLabel: 50 });
  });
});

describe('checking a preference spec', () => {
  it('accepts a sound spec and names what is wrong with a bad one', () => {
    expect(() => checkPreferenceSpec(spec())).not.toThrow();
    expect(() => checkPreferenceSpec(spec({ tieMargin: 0.5 }))).toThrow(/tie margin/);
    expect(() => checkPreferenceSpec(spec({ principlesPerComparison: 0 }))).toThrow(/principles per comparison/);
    expect(() => checkPreferenceSpec(spec({ mode: 'cot', reasoningMaxTokens: 0 }))).toThrow(/reasoning budget/);
    expect(() => checkPreferenceSpec(spec({}, { prompts: [] }))).toThrow(/no prompts/);
    expect(() => checkPreferenceSpec(spec({}, { source: { kind: 'imported', name: 'f', pairs: [] } }))).toThrow(/imported pair/);
  });
});
