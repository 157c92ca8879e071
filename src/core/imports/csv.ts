/**
 * RFC 4180 CSV: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and CR
 * all end a record. Linear time: quoted fields are scanned with indexOf, and a broken record costs
 * one error and a skip to the next line, never a rescan of the rest of the file.
 */

export interface CsvVisitor {
  /** A record and the line it starts on (1-based). */
  record(cells: string[], line: number): void;
  error(line: number, message: string): void;
}

export function parseCsv(text: string, delimiter: string, visit: CsvVisitor): void {
  const p = new CsvParser(text, delimiter.charCodeAt(0));
  while (p.i < text.length) {
    const line = p.line;
    const result = p.readRecord();
    if (typeof result === 'string') visit.error(p.errorLine, result);
    else if (!(result.length === 1 && result[0] === '')) visit.record(result, line);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

class CsvParser {
  i = 0;
  line = 1;
  errorLine = 1;

  constructor(
    private readonly text: string,
    private readonly delim: number,
  ) {}

  /** Cells of one record, or an error message (the parser then sits at the start of the next line). */
  readRecord(): string[] | string {
    const cells: string[] = [];
    // Errors name the line the record starts on, even when a quoted field ran over several lines.
    this.errorLine = this.line;
    for (;;) {
      const quoted = this.text.charCodeAt(this.i) === QUOTE;
      const cell = quoted ? this.readQuoted() : this.readPlain();
      if (cell === null) return this.fail(`a quoted field opened on this line is never closed`);
      cells.push(cell);
      const c = this.text.charCodeAt(this.i);
      if (c === this.delim) {
        this.i++;
        continue;
      }
      if (this.i >= this.text.length || c === LF || c === CR) {
        this.endLine();
        return cells;
      }
      return this.fail(`unexpected text after the closing quote of field ${cells.length}`);
    }
  }

  private readPlain(): string {
    const { text, delim } = this;
    const start = this.i;
    let j = start;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === delim || c === LF || c === CR) break;
    }
    this.i = j;
    return text.slice(start, j);
  }

  /** A quoted field; null when its closing quote never comes (the position is left unchanged). */
  private readQuoted(): string | null {
    const { text } = this;
    let j = this.i + 1;
    let value = '';
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) return null;
      value += text.slice(j, q);
      if (text.charCodeAt(q + 1) === QUOTE) {
        value += '"';
        j = q + 2;
        continue;
      }
      this.line += countBreaks(text, this.i, q);
      this.i = q + 1;
      return value;
    }
  }

  private endLine(): void {
    if (this.text.charCodeAt(this.i) === CR && this.text.charCodeAt(this.i + 1) === LF) this.i++;
    if (this.i < this.text.length) this.i++;
    this.line++;
  }

  /** Skips to the start of the next physical line. */
  private fail(message: string): string {
    let j = this.i;
    while (j < this.text.length && this.text.charCodeAt(j) !== LF && this.text.charCodeAt(j) !== CR) j++;
    this.i = j;
    this.endLine();
    return message;
  }
}

/** Line breaks (CRLF counted once) in text[from, to). */
function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c === LF || (c === CR && text.charCodeAt(j + 1) !== LF)) n++;
  }
  return n;
}
