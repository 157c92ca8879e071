import { describe, expect, it } from 'vitest';
import { importPrompts, sniffDelimiter } from '../../src/core/imports/prompts';

describe('prompt imports a newcomer runs into', () => {
  it('{"prompt": 42} is reported as a number, with its line', () => {
    const result = importPrompts('{"prompt": "fine"}\n{"prompt": 42}\n', { file: 'p.jsonl' });
    expect(result.errors).toEqual([{ line: 2, message: 'prompt is a number, not text' }]);
  });

  it('a CSV written with semicolons is read as columns', () => {
    expect(sniffDelimiter('prompt;category\n"a; b";x\n')).toBe(';');
    expect(sniffDelimiter('prompt,category\n')).toBe(',');
    expect(sniffDelimiter('prompt\n')).toBe(',');
    const result = importPrompts('prompt;category\nWrite a haiku about rain;poetry\nExplain tides;science\n', { file: 'europe.csv' });
    expect(JSON.stringify(result)).toContain('"Write a haiku about rain"');
    expect(JSON.stringify(result)).not.toContain('poetry');
  });
});
