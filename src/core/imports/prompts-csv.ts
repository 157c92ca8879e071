/**
 * The CSV side of prompt import: which delimiter a file uses, whether its first row names the
 * columns, and which column holds the prompt. Rows are handed to a sink (the prompt collector).
 */
import { parseCsv } from './csv';
import { ImportError } from './decode';
import { AUTO_FIELDS } from './prompt-fields';

/** The CSV choices of PromptImportOptions (see there). */
export interface CsvPromptOptions {
  file: string;
  column?: string | number;
  header?: boolean;
  delimiter?: string;
}

/** What the CSV reader feeds: one prompt cell per row, or an error on a line. */
export interface CsvPromptSink {
  add(raw: string, line: number): void;
  error(line: number, message: string): void;
}

/** CSV facts for the preview: the column names (or "Column 1"…), the chosen one, whether row 1 was a header. */
export interface CsvLayout {
  columns: string[];
  column: number;
  header: boolean;
}

export function importCsv(text: string, opts: CsvPromptOptions, out: CsvPromptSink): CsvLayout {
  const delimiter = opts.delimiter ?? (/\.tsv$/i.test(opts.file) ? '\t' : sniffDelimiter(text));
  let layout: CsvLayout | null = null;
  parseCsv(text, delimiter, {
    error: (line, message) => out.error(line, message),
    record: (cells, line) => {
      if (!layout) {
        const header = opts.header ?? looksLikeHeader(cells);
        const columns = header ? cells.map((c, i) => c.trim() || `Column ${i + 1}`) : cells.map((_, i) => `Column ${i + 1}`);
        layout = { columns, column: chooseColumn(columns, header, opts), header };
        if (header) return;
      }
      const { column } = layout;
      if (column >= cells.length) out.error(line, `has ${cells.length} columns, so column ${column + 1} is missing`);
      else out.add(cells[column], line);
    },
  });
  if (!layout) throw new ImportError({ file: opts.file, problem: 'has no CSV records' });
  return layout;
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

function chooseColumn(columns: string[], header: boolean, opts: CsvPromptOptions): number {
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
