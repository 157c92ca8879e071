import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, dosDateTime, zipParts, type ZipEntry } from '../../src/core/formats/zip';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

interface Listed {
  name: string;
  flags: number;
  crc: number;
  size: number;
  data: Uint8Array;
}

/** Reads the archive the way unzip does: end record → central directory → local headers. */
function readZip(zip: Uint8Array): Listed[] {
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

const enc = new TextEncoder();
const entries: ZipEntry[] = [
  { name: 'README.md', data: '---\nlicense: "other"\n---\n# Ünïcode card 😀\n' },
  { name: 'sft/train.jsonl', data: [enc.encode('{"a":1}\n'), enc.encode('{"b":"é"}\n')] },
  { name: 'données/test.jsonl', data: enc.encode('{"c":3}\n') },
  { name: 'empty.jsonl', data: '' },
];
const zip = concat(zipParts(entries, new Date(2024, 4, 17, 13, 45, 30)));

describe('zip writer', () => {
  it('computes the standard CRC-32, also across parts', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(enc.encode('6789'), crc32(enc.encode('12345')))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes a central directory that lists every file with its data, CRC and UTF-8 flag', () => {
    const listed = readZip(zip);
    expect(listed.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    expect(new TextDecoder().decode(listed[1]!.data)).toBe('{"a":1}\n{"b":"é"}\n');
    expect(new TextDecoder().decode(listed[0]!.data)).toContain('😀');
    for (const e of listed) {
      expect(e.flags & 0x0800).toBe(0x0800);
      expect(e.crc).toBe(crc32(e.data));
    }
  });

  it('encodes the modification time in DOS format', () => {
    const { time, date } = dosDateTime(new Date(2024, 4, 17, 13, 45, 30));
    expect(time).toBe((13 << 11) | (45 << 5) | 15);
    expect(date).toBe((44 << 9) | (5 << 5) | 17);
  });

  it.skipIf(!hasUnzip)('passes unzip -t and extracts the same bytes', () => {
    const file = path.join(dir, 'out.zip');
    writeFileSync(file, zip);
    const report = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(report).toMatch(/No errors detected/);
    expect(execFileSync('unzip', ['-p', file, 'sft/train.jsonl'], { encoding: 'utf8' })).toBe('{"a":1}\n{"b":"é"}\n');
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')).toContain('données/test.jsonl');
  });

  it('rejects bad names and duplicates', () => {
    expect(() => zipParts([{ name: '../evil', data: '' }])).toThrow(/relative path/);
    expect(() => zipParts([{ name: '/abs', data: '' }])).toThrow(/relative path/);
    expect(() => zipParts([{ name: 'a', data: '' }, { name: 'a', data: 'x' }])).toThrow(/twice/);
  });

  it('rejects a file over 4 GiB before reading it', () => {
    // 4097 references to one 1 MiB buffer: 4 GiB + 1 MiB of logical data, 1 MiB of memory.
    const mib = new Uint8Array(1 << 20);
    const huge = Array.from({ length: 4097 }, () => mib);
    const started = Date.now();
    expect(() => zipParts([{ name: 'big.jsonl', data: huge }])).toThrow(/4 GiB.*ZIP64/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects an archive whose files together pass 4 GiB', () => {
    const mib = new Uint8Array(1 << 20);
    const half = Array.from({ length: 2100 }, () => mib);
    expect(() => zipParts([{ name: 'a', data: half }, { name: 'b', data: half }])).toThrow(/The archive.*4 GiB/);
  });
});
