// Start-up sweep: values no listed run owns are removed and measured; listed runs are untouched.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { getStore, resetStoreForTests, sweepOrphans } from '../../src/storage';
import { set, get } from 'idb-keyval';

describe('sweepOrphans', () => {
  beforeEach(() => resetStoreForTests());

  it('removes chunks, stages and tallies whose run is not listed, and says how many bytes they held', async () => {
    const store = getStore();
    const chunk = (runId: string, chunkNo: number) => ({ schemaVersion: 2, runId, chunkNo, records: [{ text: 'x'.repeat(1000) }] });
    await set(['run', 'kept'], { id: 'kept' }, store);
    await set(['chunk', 'kept', 0], chunk('kept', 0), store);
    await set(['chunk', 'import-dead', 0], chunk('import-dead', 0), store);
    await set(['chunk', 'import-dead', 1], chunk('import-dead', 1), store);
    await set(['tally', 'gone'], { cursor: 1 }, store);
    await set(['stage', 'gone', 0], { a: 1 }, store);

    const freed = await sweepOrphans();
    expect(freed.owners).toBe(2);
    expect(freed.bytes).toBeGreaterThan(2000);
    expect(await get(['chunk', 'import-dead', 0], store)).toBeUndefined();
    expect(await get(['chunk', 'import-dead', 1], store)).toBeUndefined();
    expect(await get(['tally', 'gone'], store)).toBeUndefined();
    expect(await get(['stage', 'gone', 0], store)).toBeUndefined();
    expect(await get(['chunk', 'kept', 0], store)).toEqual(chunk('kept', 0));
    expect(await sweepOrphans()).toEqual({ owners: 0, bytes: 0 });
  });
});
