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
  /** UTF-8 bytes of the chunk the last flush (or a push that flushed) returned. */
  lastChunkBytes = 0;

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
    this.lastChunkBytes = this.bytes;
    this.bytes = 0;
    return chunk;
  }
}

let encoder: TextEncoder | null = null;

/**
 * UTF-8 of a chunk whose byte length is known, in a buffer of its own and of that size, so the
 * thread that made it can hand it over (transfer it) to the one that writes it without a copy.
 */
export function encodeChunk(text: string, bytes = utf8Length(text)): Uint8Array<ArrayBuffer> {
  encoder ??= new TextEncoder();
  const out = new Uint8Array(bytes);
  const { written } = encoder.encodeInto(text, out);
  if (written !== bytes) throw new Error(`chunk of ${bytes} UTF-8 bytes encoded to ${written}`);
  return out;
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
