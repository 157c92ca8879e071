/**
 * Coordination between tabs: only one tab runs a recipe at a time (Web Locks), and every tab
 * hears about the running one (BroadcastChannel). Both APIs exist in window and worker scopes;
 * where they are missing (Node tests, old browsers) the helpers degrade to single-tab behaviour.
 */
export const RUN_LOCK = 'cai-lab:run';
export const RUN_CHANNEL = 'cai-lab:runs';

export class RunLockedError extends Error {
  name = 'RunLockedError';
  constructor() {
    super('A recipe is already running in another tab of this app: pause or finish it there first.');
  }
}

export class RunningElsewhereError extends Error {
  name = 'RunningElsewhereError';
  constructor() {
    super('This run is running in another tab of this app: pause or cancel it there, then delete it.');
  }
}

type Locks = { request: LockManager['request']; query: LockManager['query'] };

function locks(): Locks | null {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks ?? null;
}

/** Takes the run lock if free; resolves with its release function, or rejects with RunLockedError. */
export function takeRunLock(): Promise<() => void> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    manager
      .request(RUN_LOCK, { ifAvailable: true }, (lock) => {
        if (!lock) return reject(new RunLockedError());
        // Held until the returned promise settles, i.e. until release() is called.
        return new Promise<void>((release) => resolve(release));
      })
      .catch(reject);
  });
}

/**
 * Resolves once no tab holds the run lock: the running tab finished, paused, or was closed (its
 * lock goes with it). The lock is taken only for an instant, to learn that it was free.
 */
export function whenRunLockFree(): Promise<void> {
  const manager = locks();
  if (!manager) return Promise.resolve();
  return manager.request(RUN_LOCK, () => undefined);
}

/** Whether some tab (this one included) holds the run lock right now. */
export async function runLockHeld(): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const state = await manager.query();
  return (state.held ?? []).some((l) => l.name === RUN_LOCK);
}

/** Posts run events to other tabs; a no-op where BroadcastChannel is missing. */
export function runChannel(): { post(message: unknown): void } {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined };
  const channel = new BroadcastChannel(RUN_CHANNEL);
  return { post: (message) => channel.postMessage(message) };
}
