/**
 * Prompt import from pasted text, TXT, CSV, JSONL and JSON arrays. Whole-input problems (binary,
 * empty, unknown column) throw ImportError; a bad line becomes one entry in `errors` and the rest
 * is kept. Every pass is linear, so a 50 MB dump or a 10 MB single line stays responsive.
 */
import type { PromptItem } from '../types';
import { promptProblem } from '../prompt-check';
import { parseCsv } from './csv';
import { decodeText, forEachLine, ImportError, type TextInput } from './decode';
import { describeJsonError, parseJsonText } from './json';

export type PromptFormat = 'text' | 'csv' | 'jsonl' | 'json';

export interface PromptImportOptions {
  /** File name (or e.g. "pasted text"): used in messages and as the default source. */
  file: string;
  /** Default: from the file's extension, else from its content. */
  format?: PromptFormat;
  /** CSV: column name or 0-based index. Default: a column named like a prompt, else the first. */
  column?: string | number;
  /** CSV: whether the first record names the columns. Default: guessed. */
  header?: boolean;
  /** CSV: default "," (tab for .tsv files). */
  delimiter?: string;
  /** JSONL/JSON: the field holding the prompt. Default: tried per row (see AUTO_FIELDS). */
  field?: string;
  tags?: string[];
  source?: string;
  /** Strip spaces and line breaks at each prompt's start and end. Default false: prompts stay byte-exact. */
  trim?: boolean;
  /** Prompt ids are `${idPrefix}${n}`; callers pick a prefix unique within the set. */
  idPrefix?: string;
  /** Texts already in the set: importing them again counts as a duplicate. */
  existing?: Iterable<string>;
  maxPromptChars?: number;
  /** Stop listing line errors after this many (the rest are counted in `moreErrors`). */
  maxErrors?: number;
  maxBytes?: number;
}

export interface PromptLineError {
  /** 1-based line; for a JSON array, the 1-based item number. */
  line: number;
  message: string;
}

export interface PromptImportResult {
  prompts: PromptItem[];
  errors: PromptLineError[];
  /** Errors beyond `maxErrors`, counted but not listed. */
  moreErrors: number;
  duplicates: number;
  format: PromptFormat;
  /** CSV: the column names (or "Column 1"…), the chosen column's index, and whether row 1 was a header. */
  columns?: string[];
  column?: number;
  header?: boolean;
  /** JSONL/JSON: field names seen in the first rows, for the UI's field picker. */
  fields?: string[];
}

/** Fields tried, in order, when no field is chosen. */
export const AUTO_FIELDS = ['prompt', 'instruction', 'text', 'question', 'messages', 'conversations', 'input', 'query'];
/** 100,000-character prompts must survive (issue 6); a 10 MB one is a mistake worth naming. */
export const MAX_PROMPT_CHARS = 200_000;

export function importPrompts(input: TextInput, opts: PromptImportOptions): PromptImportResult {
  const text = decodeText(input, opts.file, { maxBytes: opts.maxBytes });
  const format = opts.format ?? detectPromptFormat(opts.file, text);
  const out = new Collector(opts, format);
  if (format === 'text') forEachLine(text, (line, n) => line.trim() !== '' && out.add(line, n));
  else if (format === 'csv') importCsv(text, opts, out);
  else if (format === 'jsonl') importJsonLines(text, opts, out);
  else importJsonArray(text, opts, out);
  return out.result();
}

export function detectPromptFormat(file: string, text: string): PromptFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  const first = /\S/.exec(text.slice(0, 1000))?.[0];
  if (ext === 'json') return first === '[' ? 'json' : 'jsonl';
  if (ext === 'txt' || ext === 'text' || ext === 'md') return 'text';
  return first === '{' ? 'jsonl' : first === '[' ? 'json' : 'text';
}

/** Accumulates prompts with duplicate removal, length limits, ids, tags and capped errors. */
class Collector {
  private readonly prompts: PromptItem[] = [];
  private readonly errors: PromptLineError[] = [];
  private readonly seen = new Set<string>();
  private readonly max: number;
  private readonly maxErrors: number;
  private moreErrors = 0;
  private duplicates = 0;
  extra: Partial<PromptImportResult> = {};

  constructor(
    private readonly opts: PromptImportOptions,
    private readonly format: PromptFormat,
  ) {
    for (const t of opts.existing ?? []) this.seen.add(dedupeKey(t));
    this.max = opts.maxPromptChars ?? MAX_PROMPT_CHARS;
    this.maxErrors = opts.maxErrors ?? 500;
  }

  add(raw: string, line: number, rowTags: string[] = []): void {
    const problem = promptProblem(raw);
    if (problem) return this.error(line, problem);
    const text = this.opts.trim ? raw.trim() : raw;
    if (text.length > this.max) {
      return this.error(line, `the prompt is ${text.length.toLocaleString('en')} characters long; at most ${this.max.toLocaleString('en')} are allowed`);
    }
    const key = dedupeKey(text);
    if (this.seen.has(key)) {
      this.duplicates++;
      return;
    }
    this.seen.add(key);
    const item: PromptItem = { id: `${this.opts.idPrefix ?? 'imported-'}${this.prompts.length + 1}`, text };
    const tags = [...new Set([...(this.opts.tags ?? []), ...rowTags])];
    if (tags.length > 0) item.tags = tags;
    item.source = this.opts.source ?? this.opts.file;
    this.prompts.push(item);
  }

  error(line: number, message: string): void {
    if (this.errors.length < this.maxErrors) this.errors.push({ line, message });
    else this.moreErrors++;
  }

  result(): PromptImportResult {
    const { prompts, errors, moreErrors, duplicates, format } = this;
    return { prompts, errors, moreErrors, duplicates, format, ...this.extra };
  }
}

/** Case and spacing differences do not make a prompt new. */
function dedupeKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

function importCsv(text: string, opts: PromptImportOptions, out: Collector): void {
  const delimiter = opts.delimiter ?? (/\.tsv$/i.test(opts.file) ? '\t' : sniffDelimiter(text));
  let column = -1;
  parseCsv(text, delimiter, {
    error: (line, message) => out.error(line, message),
    record: (cells, line) => {
      if (column < 0) {
        const header = opts.header ?? looksLikeHeader(cells);
        const columns = header ? cells.map((c, i) => c.trim() || `Column ${i + 1}`) : cells.map((_, i) => `Column ${i + 1}`);
        column = chooseColumn(columns, header, opts);
        out.extra = { columns, column, header };
        if (header) return;
      }
      if (column >= cells.length) out.error(line, `has ${cells.length} columns, so column ${column + 1} is missing`);
      else out.add(cells[column], line);
    },
  });
  if (column < 0) throw new ImportError({ file: opts.file, problem: 'has no CSV records' });
}

const HEADER_NAMES = new Set([...AUTO_FIELDS, 'prompts', 'content', 'request', 'user', 'message', 'goal', 'behavior']);

/** A first row of short, unique, label-like cells (or a known column name) is taken as a header. */
export function looksLikeHeader(cells: string[]): boolean {
  const names = cells.map((c) => c.trim());
  if (names.some((n) => HEADER_NAMES.has(n.toLowerCase()))) return true;
  const labelLike = names.every((n) => /^[\p{L}\p{N}_ .-]{1,40}$/u.test(n) && !/[.?!]$/.test(n));
  if (!labelLike || new Set(names).size !== names.length) return false;
  // One cell of ordinary words is more likely a first prompt ("Write a poem") than a label.
  return names.length > 1 || !/\s/.test(names[0]);
}

function chooseColumn(columns: string[], header: boolean, opts: PromptImportOptions): number {
  const { column } = opts;
  if (typeof column === 'number') {
    if (Number.isInteger(column) && column >= 0 && column < columns.length) return column;
    throw new ImportError({ file: opts.file, problem: `has no column ${column + 1} (it has ${columns.length})` });
  }
  const lower = columns.map((c) => c.toLowerCase());
  if (typeof column === 'string') {
    const exact = columns.indexOf(column);
    const i = exact >= 0 ? exact : lower.indexOf(column.toLowerCase());
    if (i >= 0) return i;
    throw new ImportError({ file: opts.file, problem: `has no column named "${column}" (columns: ${columns.join(', ')})` });
  }
  if (!header) return 0;
  const auto = AUTO_FIELDS.map((f) => lower.indexOf(f)).find((i) => i >= 0);
  return auto ?? 0;
}

function importJsonLines(text: string, opts: PromptImportOptions, out: Collector): void {
  const fields = new FieldNames();
  forEachLine(text, (line, n) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      const { problem, column } = describeJsonError(line);
      return out.error(n, column === undefined ? `the line ${problem}` : `the line ${problem} at column ${column}`);
    }
    takeRow(row, n, '', opts, out, fields);
  });
  out.extra = { fields: fields.list() };
}

function importJsonArray(text: string, opts: PromptImportOptions, out: Collector): void {
  const value = parseJsonText(text, opts.file);
  if (!Array.isArray(value)) throw new ImportError({ file: opts.file, problem: 'must be a JSON array of prompts (or use JSON Lines)' });
  const fields = new FieldNames();
  value.forEach((row, i) => takeRow(row, i + 1, `item ${i + 1}: `, opts, out, fields));
  out.extra = { fields: fields.list() };
}

function takeRow(row: unknown, n: number, where: string, opts: PromptImportOptions, out: Collector, fields: FieldNames): void {
  if (typeof row === 'string') return out.add(row, n);
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    return out.error(n, `${where}expected a JSON object (or a string), found ${Array.isArray(row) ? 'an array' : JSON.stringify(row)}`);
  }
  const obj = row as Record<string, unknown>;
  fields.see(obj);
  const found = opts.field === undefined ? autoPrompt(obj) : fieldPrompt(obj, opts.field);
  if (typeof found === 'string') return out.add(found, n, rowTags(obj));
  out.error(n, where + found.error);
}

/** Extra tags a row carries itself (`tags: [...]`). */
function rowTags(obj: Record<string, unknown>): string[] {
  const tags = Object.hasOwn(obj, 'tags') ? obj.tags : undefined;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string' && t.length <= 100).slice(0, 20) : [];
}

function fieldPrompt(obj: Record<string, unknown>, field: string): string | { error: string } {
  if (!Object.hasOwn(obj, field)) return { error: `has no field "${field}"` };
  return textOf(obj[field]) ?? { error: `field "${field}" is ${kindOfValue(obj[field])}: neither text nor a conversation with a user turn` };
}

function autoPrompt(obj: Record<string, unknown>): string | { error: string } {
  /** The first prompt field that is there but holds no text: named if nothing else is found. */
  let wrongType: string | null = null;
  for (const field of AUTO_FIELDS) {
    if (!Object.hasOwn(obj, field)) continue;
    const text = textOf(obj[field]);
    if (text === null) {
      wrongType ??= field;
      continue;
    }
    // Alpaca-style rows keep context in `input`; the request needs it to make sense.
    const extra = field === 'instruction' && Object.hasOwn(obj, 'input') && typeof obj.input === 'string' ? obj.input.trim() : '';
    return extra ? `${text}\n\n${extra}` : text;
  }
  // Anthropic HH-style rows have only transcripts (`chosen`, `rejected`): take the first human turn.
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (typeof v === 'string' && isTranscript(v)) return firstHumanTurn(v) ?? '';
  }
  if (wrongType !== null) return { error: `${wrongType} is ${kindOfValue(obj[wrongType])}, not text` };
  return { error: `no prompt found (looked for ${AUTO_FIELDS.join(', ')} and "Human:" transcripts)` };
}

/** "a number", "true or false", "empty (null)", "an object", "a list without a user turn". */
function kindOfValue(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list without a user turn';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true or false';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * The delimiter of a CSV file whose name does not say: the one of comma, semicolon and tab that
 * occurs most on the first line outside quotes (European spreadsheets write semicolons); comma on a tie.
 */
export function sniffDelimiter(text: string): string {
  const end = text.search(/\r|\n/);
  const first = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const n = first.split(d).length - 1;
    if (n > most) (best = d), (most = n);
  }
  return best;
}

/** A prompt from a field's value: plain text, an HH transcript, or a message list. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return isTranscript(v) ? firstHumanTurn(v) : v;
  if (Array.isArray(v)) return firstUserTurn(v);
  return null;
}

export function isTranscript(s: string): boolean {
  return /^\s*Human:/.test(s.slice(0, 200));
}

/** Text of the first "Human:" turn of an "\n\nHuman: …\n\nAssistant: …" transcript, or null. */
export function firstHumanTurn(s: string): string | null {
  const start = /(?:^|\n)[ \t]*Human:[ \t]*/.exec(s);
  if (!start) return null;
  const from = start.index + start[0].length;
  const next = /\n[ \t]*(?:Assistant|Human):/g;
  next.lastIndex = from;
  const end = next.exec(s)?.index ?? s.length;
  const text = s.slice(from, end).trim();
  return text === '' ? null : text;
}

/** First user turn of OpenAI-style (`role`/`content`) or ShareGPT-style (`from`/`value`) messages. */
export function firstUserTurn(messages: unknown[]): string | null {
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const rec = m as Record<string, unknown>;
    const role = own(rec, 'role') ?? own(rec, 'from');
    if (role !== 'user' && role !== 'human') continue;
    const content = own(rec, 'content') ?? own(rec, 'value');
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) return partsText(content);
    return null;
  }
  return null;
}

/** Text parts of a multi-part message (`[{type: "text", text}]`), joined. */
function partsText(parts: unknown[]): string | null {
  const texts = parts.flatMap((p) => {
    const t = typeof p === 'object' && p !== null ? own(p as Record<string, unknown>, 'text') : undefined;
    return typeof t === 'string' ? [t] : [];
  });
  return texts.length > 0 ? texts.join('\n') : null;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Field names in order of first sight, from the first rows only (enough for a picker, cheap). */
class FieldNames {
  private readonly names = new Set<string>();
  private rows = 0;
  see(obj: object): void {
    if (this.rows++ >= 1000) return;
    for (const key of Object.keys(obj)) if (this.names.size < 200) this.names.add(key);
  }
  list(): string[] {
    return [...this.names];
  }
}
