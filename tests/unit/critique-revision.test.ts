import { describe, expect, it } from 'vitest';
import { critiqueRevise, type RecipeEvent } from '../../src/core/recipes/critique-revision/make';
import type { Constitution } from '../../src/core/types';
import type { CritiqueRevisionSpec } from '../../src/core/recipes/critique-revision/types';
import { SCHEMA_VERSION } from '../../src/core/types';
import { ScriptedEngine } from '../support/scripted-engine';

function constitution(n = 6): Constitution {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'c',
    name: 'test',
    description: '',
    updatedAt: 0,
    principles: Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      name: `P${i}`,
      critique: `critique-${i}`,
      revision: `revise-${i}`,
      comparison: `compare-${i}`,
      enabled: true,
    })),
    fewShot: [
      {
        id: 'fs',
        messages: [
          { role: 'user', content: 'fs-q' },
          { role: 'assistant', content: 'fs-a' },
        ],
      },
    ],
  };
}

function spec(over: Partial<CritiqueRevisionSpec> = {}): CritiqueRevisionSpec {
  return {
    recipe: 'critique-revision',
    model: { backend: 'cpu', kind: 'url', url: 'x', name: 'x' },
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 },
    seed: 42,
    rounds: 2,
    constitution: constitution(),
    promptSetId: 'ps',
    promptSetName: 'ps',
    prompts: [
      { id: 'a', text: 'first prompt' },
      { id: 'b', text: 'second prompt' },
    ],
    ...over,
  };
}

const principleIds = async (s: CritiqueRevisionSpec, index: number) =>
  (await critiqueRevise(index, { runId: 'r', engine: new ScriptedEngine(), spec: s })).rounds.map((r) => r.principleId);

describe('critique → revision recipe', () => {
  it('draws the same principles for the same seed and item, different ones for other seeds', async () => {
    const s = spec({ rounds: 4, constitution: constitution(16) });
    expect(await principleIds(s, 0)).toEqual(await principleIds(s, 0));
    const draws = new Set<string>();
    for (let seed = 0; seed < 8; seed++) draws.add((await principleIds(spec({ ...s, seed }), 0)).join());
    expect(draws.size).toBeGreaterThan(4);
  });

  it('runs R rounds, and each round is one growing conversation', async () => {
    const engine = new ScriptedEngine();
    const record = await critiqueRevise(0, { runId: 'r', engine, spec: spec({ rounds: 3 }) });
    expect(record.rounds).toHaveLength(3);
    expect(engine.requests).toHaveLength(1 + 3 * 2);
    const [answer, c1, r1, c2, r2] = engine.requests.map((r) => r.messages);
    const base = [
      { role: 'user', content: 'fs-q' },
      { role: 'assistant', content: 'fs-a' },
    ];
    expect(answer).toEqual([...base, { role: 'user', content: 'first prompt' }]);
    // Round 1: answer → critique request; then the critique is passed back verbatim.
    expect(c1.slice(0, -1)).toEqual([...answer, { role: 'assistant', content: 'reply 0' }]);
    expect(c1.at(-1)?.content).toContain(record.rounds[0].critiqueRequest.split('\n')[0]);
    expect(r1.slice(0, c1.length)).toEqual(c1);
    expect(r1[c1.length]).toEqual({ role: 'assistant', content: 'reply 1' });
    expect(r1).toHaveLength(c1.length + 2);
    // Round 2 starts from the prompt and the latest revision.
    expect(c2.slice(0, -1)).toEqual([...answer, { role: 'assistant', content: 'reply 2' }]);
    expect(r2.slice(0, c2.length)).toEqual(c2);
  });

  it('keeps the full trace in the record', async () => {
    const record = await critiqueRevise(1, { runId: 'run1', engine: new ScriptedEngine(), spec: spec() });
    expect(record).toMatchObject({ runId: 'run1', index: 1, promptId: 'b', prompt: 'second prompt', initial: 'reply 0' });
    expect(record.rounds.map((r) => [r.critique, r.revision])).toEqual([
      ['reply 1', 'reply 2'],
      ['reply 3', 'reply 4'],
    ]);
    expect(record.rounds[0].critiqueRequest).toMatch(/^critique-\d/);
    expect(record.rounds[0].revisionRequest).toMatch(/^revise-\d/);
    expect(record.final).toBe('reply 4');
    expect(record.usage.completionTokens).toBe(10);
  });

  it('only draws enabled principles', async () => {
    const c = constitution(5);
    c.principles.forEach((p, i) => (p.enabled = i === 3));
    expect(await principleIds(spec({ constitution: c, rounds: 4 }), 0)).toEqual(['p3', 'p3', 'p3', 'p3']);
    c.principles[3].enabled = false;
    await expect(principleIds(spec({ constitution: c }), 0)).rejects.toThrow(/no enabled principle/);
  });

  it('streams steps and tokens, and stops with an AbortError when aborted', async () => {
    const events: RecipeEvent[] = [];
    await critiqueRevise(0, { runId: 'r', engine: new ScriptedEngine(() => 'two words'), spec: spec(), onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'step').map((e) => e.type === 'step' && e.step)).toEqual([
      'answer', 'critique', 'revision', 'critique', 'revision',
    ]);
    expect(events.filter((e) => e.type === 'token')).toHaveLength(10);

    const controller = new AbortController();
    const engine = new ScriptedEngine((_r, n) => {
      if (n === 1) controller.abort();
      return 'x';
    });
    await expect(critiqueRevise(0, { runId: 'r', engine, spec: spec(), signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
