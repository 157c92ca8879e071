/**
 * Intermediate results of a multi-phase run (e.g. the preference recipe's candidate answers,
 * made by one model before another judges them), one value per index under ['stage', runId, index].
 * Written before they are used, so a reload resumes the phase where it stopped.
 */
import { withWriteErrors } from './errors';
import { request, transact } from './store';

const stageKey = (runId: string, index: number): IDBValidKey => ['stage', runId, index];
export const stageRange = (runId: string): IDBKeyRange => IDBKeyRange.bound(['stage', runId, -Infinity], ['stage', runId, Infinity]);

export function saveStage(runId: string, index: number, value: unknown): Promise<void> {
  return withWriteErrors(() =>
    transact('readwrite', async (s) => {
      await request(s.put(value, stageKey(runId, index)));
    }),
  );
}

export function readStage<T>(runId: string, index: number): Promise<T | undefined> {
  return transact('readonly', (s) => request(s.get(stageKey(runId, index)) as IDBRequest<T | undefined>));
}

export function countStage(runId: string): Promise<number> {
  return transact('readonly', (s) => request(s.count(stageRange(runId))));
}
