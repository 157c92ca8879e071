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

/**
 * JsonlChunker's chunks made as UTF-8 bytes, each in a buffer of its own, so the thread that made
 * one can hand it over (transfer it) to the one that writes it without a copy. Chunks are measured
 * in UTF-16 units, which are the UTF-8 bytes of ASCII text and at least a third of them otherwise,
 * so no line is scanned for non-ASCII text: chunks of ASCII lines are JsonlChunker's, others come
 * out larger (up to three times `chunkBytes`). Each chunk is one join and one encode, because a
 * TextEncoder call costs microseconds of its own, more than a short line's bytes.
 */
export class JsonlByteChunker {
  private readonly encoder = new TextEncoder();
  private rows: string[] = [];
  private units = 0;

  constructor(private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    if (!(chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
  }

  /** Adds a row; returns a finished chunk when this row did not fit in the current one. */
  push(row: unknown): Uint8Array<ArrayBuffer> | null {
    const json = jsonOf(row);
    const size = json.length + 1;
    const full = this.units > 0 && this.units + size > this.chunkBytes ? this.flush() : null;
    this.rows.push(json);
    this.units += size;
    return full;
  }

  /** The chunk being built, if any, and starts a new one. */
  flush(): Uint8Array<ArrayBuffer> | null {
    if (this.units === 0) return null;
    this.rows.push('');
    const text = this.rows.join('\n');
    this.rows = [];
    this.units = 0;
    // Sized for ASCII; where the text is not, what did not fit is encoded after it in a larger buffer.
    let buffer = new Uint8Array(text.length);
    let { read, written } = this.encoder.encodeInto(text, buffer);
    if (read < text.length) {
      const larger = new Uint8Array(written + (text.length - read) * 3);
      larger.set(buffer.subarray(0, written));
      written += this.encoder.encodeInto(text.slice(read), larger.subarray(written)).written;
      buffer = larger;
    }
    return buffer.subarray(0, written);
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
