// Writes a copy of a GGUF file with one string metadata entry added (e.g. `tokenizer.chat_template`),
// so a test can load a real model that carries a chat template. Layout: "GGUF", version u32, tensor
// count u64, metadata count u64, metadata, tensor infos, padding to `general.alignment`, tensor data.
import { readFileSync, writeFileSync } from 'node:fs';

const SCALAR: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

function stringBytes(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(body.length));
  return Buffer.concat([len, body]);
}

export function withStringMetadata(source: string, target: string, key: string, value: string): void {
  const buf = readFileSync(source);
  let pos = 8;
  const u32 = () => ((pos += 4), buf.readUInt32LE(pos - 4));
  const u64 = () => ((pos += 8), Number(buf.readBigUInt64LE(pos - 8)));
  const str = () => {
    const n = u64();
    pos += n;
    return buf.toString('utf8', pos - n, pos);
  };
  const skip = (type: number): void => {
    if (type in SCALAR) return void (pos += SCALAR[type]);
    if (type === 8) return void str();
    if (type !== 9) throw new Error(`unknown GGUF value type ${type}`);
    const item = u32();
    const count = u64();
    for (let i = 0; i < count; i++) skip(item);
  };
  const tensors = u64();
  const kvs = u64();
  let alignment = 32;
  for (let i = 0; i < kvs; i++) {
    const name = str();
    const type = u32();
    if (name === 'general.alignment' && type === 4) alignment = u32();
    else skip(type);
  }
  const kvEnd = pos;
  for (let i = 0; i < tensors; i++) {
    str();
    const dims = u32();
    pos += 8 * dims + 4 + 8;
  }
  const infoEnd = pos;
  const dataStart = Math.ceil(infoEnd / alignment) * alignment;
  const head = Buffer.from(buf.subarray(0, 24));
  head.writeBigUInt64LE(BigInt(kvs + 1), 16);
  const type = Buffer.alloc(4);
  type.writeUInt32LE(8);
  const header = Buffer.concat([head, buf.subarray(24, kvEnd), stringBytes(key), type, stringBytes(value), buf.subarray(kvEnd, infoEnd)]);
  const padding = Buffer.alloc(Math.ceil(header.length / alignment) * alignment - header.length);
  writeFileSync(target, Buffer.concat([header, padding, buf.subarray(dataStart)]));
}
