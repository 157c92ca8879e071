// The File System Access paths of an export, on fake handles: the browser's pickers cannot run in tests.
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, directoryTarget, zipWritableTarget } from '../../src/datasets/export-targets';
import { readZip } from './zip-read';

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
    const listed = readZip(writable.bytes);
    expect(listed.map((e) => [e.name, new TextDecoder().decode(e.data)])).toEqual([['one.jsonl', '{"a":1}\n{"b":2}\n'], ['README.md', '# Card\n']]);
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
