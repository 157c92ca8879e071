import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstUserTurn, isTranscript } from '../../src/core/imports/prompt-fields';
import { importPrompts } from '../../src/core/imports/prompts';
import { importCsv, looksLikeHeader, sniffDelimiter } from '../../src/core/imports/prompts-csv';

const root = path.resolve(import.meta.dirname, '../..');
const lines = (file: string) => readFileSync(path.join(root, file), 'utf8').split('\n').length;

describe('prompt import, split by concern', () => {
  it('keeps each prompt-import file under 300 lines', () => {
    for (const file of ['src/core/imports/prompts.ts', 'src/core/imports/prompts-csv.ts', 'src/core/imports/prompt-fields.ts']) {
      expect(lines(file), file).toBeLessThanOrEqual(300);
    }
  });

  it('the CSV part works on its own: delimiter, header, column, bad rows by line', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(looksLikeHeader(['id', 'prompt'])).toBe(true);
    const added: [string, number][] = [];
    const errors: [number, string][] = [];
    const layout = importCsv('id;prompt\n1;Hello there\n2\n', { file: 'x.csv' }, {
      add: (raw, line) => added.push([raw, line]),
      error: (line, message) => errors.push([line, message]),
    });
    expect(layout).toEqual({ columns: ['id', 'prompt'], column: 1, header: true });
    expect(added).toEqual([['Hello there', 2]]);
    expect(errors).toEqual([[3, 'has 1 columns, so column 2 is missing']]);
  });

  it('the JSON-row part works on its own, and the whole import is unchanged', () => {
    expect(isTranscript('\n\nHuman: hi')).toBe(true);
    expect(firstUserTurn([{ from: 'human', value: 'Hi' }])).toBe('Hi');
    const out = importPrompts('q;a\n"Why; really?";x\n', { file: 'semi.csv' });
    expect(out.prompts.map((p) => p.text)).toEqual(['Why; really?']);
    expect(out).toMatchObject({ format: 'csv', columns: ['q', 'a'], column: 0, header: true });
  });
});
