import { describe, expect, it } from 'vitest';
import { downloadPrefix, exportCard, formatsFor, plannedFiles, runDownloads, rowsOf, serialiseRows, zipFileName } from '../../src/core/datasets/export-plan';
import { fileStem } from '../../src/core/formats/file-name';
import { bulkReview, canEdit, currentText, originalText, reviewAction } from '../../src/core/datasets/review-edit';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { summaryCounts } from '../../src/core/datasets/filter';
import { summarize } from '../../src/core/datasets/summary';
import { critique, critiqueRun, preference, selfInstruct } from './datasets-fixtures';

const run = critiqueRun('run', 4);
const records = [
  critique(0, { review: { state: 'accepted' } }),
  critique(1, { review: { state: 'edited', editedText: 'EDITED' } }),
  critique(2, { review: { state: 'rejected' } }),
  critique(3, { final: 'first answer 3' }),
];

describe('export plan', () => {
  it('offers the formats a dataset has rows for', () => {
    expect(formatsFor(new Set(['critique-revision']))).toEqual(['sft', 'preference', 'kto', 'cai', 'trace']);
    expect(formatsFor(new Set(['preference']))).toEqual(['preference', 'kto', 'trace']);
    expect(formatsFor(new Set(['self-instruct']))).toEqual(['trace']);
  });

  it('names one file per format, two with a split', () => {
    expect(plannedFiles(['sft'], false).map((f) => f.name)).toEqual(['sft.jsonl']);
    expect(plannedFiles(['sft', 'kto'], true, 'my-run.')).toEqual([
      { format: 'sft', split: 'train', side: 'train', name: 'my-run.sft-train.jsonl' },
      { format: 'sft', split: 'test', side: 'test', name: 'my-run.sft-test.jsonl' },
      { format: 'kto', split: 'train', side: 'train', name: 'my-run.kto-train.jsonl' },
      { format: 'kto', split: 'test', side: 'test', name: 'my-run.kto-test.jsonl' },
    ]);
    // Hugging Face's CAI layout: SFT and preference halves, each with train and test.
    expect(plannedFiles(['cai'], true, '', { caiHalves: { seed: 1 } }).map((f) => [f.name, f.split, f.side, f.half])).toEqual([
      ['cai-train_sft.jsonl', 'train_sft', 'train', 'sft'],
      ['cai-train_prefs.jsonl', 'train_prefs', 'train', 'prefs'],
      ['cai-test_sft.jsonl', 'test_sft', 'test', 'sft'],
      ['cai-test_prefs.jsonl', 'test_prefs', 'test', 'prefs'],
    ]);
    expect(fileStem('Garden rules · Gardens · 1/2/2025, 10:00')).toBe('Garden-rules-Gardens-1-2-2025-10-00');
    expect(fileStem('***')).toBe('untitled');
    expect(downloadPrefix({ ...run, name: '***' })).toBe('dataset.');
    expect(zipFileName({ ...run, name: 'A run' })).toBe('A-run.zip');
  });

  it("offers the run list's one-click downloads as export formats", () => {
    expect(runDownloads(run).map((d) => [d.id, d.format])).toEqual([['sft', 'sft'], ['revision-pairs', 'preference'], ['trace', 'trace']]);
  });

  it('applies the review rules in every format', () => {
    const sft = [...rowsOf('sft', run, records)] as { messages: { content: string }[] }[];
    expect(sft.map((r) => r.messages[1]!.content)).toEqual(['better answer number 0 with more words', 'EDITED', 'first answer 3']);
    // Revision pairs: the rejected record is out, and so is the one whose revision changed nothing.
    const pairs = [...rowsOf('preference', run, records)] as { chosen: { content: string }[] }[];
    expect(pairs.map((r) => r.chosen[0]!.content)).toEqual(['better answer number 0 with more words', 'EDITED']);
    const kto = [...rowsOf('kto', run, records)] as { label: boolean }[];
    expect(kto.map((r) => r.label)).toEqual([true, false, true, false]);
    expect([...rowsOf('cai', run, records)]).toHaveLength(3);
    // The trace is the complete backup: the rejected record stays, with its review.
    const trace = [...rowsOf('trace', run, records)] as { index: number; run: { id: string }; review?: { state: string } }[];
    expect(trace.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(trace[2]!.review?.state).toBe('rejected');
    expect(trace[0]!.run.id).toBe('run');
  });

  it('mixes preference records into the preference and KTO files', () => {
    const mixed = [records[0]!, preference(9, 0.9, true), preference(10, 0.5, true)];
    expect([...rowsOf('preference', run, mixed)]).toHaveLength(2);
    expect([...rowsOf('kto', run, mixed)]).toHaveLength(4);
    expect([...rowsOf('sft', run, [selfInstruct(0)])]).toEqual([]);
  });

  it('serialises a batch as the same JSONL, in line-bounded chunks, on one side of a split', () => {
    const { chunks, rows } = serialiseRows('sft', run, records, 'train', null, 150);
    expect(rows).toBe(3);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
    expect(chunks.join('')).toBe(toJsonLines(rowsOf('sft', run, records)));
    const test = serialiseRows('sft', run, records, 'test', new Set(['run:1']));
    const train = serialiseRows('sft', run, records, 'train', new Set(['run:1']));
    expect([test.rows, train.rows]).toEqual([1, 2]);
    expect(test.chunks.join('')).toContain('EDITED');
  });

  it('writes a card listing every file of every format', () => {
    const files = plannedFiles(['sft', 'preference'], true).map((f, i) => ({ ...f, rows: i + 1 }));
    const card = exportCard({ run, files, counts: summaryCounts(records.map((r) => summarize(r))), split: { seed: 3, testRatio: 0.2 }, generatedAt: 0 });
    expect(card).toMatch(/^---\n[\s\S]*\n---\n/);
    for (const f of files) expect(card).toContain(`path: "${f.name}"`);
    expect(card).toContain('config_name: "sft"');
    expect(card).toContain('config_name: "preference"');
    expect(card).toContain('- "dpo"');
    expect(card).toMatch(/- sft: Each line is/);
    expect(card).toMatch(/1 accepted, 1 edited, 1 rejected/);
    expect(card).toContain('seed 3');
  });
});

describe('review actions', () => {
  it('edit the final answer of critique records and the chosen one of preference records', () => {
    const c = critique(0);
    expect(originalText(c)).toBe(c.final);
    expect(reviewAction(c, 'edited', 'new')).toEqual({ state: 'edited', editedText: 'new' });
    expect(reviewAction(c, 'edited', c.final)).toEqual({ state: 'accepted' });
    const p = preference(1, 0.9, true);
    expect(originalText(p)).toBe('answer one 1');
    expect(reviewAction(p, 'edited', 'better')).toEqual({ state: 'edited', editedText: 'better' });
    expect(reviewAction(p, 'edited', 'answer one 1')).toEqual({ state: 'accepted' });
    expect(currentText({ ...p, review: { state: 'edited', editedText: 'better' } })).toBe('better');
    expect(reviewAction(p, 'rejected')).toEqual({ state: 'rejected' });
  });

  it('allow no edit where there is no answer to edit', () => {
    expect(canEdit(preference(2, 0.5, true))).toBe(false);
    expect(canEdit(critique(3, { error: 'did not fit' }))).toBe(false);
    expect(canEdit(selfInstruct(0))).toBe(false);
    expect(() => reviewAction(selfInstruct(0), 'edited', 'x')).toThrow(/no answer/);
    expect(reviewAction(selfInstruct(0), 'accepted')).toEqual({ state: 'accepted' });
  });

  it('bulk actions skip what would not change, and accept-all keeps edits', () => {
    expect(bulkReview({ review: 'edited' }, 'accept')).toBe('skip');
    expect(bulkReview({ review: 'accepted' }, 'accept')).toBe('skip');
    expect(bulkReview({ review: 'rejected' }, 'accept')).toEqual({ state: 'accepted' });
    expect(bulkReview({ review: 'edited' }, 'reject')).toEqual({ state: 'rejected' });
    expect(bulkReview({ review: 'unreviewed' }, 'clear')).toBe('skip');
    expect(bulkReview({ review: 'edited' }, 'clear')).toBeUndefined();
  });
});
