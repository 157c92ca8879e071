/**
 * Values no listed run owns: the chunks of an import or merge whose tab or worker died before it
 * wrote its header (it writes the header last), and stages or tallies of deleted runs. Swept when
 * the app starts. The grace period is the writer's lock: a dataset write holds
 * `cai-lab:writing:<runId>` for as long as it runs (in any tab), and what a live writer owns is
 * left alone; a dead writer's lock is released with it.
 */
import { withWriteErrors } from './errors';
import { stageRange } from './stages';
import { chunkRange, keys, request, transact } from './store';

const WRITE_LOCK = 'cai-lab:writing:';

type Locks = Pick<LockManager, 'request' | 'query'>;
const locks = (): Locks | null => (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks ?? null;

/** Runs `body` holding the run's writer lock (where Web Locks exist), so a sweep in another tab skips it. */
export function whileWriting<T>(runId: string, body: () => Promise<T>): Promise<T> {
  const manager = locks();
  return manager ? (manager.request(WRITE_LOCK + runId, body) as Promise<T>) : body();
}

async function writersAlive(): Promise<Set<string>> {
  const state = (await locks()?.query()) ?? {};
  const names = [...(state.held ?? []), ...(state.pending ?? [])].map((l) => l.name ?? '');
  return new Set(names.filter((n) => n.startsWith(WRITE_LOCK)).map((n) => n.slice(WRITE_LOCK.length)));
}

const owners = (found: IDBValidKey[]) => found.map((k) => String((k as unknown[])[1]));

/** Run ids that own chunks, stages or a tally but have no header. */
async function orphanIds(): Promise<string[]> {
  const range = (kind: string) => IDBKeyRange.bound([kind], [kind, []]);
  return transact('readonly', async (s) => {
    const [runs, chunks, stages, tallies] = await Promise.all(['run', 'chunk', 'stage', 'tally'].map((k) => request(s.getAllKeys(range(k)))));
    const listed = new Set(owners(runs!));
    return [...new Set([...owners(chunks!), ...owners(stages!), ...owners(tallies!)])].filter((id) => !listed.has(id));
  });
}

/** Deletes one orphan's values (unless a header appeared meanwhile); returns the bytes they held as JSON. */
function sweepOne(runId: string): Promise<number> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      if ((await request(s.count(keys.run(runId)))) > 0) return 0;
      const ranges = [chunkRange(runId), stageRange(runId), keys.tally(runId)];
      let bytes = 0;
      for (const range of ranges) for (const value of await request(s.getAll(range))) bytes += new Blob([JSON.stringify(value) ?? '']).size;
      await Promise.all(ranges.map((range) => request(s.delete(range))));
      return bytes;
    }),
  );
}

/** Removes what no listed run owns and no live writer is writing; says how much was freed. */
export async function sweepOrphans(): Promise<{ owners: number; bytes: number }> {
  const alive = await writersAlive();
  let freed = { owners: 0, bytes: 0 };
  for (const id of await orphanIds()) {
    if (alive.has(id)) continue;
    freed = { owners: freed.owners + 1, bytes: freed.bytes + (await sweepOne(id)) };
  }
  return freed;
}
