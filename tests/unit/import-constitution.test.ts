import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultComparison,
  detectConstitutionFormat,
  exportConstitution,
  importConstitution,
  importConstitutionValue,
  unframe,
} from '../../src/core/imports/constitution';
import { ImportError } from '../../src/core/imports/decode';
import { harmlessConstitution as builtinConstitution } from '../../src/core/builtins/constitution';
import { SCHEMA_VERSION, type Constitution } from '../../src/core/types';

const REFERENCE = path.resolve(import.meta.dirname, '../../../shared/reference/llm-swarm');
const enc = (s: string) => new TextEncoder().encode(s);

/** Reads a reference file, or returns null after saying why the test is skipped. */
function reference(name: string): Uint8Array | null {
  const file = path.join(REFERENCE, name);
  if (existsSync(file)) return readFileSync(file);
  console.log(`skipping: ../shared/reference/llm-swarm/${name} not found`);
  return null;
}

function constitution(): Constitution {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: 'mine',
    name: 'Mine — “quoted” ünïcode',
    description: 'line one\nline two',
    updatedAt: 1_700_000_000_123,
    principles: [
      { id: 'a', name: 'A', critique: 'crit a', revision: 'rev a', comparison: 'cmp a', enabled: true },
      { id: 'b', name: 'B', critique: 'crit b', revision: 'rev b', comparison: '', enabled: false },
      { id: 'c', name: 'C', critique: 'crit c', revision: 'rev c', comparison: 'cmp c', enabled: true },
    ],
    fewShot: [{ id: 'f', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }],
  };
}

/** The ImportError thrown by `fn` (fails the test when nothing or something else is thrown). */
function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('llm-swarm constitution files (real reference files)', () => {
  it('imports constitution_anthropic.json: 16 principles and 4 few-shot conversations', (ctx) => {
    const bytes = reference('constitution_anthropic.json');
    if (!bytes) return ctx.skip();
    const raw = JSON.parse(new TextDecoder().decode(bytes));
    const { constitution: c, format, warnings } = importConstitution(bytes, { file: 'constitution_anthropic.json', now: 5 });
    expect(format).toBe('llm-swarm');
    expect(c.principles).toHaveLength(16);
    expect(c.fewShot).toHaveLength(4);
    c.principles.forEach((p, i) => {
      expect(p.critique).toBe(raw.constitutions[i].critic);
      expect(p.revision).toBe(raw.constitutions[i].revision);
      expect(p.comparison).toBe(defaultComparison(p.critique));
      expect(p.enabled).toBe(true);
      expect(p.name).toMatch(new RegExp(`^Principle ${i + 1}\\b`));
    });
    expect(new Set(c.principles.map((p) => p.id)).size).toBe(16);
    expect(new Set(c.principles.map((p) => p.name)).size).toBe(16);
    c.fewShot.forEach((f, i) => expect(f.messages).toEqual(raw.system_chat[i]));
    expect(c.fewShot[0].messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(warnings.join(' ')).toMatch(/comparison/);
    expect(c.updatedAt).toBe(5);
    expect(c.name).toBe('Constitution anthropic');
  });

  it('imports constitution_grok.json: 2 principles, few-shot from system_chat', (ctx) => {
    const bytes = reference('constitution_grok.json');
    if (!bytes) return ctx.skip();
    const raw = JSON.parse(new TextDecoder().decode(bytes));
    const { constitution: c } = importConstitution(bytes, { file: 'constitution_grok.json', id: 'grok', name: 'Grok' });
    expect(c.principles).toHaveLength(2);
    expect(c.principles.map((p) => p.critique)).toEqual(raw.constitutions.map((x: { critic: string }) => x.critic));
    expect(c.fewShot).toHaveLength(raw.system_chat.length);
    expect(c.id).toBe('grok');
    expect(c.name).toBe('Grok');
  });

  it('gives the same default id to the same file and different ids to different files', () => {
    const a = JSON.stringify({ constitutions: [{ critic: 'c1', revision: 'r1' }] });
    const b = JSON.stringify({ constitutions: [{ critic: 'c2', revision: 'r2' }] });
    const id = (s: string) => importConstitution(s, { file: 'x.json' }).constitution.id;
    expect(id(a)).toBe(id(a));
    expect(id(a)).not.toBe(id(b));
  });

  it('keeps a given comparison text and warns only when one is missing', () => {
    const text = JSON.stringify({ constitutions: [{ critic: 'c', revision: 'r', comparison: 'which is kinder?' }] });
    const r = importConstitution(text, { file: 'x.json' });
    expect(r.constitution.principles[0].comparison).toBe('which is kinder?');
    expect(r.warnings.some((w) => /comparison/.test(w))).toBe(false);
    expect(r.warnings.some((w) => /few-shot/.test(w))).toBe(true);
  });

  it('names the file and the field that is wrong', () => {
    const bad = { constitutions: [{ critic: 'a', revision: 'b' }, { critic: 'a', revision: 'b' }, { critic: 'a', revision: 'b' }, { critic: 7, revision: 'b' }] };
    expect(importError(() => importConstitution(JSON.stringify(bad), { file: 'constitution.json' })).message).toBe(
      'constitution.json: constitutions[3].critic must be a string',
    );
    const missing = { constitutions: [{ critic: 'a' }] };
    const e = importError(() => importConstitution(JSON.stringify(missing), { file: 'c.json' }));
    expect(e.field).toBe('constitutions[0].revision');
    expect(e.message).toMatch(/missing/);
    const role = { constitutions: [{ critic: 'a', revision: 'b' }], system_chat: [[{ role: 'user', content: 'x' }], [{ role: 'robot', content: 'x' }]] };
    expect(importError(() => importConstitution(JSON.stringify(role), { file: 'c.json' })).field).toBe('system_chat[1][0].role');
    const notArray = { constitutions: { critic: 'a' } };
    expect(importError(() => importConstitution(JSON.stringify(notArray), { file: 'c.json' })).message).toBe('c.json: constitutions must be an array');
    expect(importError(() => importConstitution('{"constitutions": []}', { file: 'c.json' })).message).toMatch(/constitutions is empty/);
  });
});

describe("this product's own format", () => {
  it('round-trips exactly', () => {
    const c = constitution();
    const text = exportConstitution(c);
    expect(JSON.parse(text)).toMatchObject({ format: 'cai-lab.constitution', schemaVersion: SCHEMA_VERSION });
    const back = importConstitution(text, { file: 'mine.json', id: 'ignored', now: 1 });
    expect(back.format).toBe('cai-lab');
    expect(back.constitution).toEqual(c);
    expect(back.warnings).toEqual([]);
    expect(exportConstitution(back.constitution)).toBe(text);
  });

  it('exports a built-in as an editable copy', () => {
    const back = importConstitution(exportConstitution(builtinConstitution), { file: 'b.json' }).constitution;
    expect(back.builtin).toBeUndefined();
    expect(back.principles).toEqual(builtinConstitution.principles);
  });

  it('reads a file with a BOM and CRLF line ends', () => {
    const text = exportConstitution(constitution()).replace(/\n/g, '\r\n');
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)]);
    expect(importConstitution(bytes, { file: 'crlf.json' }).constitution).toEqual(constitution());
  });

  it('refuses a newer schema, duplicate ids and wrong types, naming the field', () => {
    const raw = () => JSON.parse(exportConstitution(constitution()));
    const newer = { ...raw(), schemaVersion: SCHEMA_VERSION + 1 };
    expect(importError(() => importConstitutionValue(newer, { file: 'n.json' })).message).toMatch(/n\.json: schemaVersion .*newer version/);
    const dup = raw();
    dup.principles[2].id = 'a';
    expect(importError(() => importConstitutionValue(dup, { file: 'd.json' })).field).toBe('principles[2].id');
    const wrong = raw();
    wrong.principles[1].enabled = 'yes';
    expect(importError(() => importConstitutionValue(wrong, { file: 'w.json' })).message).toBe('w.json: principles[1].enabled must be true or false');
  });
});

describe('the CAI paper files', () => {
  it('reads a critique/revision map and strips its framing', () => {
    const map = {
      harmful0: { prompt: ['\n\nCritiqueRequest: Point out anything hurtful.\n\nCritique:'], edit_request: '\n\nRevisionRequest: Remove anything hurtful.\n\n' },
      harmful1: { prompt: 'Spot the rude parts.', edit_request: 'Make it polite.' },
      bad_advice_2: { prompt: ['first request', 'second request'], edit_request: 'Fix the advice.' },
    };
    const r = importConstitution(JSON.stringify(map, null, 2), { file: 'CritiqueRevisionInstructions.json' });
    expect(r.format).toBe('critique-map');
    const [a, b, c] = r.constitution.principles;
    expect(a).toMatchObject({ id: 'harmful0', name: 'Harmful 0', critique: 'Point out anything hurtful.', revision: 'Remove anything hurtful.' });
    expect(b.critique).toBe('Spot the rude parts.');
    expect(c).toMatchObject({ id: 'bad-advice-2', name: 'Bad advice 2', critique: 'first request' });
    expect(a.comparison).toBe(defaultComparison('Point out anything hurtful.'));
    expect(r.warnings.some((w) => /bad_advice_2\.prompt holds 2/.test(w))).toBe(true);
  });

  it('skips entries that are not critique/revision pairs, __proto__ included, without polluting prototypes', () => {
    const text = '{"__proto__": {"polluted": "yes"}, "constructor": 1, "k": {"prompt": ["c"], "edit_request": "r"}}';
    const r = importConstitution(text, { file: 'm.json' });
    expect(r.constitution.principles.map((p) => p.id)).toEqual(['k']);
    expect(r.warnings.filter((w) => /Skipped/.test(w))).toHaveLength(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.constitution)).toBe(Object.prototype);
  });

  it('reports a critique map entry with a wrong type', () => {
    const e = importError(() => importConstitution('{"k": {"prompt": [3], "edit_request": "r"}}', { file: 'm.json' }));
    expect(e.message).toBe('m.json: k.prompt[0] must be a string');
  });

  it('imports a comparison list as a comparison-only constitution', () => {
    const list = ['Which answer is kinder?\n\nOptions:', '  Which answer is more honest? Options:  '];
    const r = importConstitution(JSON.stringify(list), { file: 'cmp.json' });
    expect(r.format).toBe('comparison-list');
    expect(r.constitution.principles.map((p) => p.comparison)).toEqual(['Which answer is kinder?', 'Which answer is more honest?']);
    expect(r.constitution.principles.every((p) => p.critique === '' && p.revision === '')).toBe(true);
    expect(r.warnings.join()).toMatch(/comparison-only/);
  });

  it('merges a comparison list into an existing constitution by position, leaving the original untouched', () => {
    const base = { ...constitution(), builtin: true };
    const r = importConstitution(JSON.stringify(['new a', 'new b']), { file: 'cmp.json', mergeInto: base, now: 9 });
    expect(r.constitution.principles.map((p) => p.comparison)).toEqual(['new a', 'new b', 'cmp c']);
    expect(r.constitution.principles.map((p) => p.critique)).toEqual(['crit a', 'crit b', 'crit c']);
    expect(r.constitution.builtin).toBeUndefined();
    expect(r.constitution.updatedAt).toBe(9);
    expect(r.warnings.join()).toMatch(/first 2 of 3/);
    expect(base.principles[0].comparison).toBe('cmp a');
    const more = importConstitution(JSON.stringify(['1', '2', '3', '4', '5']), { file: 'cmp.json', mergeInto: base });
    expect(more.warnings.join()).toMatch(/2 comparison texts had no principle/);
  });

  it('unframes labels case-insensitively and keeps inner text', () => {
    expect(unframe('  critique request:  Look again.\nCarefully. ', 'critique')).toBe('Look again.\nCarefully.');
    expect(unframe('RevisionRequest:Rewrite it.\n\nRevision:', 'revision')).toBe('Rewrite it.');
  });
});

describe('format detection', () => {
  it('tells the four formats apart and rejects the rest', () => {
    expect(detectConstitutionFormat(JSON.parse(exportConstitution(constitution())))).toBe('cai-lab');
    expect(detectConstitutionFormat({ constitutions: [] })).toBe('llm-swarm');
    expect(detectConstitutionFormat({ a: { edit_request: 'x' } })).toBe('critique-map');
    expect(detectConstitutionFormat(['x'])).toBe('comparison-list');
    for (const v of [null, 3, 'x', [], [1], {}, { a: 1 }, [['x']]]) expect(detectConstitutionFormat(v)).toBeNull();
    expect(importError(() => importConstitution('{"a": 1}', { file: 'z.json' })).message).toMatch(/^z\.json: is not a constitution file/);
  });
});

describe('bad input', () => {
  it('names the line and column of a JSON syntax error', () => {
    const e = importError(() => importConstitution('{\n  "constitutions": [\n    {"critic": "a",, "revision": "b"}\n  ]\n}', { file: 'c.json' }));
    expect(e.line).toBe(3);
    expect(e.column).toBe(20);
    expect(e.message).toMatch(/^c\.json line 3, column 20: is not valid JSON/);
  });

  it('locates other syntax errors: raw control characters, bad escapes, trailing text, a missing colon', () => {
    const at = (text: string) => {
      const e = importError(() => importConstitution(text, { file: 'j.json' }));
      return [e.line, e.column, e.message.replace(/^.*?: is not valid JSON: /, '')];
    };
    expect(at('{"constitutions": [{"critic": "a\nb"}]}')).toEqual([1, 33, 'expected a valid string but found "\\n"']);
    expect(at('{"a": "\\q"}')).toEqual([1, 8, 'expected a valid string but found "\\\\"']);
    expect(at('{"a": 1}\n  x')).toEqual([2, 3, 'expected nothing more but found "x"']);
    expect(at('{"a" 1}')).toEqual([1, 6, 'expected ":" but found "1"']);
    expect(at('[1, 2 3]')).toEqual([1, 7, 'expected "," or "]" but found "3"']);
    expect(at('{"a": tru}')).toEqual([1, 7, 'expected a value but found "t"']);
  });

  it('refuses empty, binary, UTF-16, invalid UTF-8 and oversized files with a clear message', () => {
    expect(importError(() => importConstitution(new Uint8Array(), { file: 'e.json' })).message).toBe('e.json: is empty');
    expect(importError(() => importConstitution(' \r\n\t', { file: 'e.json' })).message).toBe('e.json: is empty');
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    expect(importError(() => importConstitution(random, { file: 'r.bin' })).message).toMatch(/^r\.bin: does not look like a text file/);
    expect(importError(() => importConstitution(new Uint8Array([0xff, 0xfe, 0x7b, 0]), { file: 'u.json' })).message).toMatch(/UTF-16/);
    const broken = new Uint8Array([...enc('{\n"a":\n"'), 0xc3, 0x28, ...enc('"}')]);
    const bad = importError(() => importConstitution(broken, { file: 'b.json' }));
    expect(bad.line).toBe(3);
    expect(bad.message).toMatch(/not valid UTF-8/);
    const big = `["${'x'.repeat(5 * 1024 * 1024)}"]`;
    expect(importError(() => importConstitution(big, { file: 'big.json' })).message).toMatch(/the most one import can take is 4\.0 MB/);
  });

  it('survives very deep nesting', () => {
    const depth = 200_000;
    const deep = `{"constitutions": [${'['.repeat(depth)}${']'.repeat(depth)}]}`;
    expect(importError(() => importConstitution(deep, { file: 'deep.json' })).message).toBe('deep.json: constitutions[0] must be an object');
    const unclosed = `{"constitutions": ${'['.repeat(depth)}`;
    expect(importError(() => importConstitution(unclosed, { file: 'deep.json' })).message).toMatch(/not valid JSON: expected a value or "\]" but found the end/);
  });

  it('ignores __proto__ and constructor keys in every format', () => {
    const own = JSON.parse(exportConstitution(constitution()));
    const text = JSON.stringify(own).replace('{"format"', '{"__proto__":{"polluted":1},"constructor":{"x":1},"format"').replace('{"id":"a"', '{"__proto__":{"enabled":false},"id":"a"');
    const c = importConstitution(text, { file: 'p.json' }).constitution;
    expect(c).toEqual(constitution());
    expect(c.principles[0].enabled).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A required field that is absent must not be answered by Object.prototype.
    const noName = JSON.parse(exportConstitution(constitution()));
    delete noName.name;
    noName.constructor = 'x';
    expect(importError(() => importConstitutionValue(noName, { file: 'p.json' })).field).toBe('name');
    const swarm = '{"__proto__": {"constitutions": [{"critic": "x", "revision": "y"}]}}';
    expect(importError(() => importConstitution(swarm, { file: 's.json' })).message).toMatch(/is not a constitution file/);
  });
});
