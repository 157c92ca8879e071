/**
 * Streaming JSON Lines. A 100k-record export must never become one string: rows are serialised
 * into chunks of about `chunkBytes` UTF-8 bytes, each handed on (to a file, or kept as a Blob part)
 * before the next is built, so memory holds one chunk plus what the sink keeps.
 */

export const DEFAULT_CHUNK_BYTES = 1 << 20;

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 length of a string without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  // Most JSON lines are pure ASCII: one native scan then answers without a per-character loop.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** One row's JSON. Rows JSON cannot represent are an error rather than a silent "undefined" line. */
function jsonOf(row: unknown): string {
  // ES2019+ JSON.stringify escapes lone surrogates, so every line encodes to valid UTF-8.
  const json = JSON.stringify(row);
  if (json === undefined) throw new TypeError(`cannot write ${typeof row} as a JSON line`);
  return json;
}

/**
 * Builds JSONL chunks of about `chunkBytes` UTF-8 bytes from rows pushed one at a time, for
 * callers that have rows in synchronous batches (no await per row). Chunks end on line
 * boundaries, so none splits a character and joined they are exactly the file; a single row
 * larger than `chunkBytes` becomes a chunk of its own.
 */
export class JsonlChunker {
  // Each row's JSON as JSON.stringify made it: appending "\n" per row would make a joined string
  // per row that the length scan and the final join must flatten again (a copy of every line).
  private rows: string[] = [];
  private bytes = 0;

  constructor(private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    if (!(chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
  }

  /** Adds a row; returns a finished chunk when this row did not fit in the current one. */
  push(row: unknown): string | null {
    const json = jsonOf(row);
    const size = utf8Length(json) + 1;
    // Flush first when this line would overflow, so chunks stay near the target instead of doubling.
    const full = this.bytes > 0 && this.bytes + size > this.chunkBytes ? this.flush() : null;
    this.rows.push(json);
    this.bytes += size;
    return full;
  }

  /** The chunk being built, if any, and starts a new one. */
  flush(): string | null {
    if (this.bytes === 0) return null;
    // An empty last entry makes the join end with the last line's "\n".
    this.rows.push('');
    const chunk = this.rows.join('\n');
    this.rows = [];
    this.bytes = 0;
    return chunk;
  }
}

const NEWLINE = 0x0a;

/**
 * The same chunks as JsonlChunker, made straight as UTF-8: each row's JSON is encoded into the
 * chunk's buffer as it comes (the bytes written say its size), so there is no scan for non-ASCII
 * text, no joined string and no encoding of it afterwards. Each chunk has a buffer of its own, so
 * the thread that made it can hand it over (transfer it) to the one that writes it without a copy.
 */
export class JsonlByteChunker {
  private readonly encoder = new TextEncoder();
  /** Allocated when a chunk's first line comes, so a flush leaves no buffer behind unused. */
  private buffer = new Uint8Array(0);
  private bytes = 0;
  /** The chunk holds a line longer than a chunk: nothing more goes in. */
  private sealed = false;

  constructor(private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    if (!(chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
  }

  /** Adds a row; returns a finished chunk when this row did not fit in the current one. */
  push(row: unknown): Uint8Array<ArrayBuffer> | null {
    const json = jsonOf(row);
    if (this.append(json)) return null;
    // The line would overflow: the chunk so far is done, and the line starts the next one.
    const full = this.flush();
    if (this.append(json)) return full;
    // A line longer than a chunk becomes a chunk of its own (UTF-8 takes at most 3 bytes per UTF-16 unit).
    this.buffer = new Uint8Array(json.length * 3 + 1);
    this.append(json);
    this.sealed = true;
    return full;
  }

  /** Writes the line at the end of the buffer; false (nothing kept) when it does not fit whole. */
  private append(json: string): boolean {
    if (this.sealed) return false;
    if (this.bytes === 0 && this.buffer.length < this.chunkBytes) this.buffer = new Uint8Array(this.chunkBytes);
    const rest = this.buffer.subarray(this.bytes);
    const { read, written } = this.encoder.encodeInto(json, rest);
    if (read < json.length || written >= rest.length) return false;
    rest[written] = NEWLINE;
    this.bytes += written + 1;
    return true;
  }

  /** The chunk being built, if any, and starts a new one. */
  flush(): Uint8Array<ArrayBuffer> | null {
    if (this.bytes === 0) return null;
    const chunk = this.buffer.subarray(0, this.bytes);
    this.buffer = new Uint8Array(0);
    this.bytes = 0;
    this.sealed = false;
    return chunk;
  }
}

/**
 * Splits decoded text chunks (e.g. a File's stream through a TextDecoderStream) into lines
 * without holding the whole file, so imports of large datasets stay flat too. A trailing "\r"
 * is dropped, matching parseJsonLines.
 */
export async function* splitLines(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
