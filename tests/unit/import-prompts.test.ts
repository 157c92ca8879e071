import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/imports/decode';
import {
  detectPromptFormat,
  firstHumanTurn,
  firstUserTurn,
  importPrompts,
  looksLikeHeader,
  type PromptImportOptions,
} from '../../src/core/imports/prompts';

const enc = (s: string) => new TextEncoder().encode(s);
/** Timeout for tests that build tens of megabytes (vitest's 5 s default is tight on a busy machine). */
const HEAVY = 60_000;
const texts = (input: string | Uint8Array, opts: PromptImportOptions) => importPrompts(input, opts).prompts.map((p) => p.text);

function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('pasted text and TXT', () => {
  it('takes one prompt per line, drops blanks and counts duplicates (case and spacing ignored)', () => {
    const r = importPrompts('\uFEFFFirst one\r\n\r\n  second   one \r\nfirst ONE\nSecond one\nthird', {
      file: 'pasted text',
      format: 'text',
      tags: ['mine'],
      idPrefix: 'x-',
    });
    expect(r.prompts).toEqual([
      { id: 'x-1', text: 'First one', tags: ['mine'], source: 'pasted text' },
      { id: 'x-2', text: '  second   one ', tags: ['mine'], source: 'pasted text' },
      { id: 'x-3', text: 'third', tags: ['mine'], source: 'pasted text' },
    ]);
    expect(r.duplicates).toBe(2);
    const trimmed = importPrompts('  second   one \n', { file: 'pasted text', format: 'text', trim: true });
    expect(trimmed.prompts.map((p) => p.text)).toEqual(['second   one']);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('text');
  });

  it('counts prompts already in the set as duplicates', () => {
    const r = importPrompts('a\nb\nc', { file: 'p.txt', existing: ['B', 'z'] });
    expect(r.prompts.map((p) => p.text)).toEqual(['a', 'c']);
    expect(r.duplicates).toBe(1);
  });

  it('reads old-Mac CR line ends and a source override', () => {
    const r = importPrompts('one\rtwo\r', { file: 'mac.txt', source: 'my notes' });
    expect(r.prompts.map((p) => [p.text, p.source])).toEqual([['one', 'my notes'], ['two', 'my notes']]);
  });

  it('refuses empty, binary and UTF-16 files; names the line of invalid UTF-8', () => {
    expect(importError(() => importPrompts('', { file: 'e.txt' })).message).toBe('e.txt: is empty');
    expect(importError(() => importPrompts(enc('\n \n'), { file: 'e.txt' })).message).toBe('e.txt: is empty');
    expect(importError(() => importPrompts(new Uint8Array([0xef, 0xbb, 0xbf]), { file: 'bom.txt' })).message).toBe('bom.txt: is empty');
    let seed = 7;
    const random = new Uint8Array(100_000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    expect(importError(() => importPrompts(random, { file: 'noise.bin' })).message).toMatch(/noise\.bin: does not look like a text file/);
    expect(importError(() => importPrompts(new Uint8Array([0xfe, 0xff, 0, 0x41]), { file: 'w.txt' })).message).toMatch(/UTF-16/);
    const broken = new Uint8Array([...enc('ok\nfine\nbad '), 0xe2, 0x82, ...enc('\nmore')]);
    // A UTF-16 surrogate encoded as UTF-8 (ED A0 80) is invalid too, and located exactly.
    const surrogate = importError(() => importPrompts(new Uint8Array([...enc('a\nb\n'), 0xed, 0xa0, 0x80]), { file: 's.txt' }));
    expect(surrogate.message).toMatch(/^s\.txt line 3: .*bad byte 0xed at byte 4/);
    const e = importError(() => importPrompts(broken, { file: 'b.txt' }));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^b\.txt line 3: is not valid UTF-8 text \(bad byte 0xe2 at byte 12\)/);
  });

  it('refuses an oversized input before reading it', () => {
    expect(importError(() => importPrompts('x'.repeat(2000), { file: 'big.txt', maxBytes: 1000 })).message).toMatch(/big\.txt: is 0\.0 MB/);
  });

  it('keeps a 100,000-character prompt and reports a 10 MB line by number, keeping the rest', () => {
    const long = 'w'.repeat(100_000);
    const huge = 'h'.repeat(10 * 1024 * 1024);
    const r = importPrompts(`${long}\n${huge}\nafter`, { file: 'long.txt' });
    expect(r.prompts.map((p) => p.text.length)).toEqual([100_000, 5]);
    expect(r.errors).toEqual([{ line: 2, message: 'the prompt is 10,485,760 characters long; at most 200,000 are allowed' }]);
  }, HEAVY);

  it('imports a 50 MB file in linear time', () => {
    const lines: string[] = [];
    for (let i = 0; i < 500_000; i++) lines.push(`Prompt number ${i % 250_000} asks about something ordinary`.padEnd(104, '.'));
    const bytes = enc(lines.join('\r\n'));
    expect(bytes.length).toBeGreaterThan(50_000_000);
    const started = performance.now();
    const r = importPrompts(bytes, { file: 'big.txt' });
    const ms = performance.now() - started;
    expect(r.prompts).toHaveLength(250_000);
    expect(r.duplicates).toBe(250_000);
    expect(ms).toBeLessThan(15_000);
  }, HEAVY);
});

describe('byte-exact prompts', () => {
  const tricky = ['  indented code', 'trailing tab\t', '\nstarts with a line break', 'ends with one\n', '\u00a0no-break space\u00a0', 'plain', 'e\u0301 combining', '👩‍💻 emoji', '  both  '];

  it('keeps every JSONL prompt exactly as written unless trimming is asked for', () => {
    const jsonl = tricky.map((prompt) => JSON.stringify({ prompt })).join('\n');
    expect(importPrompts(jsonl, { file: 'p.jsonl' }).prompts.map((p) => p.text)).toEqual(tricky);
    expect(importPrompts(jsonl, { file: 'p.jsonl', trim: true }).prompts.map((p) => p.text)).toEqual(tricky.map((t) => t.trim()));
  });

  it('still refuses prompts that are only whitespace', () => {
    const r = importPrompts([' ', '\t'].map((prompt) => JSON.stringify({ prompt })).join('\n'), { file: 'p.jsonl' });
    expect(r.prompts).toEqual([]);
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^the prompt is empty/), expect.stringMatching(/^the prompt is empty/)]);
  });
});

describe('CSV', () => {
  const csv = [
    'id,prompt,notes',
    '1,"Hello, world",plain',
    '2,"She said ""hi""",x',
    '3,"two',
    'lines",y',
    '4,unquoted text,z',
    '',
  ].join('\r\n');

  it('follows RFC 4180 quoting and picks the prompt column by name', () => {
    const r = importPrompts(csv, { file: 'p.csv' });
    expect(r.prompts.map((p) => p.text)).toEqual(['Hello, world', 'She said "hi"', 'two\r\nlines', 'unquoted text']);
    expect(r.columns).toEqual(['id', 'prompt', 'notes']);
    expect(r.column).toBe(1);
    expect(r.header).toBe(true);
    expect(r.errors).toEqual([]);
  });

  it('lets the caller choose the column by name or index', () => {
    expect(texts(csv, { file: 'p.csv', column: 'NOTES' })).toEqual(['plain', 'x', 'y', 'z']);
    expect(texts(csv, { file: 'p.csv', column: 0 })).toEqual(['1', '2', '3', '4']);
    expect(importError(() => importPrompts(csv, { file: 'p.csv', column: 'missing' })).message).toBe(
      'p.csv: has no column named "missing" (columns: id, prompt, notes)',
    );
    expect(importError(() => importPrompts(csv, { file: 'p.csv', column: 5 })).message).toBe('p.csv: has no column 6 (it has 3)');
  });

  it('guesses whether the first row is a header', () => {
    expect(texts('Write a poem\nTell a joke', { file: 'p.csv' })).toEqual(['Write a poem', 'Tell a joke']);
    expect(texts('user_request\nTell a joke', { file: 'p.csv' })).toEqual(['Tell a joke']);
    expect(texts('Question,Answer\nWhy?,Because', { file: 'p.csv' })).toEqual(['Why?']);
    expect(texts('Prompt text,Source\nHi,me', { file: 'p.csv', header: false })).toEqual(['Prompt text', 'Hi']);
    expect(looksLikeHeader(['What is up?'])).toBe(false);
    expect(looksLikeHeader(['a', 'a'])).toBe(false);
  });

  it('reports malformed records by line and keeps the rest', () => {
    const text = ['prompt,tag', '"multi', 'line",a', '"bad"x,b', 'good one,c', 'short', '"never closed,d', 'last,e'].join('\n');
    const r = importPrompts(text, { file: 'm.csv', column: 'tag' });
    expect(r.prompts.map((p) => p.text)).toEqual(['a', 'c', 'e']);
    expect(r.errors).toEqual([
      { line: 4, message: 'unexpected text after the closing quote of field 1' },
      { line: 6, message: 'has 1 columns, so column 2 is missing' },
      { line: 7, message: 'a quoted field opened on this line is never closed' },
    ]);
  });

  it('counts CRLF as one line break, inside and outside quotes', () => {
    const text = 'prompt,x\r\n"a\r\nb",1\r\n"bad"!,2\r\nok,3\r\n';
    const r = importPrompts(text, { file: 'crlf.csv' });
    expect(r.prompts.map((p) => p.text)).toEqual(['a\r\nb', 'ok']);
    expect(r.errors.map((e) => e.line)).toEqual([4]);
  });

  it('reads TSV by extension', () => {
    expect(texts('prompt\tx\n"a\tb"\t1\nc\t2', { file: 'p.tsv' })).toEqual(['a\tb', 'c']);
  });

  it('stays linear on pathological quoting and a 10 MB line', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `"open ${i}`);
    const started = performance.now();
    const r = importPrompts(['prompt', ...lines].join('\n'), { file: 'q.csv', maxErrors: 10 });
    expect(performance.now() - started).toBeLessThan(8_000);
    // Each stray quote pairs with the next line's, so every two lines make one broken record.
    expect(r.errors.map((e) => e.line)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(r.moreErrors + r.errors.length).toBe(100_000);
    expect(r.prompts).toEqual([]);
    const one = importPrompts(`prompt\n"${'y'.repeat(10 * 1024 * 1024)}"\nok`, { file: 'l.csv' });
    expect(one.prompts.map((p) => p.text)).toEqual(['ok']);
    expect(one.errors[0].line).toBe(2);
  }, HEAVY);
});

describe('JSONL and JSON', () => {
  const rows = [
    { prompt: 'plain prompt', tags: ['t1', 5] },
    { instruction: 'Summarise this', input: 'Some context', output: 'ignored' },
    { text: 'from text' },
    { question: 'from question?' },
    { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'from messages' }, { role: 'assistant', content: 'a' }] },
    { conversations: [{ from: 'human', value: 'from sharegpt' }] },
    { chosen: '\n\nHuman: from hh\nsecond line\n\nAssistant: answer\n\nHuman: later', rejected: '\n\nHuman: from hh\n\nAssistant: other' },
    { prompt: [{ role: 'user', content: [{ type: 'text', text: 'from parts' }] }] },
    'a bare string',
  ];
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');

  it('finds the prompt in the usual fields, row by row', () => {
    const r = importPrompts(jsonl, { file: 'p.jsonl', tags: ['imp'] });
    expect(r.prompts.map((p) => p.text)).toEqual([
      'plain prompt',
      'Summarise this\n\nSome context',
      'from text',
      'from question?',
      'from messages',
      'from sharegpt',
      'from hh\nsecond line',
      'from parts',
      'a bare string',
    ]);
    expect(r.prompts[0].tags).toEqual(['imp', 't1']);
    expect(r.errors).toEqual([]);
    expect(r.fields).toEqual(['prompt', 'tags', 'instruction', 'input', 'output', 'text', 'question', 'messages', 'conversations', 'chosen', 'rejected']);
  });

  it('uses a chosen field, and says which rows lack it', () => {
    const text = ['{"q": "one", "prompt": "no"}', '{"prompt": "two"}', '{"q": 3}', '{"q": "\\n\\nHuman: hh turn\\n\\nAssistant: x"}'].join('\n');
    const r = importPrompts(text, { file: 'f.jsonl', field: 'q' });
    expect(r.prompts.map((p) => p.text)).toEqual(['one', 'hh turn']);
    expect(r.errors).toEqual([
      { line: 2, message: 'has no field "q"' },
      { line: 3, message: 'field "q" is a number: neither text nor a conversation with a user turn' },
    ]);
  });

  it('reports malformed lines with line and column, and keeps the rest (CRLF, BOM)', () => {
    const text = '\uFEFF{"prompt": "ok 1"}\r\n{"prompt": "broken",}\r\n\r\n[1, 2]\r\n{"nothing": "here"}\r\n42\r\n{"prompt": "ok 2"}\r\n';
    const r = importPrompts(enc(text), { file: 'm.jsonl' });
    expect(r.prompts.map((p) => p.text)).toEqual(['ok 1', 'ok 2']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 4, 5, 6]);
    expect(r.errors[0].message).toBe('the line is not valid JSON: expected a quoted property name but found "}" at column 21');
    expect(r.errors[1].message).toMatch(/expected a JSON object/);
    expect(r.errors[2].message).toMatch(/no prompt found/);
  });

  it('does not read prototype keys: __proto__ and constructor are never prompts', () => {
    const text = ['{"__proto__": {"prompt": "sneaky"}}', '{"constructor": {"prompt": "x"}}', '{"prompt": "fine"}'].join('\n');
    const r = importPrompts(text, { file: 'p.jsonl' });
    expect(r.prompts.map((p) => p.text)).toEqual(['fine']);
    expect(r.errors.map((e) => e.line)).toEqual([1, 2]);
    expect(importPrompts('{"a": "x"}', { file: 'p.jsonl', field: 'constructor' }).errors).toEqual([{ line: 1, message: 'has no field "constructor"' }]);
    expect(({} as Record<string, unknown>).prompt).toBeUndefined();
  });

  it('survives deep nesting and a 10 MB line', () => {
    const deep = `{"prompt": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const big = JSON.stringify({ prompt: 'small prompt', blob: 'z'.repeat(10 * 1024 * 1024) });
    const r = importPrompts(`${deep}\n${big}\n{"prompt": "${'p'.repeat(300_000)}"}`, { file: 'd.jsonl' });
    expect(r.prompts.map((p) => p.text)).toEqual(['small prompt']);
    expect(r.errors.map((e) => e.line)).toEqual([1, 3]);
    expect(r.errors[1].message).toMatch(/300,000 characters/);
  }, HEAVY);

  it('reads a JSON array, numbering problems by item', () => {
    const r = importPrompts('[{"instruction": "a"}, 5, "b", {"prompt": "A"}]', { file: 'alpaca.json' });
    expect(r.format).toBe('json');
    expect(r.prompts.map((p) => p.text)).toEqual(['a', 'b']);
    expect(r.duplicates).toBe(1);
    expect(r.errors).toEqual([{ line: 2, message: 'item 2: expected a JSON object (or a string), found 5' }]);
    expect(importError(() => importPrompts('{"prompt": 1}', { file: 'x.json', format: 'json' })).message).toMatch(/must be a JSON array/);
    expect(importError(() => importPrompts('[1,\n2,,]', { file: 'x.json' })).line).toBe(2);
  });

  it('caps the listed errors and counts the rest', () => {
    const r = importPrompts(Array.from({ length: 2000 }, () => 'not json').join('\n'), { file: 'bad.jsonl' });
    expect(r.errors).toHaveLength(500);
    expect(r.moreErrors).toBe(1500);
    expect(r.errors[499].line).toBe(500);
  });
});

describe('helpers', () => {
  it('detects the format from the extension, then the content', () => {
    expect(detectPromptFormat('a.CSV', '{')).toBe('csv');
    expect(detectPromptFormat('a.ndjson', 'x')).toBe('jsonl');
    expect(detectPromptFormat('a.json', '  [1]')).toBe('json');
    expect(detectPromptFormat('a.json', '{"a":1}\n{"a":2}')).toBe('jsonl');
    expect(detectPromptFormat('a.txt', '{"a":1}')).toBe('text');
    expect(detectPromptFormat('pasted', '\n {"a":1}')).toBe('jsonl');
    expect(detectPromptFormat('pasted', 'hello')).toBe('text');
  });

  it('takes the first human turn of a transcript', () => {
    expect(firstHumanTurn('\n\nHuman: Hi there\n\nAssistant: Hello')).toBe('Hi there');
    expect(firstHumanTurn('Human: only turn')).toBe('only turn');
    expect(firstHumanTurn('\n\nHuman: a\n\nHuman: b')).toBe('a');
    expect(firstHumanTurn('\n\nHuman:\n\nAssistant: x')).toBeNull();
    expect(firstHumanTurn('no transcript')).toBeNull();
  });

  it('takes the first user turn of a message list', () => {
    expect(firstUserTurn([{ role: 'assistant', content: 'a' }, { role: 'user', content: 'u' }])).toBe('u');
    expect(firstUserTurn([null, 3, { role: 'user', content: 5 }])).toBeNull();
    expect(firstUserTurn([])).toBeNull();
  });
});
