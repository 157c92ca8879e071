import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, dosDateTime } from '../../src/core/formats/zip';
import { ZipWriter } from '../../src/core/formats/zip-stream';
import { MemorySink, readZip } from './zip-read';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = new TextEncoder();
const entries = [
  { name: 'README.md', chunks: ['---\nlicense: "other"\n---\n# Ünïcode card 😀\n'] },
  { name: 'sft/train.jsonl', chunks: ['{"a":1}\n', '{"b":"é"}\n'] },
  { name: 'données/test.jsonl', chunks: ['{"c":3}\n'] },
  { name: 'empty.jsonl', chunks: [] },
];
let zip: Uint8Array;
let size: number;

beforeAll(async () => {
  const sink = new MemorySink();
  const writer = new ZipWriter(sink, new Date(2024, 4, 17, 13, 45, 30));
  for (const e of entries) {
    await writer.begin(e.name);
    for (const c of e.chunks) await writer.write(enc.encode(c));
    await writer.end();
  }
  size = await writer.finish();
  zip = sink.bytes;
});

describe('streaming zip writer', () => {
  it('computes the standard CRC-32, also across parts', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(enc.encode('6789'), crc32(enc.encode('12345')))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('gives the byte-at-a-time CRC-32 for any length and any split into parts', () => {
    const table = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const slow = (data: Uint8Array) => {
      let c = 0xffffffff;
      for (const b of data) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
      return ~c >>> 0;
    };
    let seed = 7;
    const data = Uint8Array.from({ length: 1000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const length of [1, 7, 8, 9, 15, 16, 17, 255, 1000]) {
      const part = data.subarray(0, length);
      expect(crc32(part)).toBe(slow(part));
      const cut = Math.floor(length / 3);
      expect(crc32(part.subarray(cut), crc32(part.subarray(0, cut)))).toBe(slow(part));
    }
  });

  it('writes a central directory that lists every file with its data, CRC and UTF-8 flag', () => {
    expect(size).toBe(zip.length);
    const listed = readZip(zip);
    expect(listed.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    expect(new TextDecoder().decode(listed[1]!.data)).toBe('{"a":1}\n{"b":"é"}\n');
    expect(new TextDecoder().decode(listed[0]!.data)).toContain('😀');
    expect(listed[3]!.size).toBe(0);
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

  it('refuses misuse: data outside an entry, overlapping entries, bad or repeated names', async () => {
    const zip = new ZipWriter(new MemorySink());
    await expect(zip.write(new Uint8Array(1))).rejects.toThrow(/outside an entry/);
    await zip.begin('a.txt');
    await expect(zip.begin('b.txt')).rejects.toThrow(/before the previous one ended/);
    await zip.end();
    await expect(zip.begin('a.txt')).rejects.toThrow(/appears twice/);
    await expect(zip.begin('../x')).rejects.toThrow(/relative path/);
    await expect(zip.begin('/abs')).rejects.toThrow(/relative path/);
    await expect(zip.end()).rejects.toThrow(/no ZIP entry/);
  });

  it('refuses a file over 4 GiB before reading its bytes', async () => {
    const zip = new ZipWriter(new MemorySink());
    await zip.begin('big.jsonl');
    // Only the length is looked at before the refusal, so a stand-in spares allocating 4 GiB.
    const huge = { length: 2 ** 32 } as unknown as Uint8Array<ArrayBuffer>;
    await expect(zip.write(huge)).rejects.toThrow(/4 GiB.*ZIP64/);
  });
});
