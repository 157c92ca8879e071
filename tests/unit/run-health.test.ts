import { describe, expect, it } from 'vitest';
import { emptyDownloadReason, notProcessedNote, processedCount } from '../../src/core/run-health';

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
