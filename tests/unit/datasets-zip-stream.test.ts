import { describe, expect, it } from 'vitest';
import { ZipWriter, type ZipSink } from '../../src/core/formats/zip-stream';
import { zipParts } from '../../src/core/formats/zip';

/** Bytes in memory, patchable like a File System Access writable. */
class MemorySink implements ZipSink {
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

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

describe('streaming zip writer', () => {
  it('writes exactly the bytes zipParts writes for the same entries and date', async () => {
    const date = new Date(2024, 4, 17, 13, 45, 10);
    const entries = [
      { name: 'sft/train.jsonl', chunks: ['{"a":1}\n', '{"b":"ünï"}\n'] },
      { name: 'empty.jsonl', chunks: [] },
      { name: 'README.md', chunks: ['# Card\n'] },
    ];
    const sink = new MemorySink();
    const zip = new ZipWriter(sink, date);
    const encoder = new TextEncoder();
    for (const e of entries) {
      await zip.begin(e.name);
      for (const c of e.chunks) await zip.write(encoder.encode(c));
      await zip.end();
    }
    const size = await zip.finish();
    const expected = concat(zipParts(entries.map((e) => ({ name: e.name, data: e.chunks.join('') })), date));
    expect(size).toBe(expected.length);
    expect(sink.bytes).toEqual(expected);
  });

  it('refuses misuse: data outside an entry, overlapping entries, bad or repeated names', async () => {
    const zip = new ZipWriter(new MemorySink());
    await expect(zip.write(new Uint8Array(1))).rejects.toThrow(/outside an entry/);
    await zip.begin('a.txt');
    await expect(zip.begin('b.txt')).rejects.toThrow(/before the previous one ended/);
    await zip.end();
    await expect(zip.begin('a.txt')).rejects.toThrow(/appears twice/);
    await expect(zip.begin('../x')).rejects.toThrow(/relative path/);
    await expect(zip.end()).rejects.toThrow(/no ZIP entry/);
  });
});
