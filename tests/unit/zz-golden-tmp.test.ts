import { describe, expect, it } from 'vitest';
import { serialiseRows as after, type ExportFormat } from '../../src/core/datasets/export-plan';
import { serialiseRows as before } from '../../../main/src/core/datasets/export-plan';
import { backTranslate, clair, critique, critiqueRun, magpie, preference, rlcd, selfInstruct } from './datasets-fixtures';
import { datasetRun } from '../../src/core/datasets/combine';

const records = [
  ...Array.from({ length: 40 }, (_, i) => critique(i, i % 10 === 0 ? { review: { state: 'rejected' } } : i % 10 === 1 ? { review: { state: 'edited', editedText: `Edité ${i} 😀` } } as never : {})),
  ...Array.from({ length: 20 }, (_, i) => preference(40 + i, i % 3 ? 0.8 : null, i % 2 ? true : null)),
  ...Array.from({ length: 5 }, (_, i) => selfInstruct(60 + i)), ...Array.from({ length: 5 }, (_, i) => backTranslate(65 + i)),
  ...Array.from({ length: 5 }, (_, i) => magpie(70 + i)), ...Array.from({ length: 5 }, (_, i) => clair(75 + i)), ...Array.from({ length: 5 }, (_, i) => rlcd(80 + i)),
] as never[];
const runs = [critiqueRun('run', 40), datasetRun({ id: 'imp', name: 'Imp', format: 'trace', fileName: 'x.jsonl', records: 85, sources: [], now: 5 })];
const formats: ExportFormat[] = ['sft', 'preference', 'kto', 'cai', 'trace'];
describe('golden', () => {
  for (const run of runs) for (const f of formats) for (const [opts, ids] of [[{}, null], [{ margin: true }, new Set(['run:3', 'pref:41'])], [{ caiHalves: { seed: 3 }, half: 'sft' }, null]] as const) {
    it(`${run.id} ${f} ${JSON.stringify(opts)}`, () => {
      for (const size of [200, 1 << 20]) {
        const a = before(f, run, records, 'train', ids as never, size, opts as never);
        const b = after(f, run, records, 'train', ids as never, size, opts as never);
        expect(b.rows).toBe(a.rows);
        expect(b.chunks.join('')).toBe(a.chunks.join(''));
        expect(b.chunks).toEqual(a.chunks);
      }
    });
  }
});
