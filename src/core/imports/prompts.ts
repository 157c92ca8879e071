/**
 * Prompt import from pasted text, TXT, CSV, JSONL and JSON arrays. Whole-input problems (binary,
 * empty, unknown column) throw ImportError; a bad line becomes one entry in `errors` and the rest
 * is kept. Every pass is linear, so a 50 MB dump or a 10 MB single line stays responsive.
 */
import type { PromptItem } from '../types';
import { promptProblem } from '../prompt-check';
import { autoPrompt, fieldPrompt, rowTags } from './prompt-fields';
import { importCsv } from './prompts-csv';
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

export { AUTO_FIELDS, firstHumanTurn, firstUserTurn, isTranscript } from './prompt-fields';
export { looksLikeHeader, sniffDelimiter } from './prompts-csv';
/** 100,000-character prompts must survive (issue 6); a 10 MB one is a mistake worth naming. */
export const MAX_PROMPT_CHARS = 200_000;

export function importPrompts(input: TextInput, opts: PromptImportOptions): PromptImportResult {
  const text = decodeText(input, opts.file, { maxBytes: opts.maxBytes });
  const format = opts.format ?? detectPromptFormat(opts.file, text);
  const out = new Collector(opts, format);
  if (format === 'text') forEachLine(text, (line, n) => line.trim() !== '' && out.add(line, n));
  else if (format === 'csv') out.extra = importCsv(text, opts, out);
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
