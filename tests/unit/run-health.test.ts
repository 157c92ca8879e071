import { describe, expect, it } from 'vitest';
import { emptyDownloadReason, notProcessedNote, processedCount, runMark } from '../../src/core/run-health';

describe('records kept but not processed', () => {
  it('says how many of the records were not processed, and why', () => {
    expect(notProcessedNote({ recordCount: 5, failedCount: 3 })).toBe("3 of 5 not processed: prompt longer than the model's context");
    expect(notProcessedNote({ recordCount: 5 })).toBeNull();
    expect(notProcessedNote({ recordCount: 5, failedCount: 0 })).toBeNull();
    expect(processedCount({ recordCount: 5, failedCount: 3 })).toBe(2);
  });

  it('a download that would be empty has a reason; one with rows has none', () => {
    expect(emptyDownloadReason({ recordCount: 0 })).toMatch(/No records yet/);
    expect(emptyDownloadReason({ recordCount: 5, failedCount: 5 })).toMatch(/none of the 5 records was processed/);
    expect(emptyDownloadReason({ recordCount: 5, failedCount: 4 })).toBeNull();
  });
});

describe('runs marked in the list', () => {
  it('marks failed, cancelled and partial runs, and leaves fine or resumable ones alone', () => {
    expect(runMark({ status: 'failed', recordCount: 2 }, 5)).toEqual({ kind: 'failed', text: 'Failed after 2 of 5' });
    expect(runMark({ status: 'cancelled', recordCount: 2 }, 5)).toEqual({ kind: 'cancelled', text: 'Cancelled: 2 of 5 made' });
    expect(runMark({ status: 'done', recordCount: 5, failedCount: 3 }, 5)).toEqual({ kind: 'partial', text: 'Partial: 2 of 5 processed' });
    for (const status of ['done', 'paused', 'running', 'queued'] as const) expect(runMark({ status, recordCount: 1 }, 5)).toBeNull();
  });
});
