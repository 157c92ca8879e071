/**
 * Long loops over a dataset cut into short tasks, so the page stays responsive (no task over
 * ~50 ms) while it opens or exports 100,000 records, and the worker keeps answering calls.
 */

/** Work between yields, in ms: well under the 50 ms that counts as a long task. */
export const SLICE_MS = 12;

type Yielding = { scheduler?: { yield?: () => Promise<void> } };

/**
 * Lets other tasks run, then resumes. A chain of setTimeout(0) is clamped to 4 ms a step after a
 * few, so where scheduler.yield is missing a message round trip resumes without that wait.
 */
export function yieldTask(): Promise<void> {
  const scheduler = (globalThis as Yielding).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (channel.port1.close(), resolve());
    channel.port2.postMessage(null);
  });
}

/** Counts steps of a loop and yields once SLICE_MS have passed since the last yield. */
export class TimeSlicer {
  private since = performance.now();
  private steps = 0;

  /** `every`: steps between looks at the clock (a power of two); 1 for steps that are long themselves. */
  constructor(private readonly every = 32) {}

  /**
   * Call once per step (the clock is read every `every` steps): a promise to await when the slice is spent,
   * else null, so a loop awaits only when it yields, never once per step.
   */
  step(): Promise<void> | null {
    if ((++this.steps & (this.every - 1)) !== 0 || performance.now() - this.since < SLICE_MS) return null;
    return yieldTask().then(() => void (this.since = performance.now()));
  }
}
