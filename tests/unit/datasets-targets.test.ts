// The File System Access paths of an export, on fake handles: the browser's pickers cannot run in tests.
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, directoryTarget, zipWritableTarget } from '../../src/datasets/export-targets';
import { zipParts } from '../../src/core/formats/zip';

/** A FileSystemWritableFileStream in memory: writes at the cursor, positioned writes, seek, close, abort. */
class FakeWritable {
  bytes = new Uint8Array(0);
  cursor = 0;
  state: 'open' | 'closed' | 'aborted' = 'open';
  async write(data: string | Uint8Array | { type: 'write'; position: number; data: Uint8Array }) {
    if (typeof data === 'string') data = new TextEncoder().encode(data);
    const [at, bytes] = data instanceof Uint8Array ? [this.cursor, data] : [data.position, data.data];
    const end = Math.max(this.bytes.length, at + bytes.length);
    const next = new Uint8Array(end);
    next.set(this.bytes);
    next.set(bytes, at);
    this.bytes = next;
    this.cursor = at + bytes.length;
  }
  async seek(position: number) {
    this.cursor = position;
  }
  async close() {
    this.state = 'closed';
  }
  async abort() {
    this.state = 'aborted';
  }
}

const asWritable = (w: FakeWritable) => w as unknown as FileSystemWritableFileStream;

describe('File System Access targets', () => {
  it('write each file of a folder export straight to its own writable', async () => {
    const files = new Map<string, FakeWritable>();
    const dir = { getFileHandle: async (name: string) => ({ createWritable: async () => asWritable(files.set(name, new FakeWritable()).get(name)!) }) };
    const target = directoryTarget(dir as unknown as FileSystemDirectoryHandle);
    const out = await target.file('a.jsonl');
    expect(await out.write('{"x":"é"}\n')).toBe(11);
    await out.close();
    const second = await target.file('b.jsonl');
    await second.write('partial');
    await target.abort();
    expect(new TextDecoder().decode(files.get('a.jsonl')!.bytes)).toBe('{"x":"é"}\n');
    expect(files.get('a.jsonl')!.state).toBe('closed');
    expect(files.get('b.jsonl')!.state).toBe('aborted');
  });

  it('stream a zip into one writable, patching the local headers in place', async () => {
    const writable = new FakeWritable();
    const target = zipWritableTarget(asWritable(writable));
    for (const [name, chunks] of [['one.jsonl', ['{"a":1}\n', '{"b":2}\n']], ['README.md', ['# Card\n']]] as const) {
      const out = await target.file(name);
      for (const c of chunks) await out.write(c);
      await out.close();
    }
    await target.finish();
    expect(writable.state).toBe('closed');
    const parts = zipParts([{ name: 'one.jsonl', data: '{"a":1}\n{"b":2}\n' }, { name: 'README.md', data: '# Card\n' }]);
    const expected = new Uint8Array(await new Blob(parts).arrayBuffer());
    // Same bytes except the modification time fields (offsets 10–13 of each header), which depend on the clock.
    expect(writable.bytes.length).toBe(expected.length);
    const mask = (b: Uint8Array) => b.map((x, i) => (isTime(b, i) ? 0 : x));
    expect(mask(writable.bytes)).toEqual(mask(expected));
  });

  it('encode chunks into one reused buffer', () => {
    const encoder = new ChunkEncoder();
    const a = encoder.encode('héllo');
    expect(new TextDecoder().decode(a)).toBe('héllo');
    expect(a.length).toBe(6);
    const b = encoder.encode('x'.repeat(70_000));
    expect(b.length).toBe(70_000);
  });
});

/** True for bytes of a local (30-byte) or central (46-byte) header's DOS time and date. */
function isTime(b: Uint8Array, i: number): boolean {
  for (let at = 0; at + 4 <= b.length; at++) {
    const sig = b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
    if (sig === 0x04034b50 && i >= at + 10 && i < at + 14) return true;
    if (sig === 0x02014b50 && i >= at + 12 && i < at + 16) return true;
  }
  return false;
}
