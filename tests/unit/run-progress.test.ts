import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressOf, streamedToken, type Session } from '../../src/worker/run-progress';
import type { Run } from '../../src/core/run';

const run = { id: 'r', recordCount: 0, spec: { recipe: 'critique-revision', prompts: Array.from({ length: 5 }, (_, i) => ({ id: `${i}`, text: 'x' })) } } as unknown as Run;
let now = 0;
afterEach(() => vi.restoreAllMocks());

describe('the pace of a run', () => {
  it('gives tokens/s within the first seconds, and counts no model load in the time per record', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    now = 0;
    const session: Session = { tokens: 0, records: 0, started: now, streamed: 0, lastEmit: 0 };
    const announced: number[] = [];
    now = 20_000; // 20 s loading the model (e.g. on Resume) before the first token
    for (let i = 0; i < 40; i++) {
      now += 50; // 20 tokens a second
      streamedToken(session, () => announced.push(progressOf(run, session).tokensPerSecond));
    }
    expect(announced.length).toBeGreaterThan(0);
    expect(announced.at(-1)).toBeGreaterThan(18);
    expect(announced.at(-1)).toBeLessThan(22);
    // One record done 2 s after the first token: 4 left take about 8 s, not 4 × 22 s.
    session.records = 1;
    const eta = progressOf({ ...run, recordCount: 1 }, session).etaMs!;
    expect(eta).toBeGreaterThan(7_000);
    expect(eta).toBeLessThan(9_000);
  });
});
