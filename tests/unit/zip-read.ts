// Test helpers for ZIPs: a patchable sink in memory, and a reader that checks what unzip checks.
import { expect } from 'vitest';
import type { ZipSink } from '../../src/core/formats/zip-stream';

/** Bytes in memory, patchable like a File System Access writable. */
export class MemorySink implements ZipSink {
  bytes = new Uint8Array(0);
  write(data: Uint8Array) {
    const next = new Uint8Array(this.bytes.length + data.length);
    next.set(this.bytes);
    next.set(data, this.bytes.length);
    this.bytes = next;
  }
  patch(position: number, data: Uint8Array) {
    if (position + data.length > this.bytes.length) throw new Error('patch past the end');
    this.bytes.set(data, position);
  }
}

export interface Listed {
  name: string;
  flags: number;
  crc: number;
  size: number;
  data: Uint8Array;
}

/**
 * Reads the archive the way unzip does: end record → central directory → local headers. Each local
 * header must carry the same CRC and sizes as the directory, which the streaming writer patches in.
 */
export function readZip(zip: Uint8Array): Listed[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(v.getUint32(end, true)).toBe(0x06054b50);
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  expect(at + v.getUint32(end + 12, true)).toBe(end);
  const out: Listed[] = [];
  for (let i = 0; i < count; i++) {
    expect(v.getUint32(at, true)).toBe(0x02014b50);
    const nameLen = v.getUint16(at + 28, true);
    const local = v.getUint32(at + 42, true);
    const size = v.getUint32(at + 24, true);
    expect(v.getUint32(local, true)).toBe(0x04034b50);
    expect([v.getUint32(local + 14, true), v.getUint32(local + 18, true), v.getUint32(local + 22, true)]).toEqual([v.getUint32(at + 16, true), size, size]);
    const dataAt = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    out.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLen)),
      flags: v.getUint16(at + 8, true),
      crc: v.getUint32(at + 16, true),
      size,
      data: zip.subarray(dataAt, dataAt + size),
    });
    at += 46 + nameLen + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return out;
}
