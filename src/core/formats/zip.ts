/**
 * The parts of a minimal ZIP that zip-stream.ts writes: stored entries only (JSONL of 100k records
 * compresses well, but deflate would cost a dependency or a lot of code, and users mostly unzip
 * straight away), UTF-8 names, CRC-32, no ZIP64.
 */

/** Sizes and offsets are 32-bit without ZIP64; 0xFFFFFFFF itself is ZIP64's marker, so it is out too. */
export const ZIP_MAX_BYTES = 0xfffffffe;
export const MAX_ENTRIES = 0xffff;

/**
 * CRC-32 tables for eight bytes a step ("slicing by 8"): table k (at k * 256) gives the CRC of a
 * byte followed by k zero bytes, so eight lookups advance the CRC by eight bytes at once. An
 * export's zip runs every byte through this on the page, where a byte a step took about twice as long.
 */
const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
})();

/** CRC-32 (IEEE, as ZIP uses); pass the previous result to continue over several parts. */
export function crc32(data: Uint8Array, previous = 0): number {
  const t = CRC_TABLES;
  let c = ~previous >>> 0;
  let i = 0;
  for (const whole = data.length & ~7; i < whole; i += 8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)]! ^ t[1536 + ((lo >>> 8) & 0xff)]! ^ t[1280 + ((lo >>> 16) & 0xff)]! ^ t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^ t[512 + data[i + 5]!]! ^ t[256 + data[i + 6]!]! ^ t[data[i + 7]!]!;
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** MS-DOS date and time fields (2-second resolution, local time, years 1980–2107). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export function checkName(name: string, seen: Set<string>): Uint8Array<ArrayBuffer> {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((s) => s === '..')) {
    throw new Error(`ZIP entry name "${name}" must be a relative path with "/" separators and no ".."`);
  }
  if (seen.has(name)) throw new Error(`ZIP entry "${name}" appears twice`);
  seen.add(name);
  const bytes = new TextEncoder().encode(name);
  if (bytes.length > 0xffff) throw new Error(`ZIP entry name "${name.slice(0, 40)}…" is too long`);
  return bytes;
}

export function tooLarge(what: string, bytes: number): Error {
  const gib = (bytes / 2 ** 30).toFixed(2);
  return new Error(`${what} is ${gib} GiB; ZIP files over 4 GiB need ZIP64, which this app does not write. Download the files separately.`);
}

/** What the headers say of one entry; the local header is written again once size and CRC are known. */
export interface Prepared {
  name: Uint8Array<ArrayBuffer>;
  size: number;
  crc: number;
  offset: number;
}

const FLAG_UTF8 = 0x0800;
const VERSION_NEEDED = 10; // 1.0: stored entries need nothing newer
const MADE_BY = (3 << 8) | 20; // Unix, spec 2.0: lets unzip apply the permissions below
const UNIX_FILE_MODE = (0o100644 << 16) >>> 0; // regular file, rw-r--r--

export function header(e: Prepared, when: { time: number; date: number }, central: boolean): Uint8Array<ArrayBuffer> {
  const fixed = central ? 46 : 30;
  const out = new Uint8Array(fixed + e.name.length);
  const v = new DataView(out.buffer);
  let at = 0;
  const u16 = (x: number) => (v.setUint16(at, x, true), (at += 2));
  const u32 = (x: number) => (v.setUint32(at, x, true), (at += 4));
  u32(central ? 0x02014b50 : 0x04034b50);
  if (central) u16(MADE_BY);
  u16(VERSION_NEEDED);
  u16(FLAG_UTF8);
  u16(0); // method: stored
  u16(when.time);
  u16(when.date);
  u32(e.crc);
  u32(e.size); // compressed size = size when stored
  u32(e.size);
  u16(e.name.length);
  u16(0); // extra field length
  if (central) {
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(UNIX_FILE_MODE);
    u32(e.offset);
  }
  out.set(e.name, fixed);
  return out;
}

export function endOfDirectory(count: number, size: number, offset: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(22);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count, true); // entries on this disk
  v.setUint16(10, count, true); // entries in total
  v.setUint32(12, size, true);
  v.setUint32(16, offset, true);
  return out;
}
