import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { exportConstitution, importConstitution } from '../../src/core/imports/constitution';
import { contrastOf, defaultContrast } from '../../src/core/recipes/rlcd/contrast';
import { agreementOf, rlcdPair } from '../../src/core/recipes/rlcd/make';
import { rlcd } from '../../src/core/recipes/rlcd/recipe';
import { rlcdRunSpec } from '../../src/core/recipes/rlcd/spec';
import type { RlcdRecord, RlcdSpec } from '../../src/core/recipes/rlcd/types';
import { restoreConstitution, restoreRecord } from '../../src/core/schema/restore';
import type { Constitution } from '../../src/core/types';
import { LogprobEngine, tops } from '../support/logprob-engine';
import { ScriptedEngine } from '../support/scripted-engine';

const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'x' };

function spec(over: Partial<Parameters<typeof rlcdRunSpec>[0]> = {}): RlcdSpec {
  return rlcdRunSpec({
    model,
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: [{ id: 'p0', text: 'How do I sharpen a knife?' }, { id: 'p1', text: 'Write a limerick.' }] },
    seed: 5,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
    judge: false,
    ...over,
  });
}

/** Replies "POS …" under the positive instruction and "NEG …" under the negative one. */
function contrastEngine(s: RlcdSpec) {
  const positives = new Set(s.constitution.principles.map((p) => p.contrast!.positive));
  return (req: { messages: { role: string; content: string }[] }) => (positives.has(req.messages[0].content) ? 'POS careful answer' : 'NEG careless answer');
}

describe('contrast pairs stored with principles', () => {
  it('built-in principles carry their own pair; others get one written from the name', () => {
    for (const p of harmlessConstitution.principles) {
      expect(p.contrast?.positive, p.id).toBeTruthy();
      expect(p.contrast?.negative, p.id).not.toBe(p.contrast?.positive);
    }
    const plain = { id: 'x', name: 'Kind', critique: '', revision: '', comparison: '', enabled: true };
    expect(contrastOf(plain)).toEqual(defaultContrast(plain));
    expect(defaultContrast(plain).positive).toContain('Kind');
    expect(contrastOf({ ...plain, contrast: { positive: 'Be kind.', negative: '' } })).toEqual(defaultContrast(plain));
    expect(contrastOf({ ...plain, contrast: { positive: 'Be kind.', negative: 'Be unkind.' } })).toEqual({ positive: 'Be kind.', negative: 'Be unkind.' });
  });

  it('old stored principles without a pair restore as they were; a stored pair is checked', () => {
    const old = { schemaVersion: 1, id: 'c', name: 'C', description: '', fewShot: [], updatedAt: 1, principles: [{ id: 'a', name: 'A', critique: 'c', revision: 'r', comparison: 'q', enabled: true }] };
    const restored = restoreConstitution(old);
    expect(restored.principles[0].contrast).toBeUndefined();
    expect(contrastOf(restored.principles[0])).toEqual(defaultContrast({ name: 'A' }));
    const withPair = { ...old, principles: [{ ...old.principles[0], contrast: { positive: 'P', negative: 'N' } }] };
    expect(restoreConstitution(withPair).principles[0].contrast).toEqual({ positive: 'P', negative: 'N' });
    expect(() => restoreConstitution({ ...old, principles: [{ ...old.principles[0], contrast: { positive: 'P' } }] })).toThrow(/negative/);
  });

  it('the constitution file keeps each pair, and files without pairs still import', () => {
    const c: Constitution = { ...structuredClone(harmlessConstitution), builtin: false };
    c.principles[0].contrast = { positive: 'Own positive', negative: 'Own negative' };
    const back = importConstitution(exportConstitution(c), { file: 'c.json' });
    expect(back.constitution.principles[0].contrast).toEqual({ positive: 'Own positive', negative: 'Own negative' });
    const bare = JSON.parse(exportConstitution(c));
    for (const p of bare.principles) delete p.contrast;
    const imported = importConstitution(JSON.stringify(bare), { file: 'old.json' });
    expect(imported.constitution.principles[0].contrast).toBeUndefined();
  });
});

describe('RLCD pairs with a scripted engine', () => {
  it('answers under the positive and the negative instruction; the frozen spec holds both', async () => {
    const s = spec();
    const engine = new ScriptedEngine(contrastEngine(s));
    const record = await rlcdPair(0, { runId: 'r', engine, spec: s, now: () => 3 });
    const principle = s.constitution.principles.find((p) => p.id === record.principleId)!;
    expect(engine.requests.map((r) => r.messages)).toEqual([
      [{ role: 'system', content: principle.contrast!.positive }, { role: 'user', content: 'How do I sharpen a knife?' }],
      [{ role: 'system', content: principle.contrast!.negative }, { role: 'user', content: 'How do I sharpen a knife?' }],
    ]);
    expect(record).toMatchObject({ recipe: 'rlcd', positive: 'POS careful answer', negative: 'NEG careless answer', createdAt: 3 });
    expect(record.judge).toBeUndefined();
    expect(restoreRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('construction labels: the positive answer is chosen, the negative rejected, without a judge', async () => {
    const s = spec();
    const records = [await rlcdPair(0, { runId: 'r', engine: new ScriptedEngine(contrastEngine(s)), spec: s }), await rlcdPair(1, { runId: 'r', engine: new ScriptedEngine(contrastEngine(s)), spec: s })];
    const rows = [...rlcd.rows.preference!(records)] as { prompt: { content: string }[]; chosen: { content: string }[]; rejected: { content: string }[] }[];
    expect(rows.map((r) => [r.prompt[0].content, r.chosen[0].content, r.rejected[0].content])).toEqual([
      ['How do I sharpen a knife?', 'POS careful answer', 'NEG careless answer'],
      ['Write a limerick.', 'POS careful answer', 'NEG careless answer'],
    ]);
    // The instructions stay out of the training rows.
    expect(JSON.stringify(rows)).not.toContain(records[0].positiveInstruction);
    const kto = [...rlcd.rows.kto!(records.slice(0, 1))] as { label: boolean; completion: { content: string }[] }[];
    expect(kto.map((r) => [r.label, r.completion[0].content])).toEqual([[true, 'POS careful answer'], [false, 'NEG careless answer']]);
    const failed: RlcdRecord = { ...records[0], error: 'too long' };
    expect([...rlcd.rows.preference!([failed, { ...records[1], review: { state: 'rejected' } }])]).toEqual([]);
  });

  it('the optional judge reports agreement with the construction label', async () => {
    const s = spec({ judge: true });
    // The judge prefers whichever option holds the positive answer: it agrees.
    const agreeing = new LogprobEngine((v) => (v.optionA.startsWith('POS') ? tops({ A: 0.8, B: 0.2 }) : tops({ A: 0.3, B: 0.7 })), { reply: contrastEngine(s) });
    const agreed = await rlcdPair(0, { runId: 'r', engine: agreeing, spec: s });
    expect(agreeing.choices).toHaveLength(2);
    expect(agreed.judge).toMatchObject({ agrees: true, consistent: true, pPositive: expect.closeTo(0.75) });
    // This one always picks (A): position bias, no agreement to report.
    const biased = new LogprobEngine(() => tops({ A: 0.9, B: 0.1 }), { reply: contrastEngine(s) });
    const undecided = await rlcdPair(1, { runId: 'r', engine: biased, spec: s });
    expect(undecided.judge).toMatchObject({ agrees: null, consistent: false });
    // And this one prefers the negative answer.
    const contrary = new LogprobEngine((v) => (v.optionA.startsWith('NEG') ? tops({ A: 0.9, B: 0.1 }) : tops({ A: 0.1, B: 0.9 })), { reply: contrastEngine(s) });
    const disagreed = await rlcdPair(0, { runId: 'r', engine: contrary, spec: s });
    expect(disagreed.judge?.agrees).toBe(false);
    // Barely above a half is a tie, not agreement.
    const lukewarm = new LogprobEngine((v) => (v.optionA.startsWith('POS') ? tops({ A: 0.52, B: 0.48 }) : tops({ A: 0.48, B: 0.52 })), { reply: contrastEngine(s) });
    expect((await rlcdPair(0, { runId: 'r', engine: lukewarm, spec: s })).judge).toMatchObject({ agrees: null, pPositive: expect.closeTo(0.52) });
    expect(agreementOf([agreed, undecided, disagreed, { ...agreed, judge: undefined }])).toEqual({ judged: 3, decided: 2, agreed: 1, rate: 0.5 });
  });
});
