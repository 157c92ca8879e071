/**
 * JSON for imports: parse errors that name a line and column (engines' own messages differ, often
 * give no position, and may quote megabytes of input), and a reader whose errors name the field.
 */
import { ImportError } from './decode';

/** Parses `text`, or throws ImportError with the line and column of the first syntax error. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { problem, line, column } = describeJsonError(text);
    throw new ImportError({ file, problem, line, column });
  }
}

/** Where and why `text` is not JSON; for a per-line message (JSONL) or a whole-file one. */
export function describeJsonError(text: string): { problem: string; line?: number; column?: number } {
  const found = findJsonSyntaxError(text);
  // JSON.parse failed but the grammar is fine: only nesting deeper than the engine's stack does that.
  if (!found) return { problem: 'is nested too deeply to read' };
  const { line, column } = lineColumn(text, found.offset);
  const got = found.offset >= text.length ? 'the end of the text' : JSON.stringify(text[found.offset]);
  return { problem: `is not valid JSON: expected ${found.expected} but found ${got}`, line, column };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

type Want = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const EXPECTED: Record<Want, string> = {
  value: 'a value',
  valueOrClose: 'a value or "]"',
  key: 'a quoted property name',
  keyOrClose: 'a quoted property name or "}"',
  colon: '":"',
  commaOrClose: '"," or a closing bracket',
  end: 'nothing more',
};

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * First syntax error in `text`, or null when it is valid JSON. Iterative with an explicit stack,
 * so arbitrarily deep nesting cannot overflow the call stack; linear in the text's length.
 */
export function findJsonSyntaxError(text: string): { offset: number; expected: string } | null {
  const stack: string[] = [];
  let want = 'value' as Want;
  let i = 0;
  const afterValue = (): Want => (stack.length > 0 ? 'commaOrClose' : 'end');
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
    if (i >= text.length) return want === 'end' ? null : { offset: i, expected: EXPECTED[want] };
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (want === 'end') return { offset: i, expected: EXPECTED.end };
    if (want === 'colon') {
      if (ch !== ':') return { offset: i, expected: EXPECTED.colon };
      i++;
      want = 'value';
    } else if (want === 'commaOrClose' || (want === 'keyOrClose' && ch === '}') || (want === 'valueOrClose' && ch === ']')) {
      if (ch === ',' && want === 'commaOrClose') {
        want = top === '{' ? 'key' : 'value';
      } else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
        stack.pop();
        want = afterValue();
      } else {
        return { offset: i, expected: top === '{' ? '"," or "}"' : '"," or "]"' };
      }
      i++;
    } else if (want === 'key' || want === 'keyOrClose') {
      const end = ch === '"' ? stringEnd(text, i) : -1;
      if (end < 0) return { offset: ch === '"' ? -end - 1 : i, expected: ch === '"' ? 'a valid string' : EXPECTED[want] };
      i = end;
      want = 'colon';
    } else {
      const next = valueStep(text, i, stack);
      if (next.error) return { offset: next.at, expected: next.error };
      i = next.at;
      if (next.opened) want = next.opened === '{' ? 'keyOrClose' : 'valueOrClose';
      else want = afterValue();
    }
  }
}

/** One value token at `i`: a scalar (consumed whole) or an opening bracket (pushed). */
function valueStep(text: string, i: number, stack: string[]): { at: number; opened?: string; error?: string } {
  const ch = text[i];
  if (ch === '{' || ch === '[') {
    stack.push(ch);
    return { at: i + 1, opened: ch };
  }
  if (ch === '"') {
    const end = stringEnd(text, i);
    return end < 0 ? { at: -end - 1, error: 'a valid string' } : { at: end };
  }
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return { at: i + word.length };
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return { at: NUMBER.lastIndex };
  return { at: i, error: EXPECTED.value };
}

/** Index just past the string starting at `start`, or -(offset + 1) of the problem. */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -(j + 1);
    if (c === 0x5c) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1);
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        j++;
      } else {
        return -(j + 1);
      }
    }
  }
  return -(start + 1);
}

/**
 * Reads parsed JSON from an untrusted file. Fields are looked up as OWN properties only, so a
 * missing `constructor` or `__proto__` is never answered by Object.prototype, and values are
 * copied into fresh objects by the callers, never merged by key.
 */
export class JsonReader {
  constructor(
    readonly file: string,
    readonly value: unknown,
    /** e.g. `constitutions[3].critic`; empty for the top level. */
    readonly path = '',
  ) {}

  fail(problem: string): never {
    throw new ImportError({ file: this.file, field: this.path || 'the top level', problem });
  }

  isObject(): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value);
  }

  has(key: string): boolean {
    return this.isObject() && Object.hasOwn(this.value as object, key);
  }

  /** Child reader; a missing key reads as undefined. */
  get(key: string): JsonReader {
    if (!this.isObject()) this.fail('must be an object');
    const v = Object.hasOwn(this.value as object, key) ? (this.value as Record<string, unknown>)[key] : undefined;
    return new JsonReader(this.file, v, this.path ? `${this.path}.${key}` : key);
  }

  items(): JsonReader[] {
    if (!Array.isArray(this.value)) this.fail('must be an array');
    return (this.value as unknown[]).map((v, i) => new JsonReader(this.file, v, `${this.path}[${i}]`));
  }

  /** Own keys of an object, in file order. */
  keys(): string[] {
    if (!this.isObject()) this.fail('must be an object');
    return Object.keys(this.value as object);
  }

  str(fallback?: string): string {
    if (typeof this.value === 'string') return this.value;
    if (this.value === undefined && fallback !== undefined) return fallback;
    return this.fail(this.value === undefined ? 'is missing (it must be a string)' : 'must be a string');
  }

  bool(fallback?: boolean): boolean {
    if (typeof this.value === 'boolean') return this.value;
    if (this.value === undefined && fallback !== undefined) return fallback;
    return this.fail('must be true or false');
  }

  num(fallback?: number): number {
    if (typeof this.value === 'number' && Number.isFinite(this.value)) return this.value;
    if (this.value === undefined && fallback !== undefined) return fallback;
    return this.fail('must be a number');
  }
}
