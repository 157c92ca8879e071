import { describe, expect, it } from 'vitest';
import { importConstitutionFrom } from '../../src/worker/imports';
import { previewPromptImport } from '../../src/worker/prompt-sets';

const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('worker imports: plain outcomes', () => {
  it('prompts from an ArrayBuffer, a Blob or a string; bad lines are listed, not thrown', async () => {
    const text = '{"prompt": "One"}\n{"prompt": oops}\n{"text": "Two"}\n';
    for (const input of [bytes(text), new Blob([text]), text]) {
      const out = await previewPromptImport(input, { file: 'p.jsonl' });
      expect(out.ok).toBe(true);
      if (!out.ok) continue;
      expect(out.value.sample.map((p) => p.text)).toEqual(['One', 'Two']);
      expect(out.value.errors).toEqual([expect.objectContaining({ line: 2 })]);
    }
  });

  it('a whole-file failure keeps the file, field and line as data', async () => {
    const empty = await previewPromptImport(bytes(''), { file: 'empty.txt' });
    expect(empty).toEqual({ ok: false, error: { message: 'empty.txt: is empty', file: 'empty.txt' } });
    const field = await importConstitutionFrom(new Blob(['{"constitutions": [{"critic": 1, "revision": "r"}]}']), { file: 'c.json' });
    expect(field).toEqual({ ok: false, error: expect.objectContaining({ file: 'c.json', field: 'constitutions[0].critic' }) });
    const syntax = await importConstitutionFrom(bytes('{\n  "constitutions": [,]\n}'), { file: 's.json' });
    expect(syntax).toEqual({ ok: false, error: expect.objectContaining({ file: 's.json', line: 2, column: 21 }) });
  });

  it('a constitution preview is plain, cloneable data', async () => {
    const out = await importConstitutionFrom(bytes('{"constitutions": [{"critic": "c", "revision": "Please rewrite the response to be kind."}]}'), { file: 'x.json', now: 1 });
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.value.format).toBe('llm-swarm');
      expect(structuredClone(out.value)).toEqual(out.value);
    }
  });
});
