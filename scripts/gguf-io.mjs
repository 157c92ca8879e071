// A few lines of GGUF (v3) reading and writing for the benchmark model: metadata in, metadata and
// tensors out. Only what scripts/make-bench-gguf.mjs needs; the app's own check is src/core/gguf.ts.
import { closeSync, openSync, readSync } from 'node:fs';

export const T = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 };
const SCALAR = {
  [T.U8]: [1, 'getUint8', 'setUint8'], [T.I8]: [1, 'getInt8', 'setInt8'], [T.U16]: [2, 'getUint16', 'setUint16'],
  [T.I16]: [2, 'getInt16', 'setInt16'], [T.U32]: [4, 'getUint32', 'setUint32'], [T.I32]: [4, 'getInt32', 'setInt32'],
  [T.F32]: [4, 'getFloat32', 'setFloat32'], [T.BOOL]: [1, 'getUint8', 'setUint8'], [T.U64]: [8, 'getBigUint64', 'setBigUint64'],
  [T.I64]: [8, 'getBigInt64', 'setBigInt64'], [T.F64]: [8, 'getFloat64', 'setFloat64'],
};

/** Reads a GGUF's metadata: `{ key: { type, value, itemType? } }`, in file order. */
export function readGgufMetadata(file) {
  const fd = openSync(file, 'r');
  try {
    // The metadata of the tiny model fits in its first few hundred kB; read 8 MB to be safe.
    const buf = Buffer.alloc(8 * 1024 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const view = new DataView(buf.buffer, buf.byteOffset, n);
    let at = 0;
    const str = () => {
      const len = Number(view.getBigUint64(at, true));
      at += 8;
      const s = buf.toString('utf8', at, at + len);
      at += len;
      return s;
    };
    const scalar = (type) => {
      const [size, get] = SCALAR[type];
      const v = view[get](at, true);
      at += size;
      return type === T.BOOL ? v !== 0 : v;
    };
    const value = (type) => {
      if (type === T.STRING) return { type, value: str() };
      if (type === T.ARRAY) {
        const itemType = view.getUint32(at, true);
        const count = Number(view.getBigUint64(at + 4, true));
        at += 12;
        const items = [];
        for (let i = 0; i < count; i++) items.push(itemType === T.STRING ? str() : scalar(itemType));
        return { type, itemType, value: items };
      }
      return { type, value: scalar(type) };
    };
    if (buf.toString('ascii', 0, 4) !== 'GGUF') throw new Error(`${file}: not a GGUF file`);
    at = 16;
    const kvCount = Number(view.getBigUint64(at, true));
    at = 24;
    const meta = {};
    for (let i = 0; i < kvCount; i++) {
      const key = str();
      const type = view.getUint32(at, true);
      at += 4;
      meta[key] = value(type);
    }
    return meta;
  } finally {
    closeSync(fd);
  }
}

/** Serialises a GGUF header: metadata, then tensor infos `{ name, dims, type, bytes }`, padded to `align`. */
export function ggufHeader(meta, tensors, align = 32) {
  const parts = [];
  const push = (b) => parts.push(b);
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); push(b); };
  const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); push(b); };
  const str = (s) => { const b = Buffer.from(s, 'utf8'); u64(b.length); push(b); };
  const scalar = (type, v) => {
    const [size, , set] = SCALAR[type];
    const b = Buffer.alloc(size);
    const view = new DataView(b.buffer, b.byteOffset, size);
    view[set](0, type === T.BOOL ? (v ? 1 : 0) : v, true);
    push(b);
  };
  push(Buffer.from('GGUF', 'ascii'));
  u32(3);
  u64(tensors.length);
  u64(Object.keys(meta).length);
  for (const [key, { type, value, itemType }] of Object.entries(meta)) {
    str(key);
    u32(type);
    if (type === T.STRING) str(value);
    else if (type === T.ARRAY) {
      u32(itemType);
      u64(value.length);
      for (const item of value) itemType === T.STRING ? str(item) : scalar(itemType, item);
    } else scalar(type, value);
  }
  let offset = 0;
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    for (const d of t.dims) u64(d);
    u32(t.type);
    u64(offset);
    t.offset = offset;
    offset += Math.ceil(t.bytes / align) * align;
  }
  const head = Buffer.concat(parts);
  const padded = Math.ceil(head.length / align) * align;
  return Buffer.concat([head, Buffer.alloc(padded - head.length)]);
}
