/**
 * Bytes → text for every import. Files come from strangers: they may be binary, UTF-16, damaged
 * UTF-8, empty or enormous. Each of those gets one plain sentence naming the file (and the line,
 * where there is one) instead of a garbled import or a frozen tab.
 */

/** A whole-input problem. The message always starts with the file name. */
export class ImportError extends Error {
  readonly file: string;
  /** Path of the offending value, e.g. `constitutions[3].critic`. */
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(detail: { file: string; problem: string; field?: string; line?: number; column?: number }) {
    super(formatProblem(detail));
    this.name = 'ImportError';
    this.file = detail.file;
    if (detail.field !== undefined) this.field = detail.field;
    if (detail.line !== undefined) this.line = detail.line;
    if (detail.column !== undefined) this.column = detail.column;
  }
}

function formatProblem(d: { file: string; problem: string; field?: string; line?: number; column?: number }): string {
  let where = d.file;
  if (d.line !== undefined) where += ` line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''}`;
  return `${where}: ${d.field ? `${d.field} ` : ''}${d.problem}`;
}

/** Big enough for a 50 MB prompt dump, small enough that a mistaken video file is refused at once. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface DecodeOptions {
  maxBytes?: number;
}

export type TextInput = string | Uint8Array | ArrayBuffer;

/**
 * Decodes an imported file (or pasted text) to a string without a byte-order mark.
 * Throws ImportError for empty, oversized, binary, UTF-16 or invalid UTF-8 input.
 */
export function decodeText(input: TextInput, file: string, opts: DecodeOptions = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof input === 'string') {
    // A JS string holds up to 3 UTF-8 bytes per code unit; the char count is a cheap, fair proxy.
    if (input.length > maxBytes) throw tooBig(file, input.length, maxBytes);
    return nonEmpty(input.replace(/^\uFEFF/, ''), file);
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length > maxBytes) throw tooBig(file, bytes.length, maxBytes);
  if (bytes.length === 0) throw new ImportError({ file, problem: 'is empty' });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportError({ file, problem: 'is saved as UTF-16; save it as UTF-8 and import it again' });
  }
  // Text files never hold NUL; random bytes and binaries almost always do within the first 64 KiB.
  if (bytes.subarray(0, 65536).includes(0)) {
    throw new ImportError({ file, problem: 'does not look like a text file (it contains NUL bytes)' });
  }
  let text: string;
  try {
    // fatal: refuse damaged UTF-8 rather than silently replacing it with U+FFFD.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ImportError({
      file,
      line: lineOfByte(bytes, at),
      problem: `is not valid UTF-8 text (bad byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte ${at}); save it as UTF-8 and try again`,
    });
  }
  // TextDecoder already drops a leading BOM; this catches a doubled one.
  return nonEmpty(text.replace(/^\uFEFF/, ''), file);
}

function nonEmpty(text: string, file: string): string {
  if (!/\S/.test(text)) throw new ImportError({ file, problem: 'is empty' });
  return text;
}

function tooBig(file: string, size: number, max: number): ImportError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new ImportError({ file, problem: `is ${mb(size)}; the most one import can take is ${mb(max)}` });
}

/** 1-based line holding byte `offset`. */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (only called once decoding has failed). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !continuationOk(bytes, i, need)) return i;
    i += need + 1;
  }
  return bytes.length - 1;
}

/** The bytes after a lead byte: all continuation bytes, and no overlong, surrogate or >U+10FFFF form. */
function continuationOk(bytes: Uint8Array, i: number, need: number): boolean {
  if (i + need >= bytes.length) return false;
  for (let k = 1; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
  const b = bytes[i];
  const b1 = bytes[i + 1];
  if (b === 0xe0 && b1 < 0xa0) return false;
  if (b === 0xed && b1 > 0x9f) return false;
  if (b === 0xf0 && b1 < 0x90) return false;
  if (b === 0xf4 && b1 > 0x8f) return false;
  return true;
}

/**
 * Calls `visit` for each line (1-based numbers), accepting LF, CRLF and old-Mac CR endings.
 * Walks with indexOf instead of split so a 50 MB input never holds a second copy as an array.
 */
export function forEachLine(text: string, visit: (line: string, lineNo: number) => void): void {
  const nl = text.includes('\n') ? '\n' : '\r';
  let start = 0;
  let lineNo = 1;
  while (start <= text.length) {
    let end = text.indexOf(nl, start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (nl === '\n' && line.endsWith('\r')) line = line.slice(0, -1);
    if (!(end === text.length && line === '' && lineNo > 1)) visit(line, lineNo);
    start = end + 1;
    lineNo++;
  }
}
