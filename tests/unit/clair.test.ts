import { describe, expect, it } from 'vitest';
import { harmlessConstitution } from '../../src/core/builtins/constitution';
import { editDistance, median } from '../../src/core/recipes/clair/distance';
import { clairPair, dropOf, minimalRevisionRequest } from '../../src/core/recipes/clair/make';
import { clair } from '../../src/core/recipes/clair/recipe';
import { clairRunSpec } from '../../src/core/recipes/clair/spec';
import { clairSummary, distanceCounts } from '../../src/core/recipes/clair/summary';
import type { ClairRecord, ClairSpec } from '../../src/core/recipes/clair/types';
import { restoreRecord } from '../../src/core/schema/restore';
import { ScriptedEngine } from '../support/scripted-engine';
import type { ChatRequest } from '../../src/core/engine';

const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'x' };

function spec(over: Partial<Parameters<typeof clairRunSpec>[0]> = {}, n = 3): ClairSpec {
  return clairRunSpec({
    model,
    constitution: harmlessConstitution,
    promptSet: { id: 'ps', name: 'ps', prompts: Array.from({ length: n }, (_, i) => ({ id: `p${i}`, text: `prompt ${i}` })) },
    seed: 11,
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
    minDistance: 0.02,
    maxDistance: 0.7,
    baseline: true,
    ...over,
  });
}

describe('edit distance', () => {
  it('is the word Levenshtein distance over the longer length', () => {
    expect(editDistance('the cat sat', 'the cat sat')).toBe(0);
    expect(editDistance('the cat sat', 'the dog sat')).toBeCloseTo(1 / 3);
    expect(editDistance('a b c d', 'a b')).toBe(0.5);
    expect(editDistance('one two', 'three four five six')).toBe(1);
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('', 'x y')).toBe(1);
    // Symmetric, whitespace-insensitive.
    expect(editDistance('a  b\nc', 'a x c')).toBe(editDistance('a x c', 'a b c'));
  });

  it('median of odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('drops no-ops and total rewrites past the limits', () => {
    const limits = { minDistance: 0.05, maxDistance: 0.6 };
    expect(dropOf(0, limits)).toBe('no-op');
    expect(dropOf(0.04, limits)).toBe('no-op');
    expect(dropOf(0.05, limits)).toBeUndefined();
    expect(dropOf(0.6, limits)).toBeUndefined();
    expect(dropOf(0.61, limits)).toBe('rewrite');
    expect(dropOf(0, { minDistance: 0, maxDistance: 1 })).toBe('no-op');
  });

  it('refuses limits that cannot work', () => {
    expect(() => spec({ minDistance: 0.5, maxDistance: 0.4 })).toThrow(/edit-distance limits/);
    expect(() => spec({ maxDistance: 1.5 })).toThrow(RangeError);
  });
});

describe('CLAIR pairs with a scripted engine', () => {
  /** Answer "A B C D E F G H I J"; revision changes one word; the independent answer shares nothing. */
  const reply = (req: ChatRequest) => {
    const last = req.messages.at(-1)!.content;
    if (req.messages.length === 3) return last.includes('Change as little as you can') ? 'a b c d e f g h i CHANGED' : 'unexpected';
    return 'a b c d e f g h i j';
  };

  it('answers, revises minimally under a drawn principle, and measures the pair', async () => {
    let call = 0;
    const engine = new ScriptedEngine((req) => (call++ === 2 ? 'totally different words here' : reply(req)));
    const s = spec();
    const record = await clairPair(0, { runId: 'r', engine, spec: s, now: () => 9 });
    expect(engine.requests).toHaveLength(3);
    const principle = s.constitution.principles.find((p) => p.id === record.principleId)!;
    expect(engine.requests[1].messages).toEqual([
      { role: 'user', content: 'prompt 0' },
      { role: 'assistant', content: 'a b c d e f g h i j' },
      { role: 'user', content: minimalRevisionRequest(principle) },
    ]);
    expect(record).toMatchObject({ recipe: 'clair', answer: 'a b c d e f g h i j', revision: 'a b c d e f g h i CHANGED', distance: 0.1, createdAt: 9 });
    expect(record.dropReason).toBeUndefined();
    expect(record.independent).toMatchObject({ text: 'totally different words here', distance: 1 });
    // Same seed, same principle on a rerun.
    expect((await clairPair(0, { runId: 'r', engine: new ScriptedEngine(reply), spec: s })).principleId).toBe(record.principleId);
  });

  it('pairs are revision chosen, answer rejected; no-ops, rewrites, failures and rejections are left out', async () => {
    const base = await clairPair(0, { runId: 'r', engine: new ScriptedEngine(reply), spec: spec({ baseline: false }) });
    expect(base.independent).toBeUndefined();
    const noop: ClairRecord = { ...base, index: 1, revision: base.answer, distance: 0, dropReason: 'no-op' };
    const failed: ClairRecord = { ...base, index: 2, error: 'too long' };
    const rejected: ClairRecord = { ...base, index: 3, review: { state: 'rejected' } };
    const edited: ClairRecord = { ...base, index: 4, review: clair.review(base, 'edited', 'my edit') };
    const rows = [...clair.rows.preference!([base, noop, failed, rejected, edited])];
    expect(rows).toEqual([
      { prompt: [{ role: 'user', content: 'prompt 0' }], chosen: [{ role: 'assistant', content: base.revision }], rejected: [{ role: 'assistant', content: base.answer }], score_chosen: null, score_rejected: null },
      { prompt: [{ role: 'user', content: 'prompt 0' }], chosen: [{ role: 'assistant', content: 'my edit' }], rejected: [{ role: 'assistant', content: base.answer }], score_chosen: null, score_rejected: null },
    ]);
    const kto = [...clair.rows.kto!([base])] as { label: boolean; completion: { content: string }[] }[];
    expect(kto.map((r) => [r.label, r.completion[0].content])).toEqual([[true, base.revision], [false, base.answer]]);
    expect(clair.review(base, 'edited', base.revision)).toEqual({ state: 'accepted' });
    expect(restoreRecord(JSON.parse(JSON.stringify(edited)))).toEqual(edited);
  });

  it('distance histogram: ten bins, 1 in the last', () => {
    expect(distanceCounts([0, 0.05, 0.1, 0.55, 0.99, 1])).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it('summary: counts and the median distance beside the independent baseline', () => {
    const r = (distance: number, independent: number, drop?: ClairRecord['dropReason']) =>
      ({ distance, independent: { text: '', finish: 'stop', distance: independent }, ...(drop ? { dropReason: drop } : {}) }) as ClairRecord;
    expect(clairSummary([r(0.1, 0.9), r(0, 0.8, 'no-op'), r(0.9, 1, 'rewrite'), r(0.2, 0.7)])).toEqual({
      pairs: 4, kept: 2, noOps: 1, rewrites: 1, medianDistance: expect.closeTo(0.15), medianIndependent: expect.closeTo(0.85),
    });
  });
});
