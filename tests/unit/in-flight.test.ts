import { describe, expect, it } from 'vitest';
import { flightSize, leasingEngines, runInFlight } from '../../src/core/in-flight';
import { Random } from '../../src/core/random';
import { ScriptedEngine } from '../support/scripted-engine';
import type { Engine } from '../../src/core/engine';

/** A scripted maker: each record takes a random few milliseconds; it counts how many run at once. */
function scripted(seed: number, failAt?: number) {
  const rng = new Random(seed);
  const random = () => rng.next();
  const state = { inFlight: 0, most: 0, started: [] as number[] };
  const make = async (index: number, signal: AbortSignal) => {
    state.inFlight++;
    state.most = Math.max(state.most, state.inFlight);
    state.started.push(index);
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => (clearTimeout(timer), reject(signal.reason));
        const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), Math.floor(random() * 8));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      if (index === failAt) throw new Error(`record ${index} failed`);
      return { index };
    } finally {
      state.inFlight--;
    }
  };
  return { state, make };
}

/** A log that checks each batch continues it exactly where it stopped. */
function orderedLog() {
  const stored: number[] = [];
  const batches: number[][] = [];
  return {
    stored,
    batches,
    commit: async (batch: { index: number }[]) => {
      await new Promise((r) => setTimeout(r, 1));
      batches.push(batch.map((r) => r.index));
      stored.push(...batch.map((r) => r.index));
    },
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('records in flight', () => {
  it('commits every record once, in index order, with at most K in flight', async () => {
    for (const k of [1, 3, 8]) {
      const { state, make } = scripted(k);
      const log = orderedLog();
      await runInFlight({ indexes: range(40), concurrency: k, signal: new AbortController().signal, make, commit: log.commit });
      expect(log.stored).toEqual(range(40));
      expect(state.most).toBeLessThanOrEqual(k);
      if (k > 1) expect(state.most).toBeGreaterThan(1);
      // Several records per transaction when records finish while a commit is under way.
      if (k === 8) expect(log.batches.some((b) => b.length > 1)).toBe(true);
    }
  });

  it('never lets started-but-uncommitted records exceed K', async () => {
    const { state, make } = scripted(11);
    let committed = 0;
    let worst = 0;
    await runInFlight({
      indexes: range(30),
      concurrency: 4,
      signal: new AbortController().signal,
      make: (i, s) => {
        worst = Math.max(worst, state.started.length + 1 - committed);
        return make(i, s);
      },
      commit: async (batch) => void (committed += batch.length),
    });
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('an abort mid-way, then a resume, makes exactly the missing records', async () => {
    const controller = new AbortController();
    const first = scripted(5);
    const log = orderedLog();
    const stopped = runInFlight({
      indexes: range(50),
      concurrency: 5,
      signal: controller.signal,
      make: first.make,
      commit: async (batch) => {
        await log.commit(batch);
        if (log.stored.length >= 17) controller.abort('pause');
      },
    });
    await expect(stopped).rejects.toBe('pause');
    const kept = [...log.stored];
    expect(kept).toEqual(range(kept.length));
    // Redone at most K: only records started and not committed are lost.
    expect(first.state.started.length - kept.length).toBeLessThanOrEqual(5);

    const missing = range(50).filter((i) => !kept.includes(i));
    const second = scripted(6);
    await runInFlight({ indexes: missing, concurrency: 5, signal: new AbortController().signal, make: second.make, commit: log.commit });
    expect(second.state.started.sort((a, b) => a - b)).toEqual(missing);
    expect(log.stored).toEqual(range(50));
  });

  it('a failing record stops the rest and keeps everything before it, in order', async () => {
    const { make } = scripted(3, 12);
    const log = orderedLog();
    await expect(runInFlight({ indexes: range(30), concurrency: 4, signal: new AbortController().signal, make, commit: log.commit })).rejects.toThrow(
      'record 12 failed',
    );
    expect(log.stored).toEqual(range(log.stored.length));
    expect(log.stored.length).toBeLessThanOrEqual(12);
  });

  it('takes one lease per record and per engine, and gives it back', async () => {
    const backing = new ScriptedEngine();
    let out = 0;
    const pooled: Engine = {
      info: backing.info,
      chat: backing.chat.bind(backing),
      choose: backing.choose.bind(backing),
      slots: 4,
      lease: () => (out++, { engine: backing, release: () => void out-- }),
    };
    const record = leasingEngines(async () => pooled);
    const ref = { backend: 'cpu' as const, kind: 'file' as const, name: 'm', size: 1 };
    expect(await record.engineFor(ref)).toBe(backing);
    expect(await record.engineFor(ref)).toBe(backing);
    expect(out).toBe(1);
    record.release();
    expect(out).toBe(0);
  });

  it('sizes the flight from the engine: 1 without slots or for a sequential recipe', () => {
    expect(flightSize({}, 8, false)).toBe(1);
    expect(flightSize({ slots: 4 }, undefined, false)).toBe(4);
    expect(flightSize({ slots: 4 }, 6, false)).toBe(6);
    expect(flightSize({ slots: 4 }, 6, true)).toBe(1);
  });
});
