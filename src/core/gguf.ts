/**
 * A quick structural check of a GGUF file before llama.cpp loads it: on truncated or malformed
 * files its loader can stop without ever returning, so the page would wait forever.
 * Reads the header (metadata and tensor table) and checks that every tensor's data lies inside
 * the file. Layout: "GGUF", version u32, tensor count u64, metadata count u64, metadata
 * key/value pairs, tensor infos (name, dims, type, offset), padding to `general.alignment`, data.
 */

/** Bytes per block and elements per block of ggml tensor types (by type id). */
const TYPE_SIZES: Record<number, [bytes: number, elements: number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};

/** Fixed sizes of the scalar metadata value types (by type id); 8 = string, 9 = array. */
const SCALAR_SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

export type GgufCheck = { ok: true; tensors: number; dataEnd: number } | { ok: false; reason: string } | { ok: 'unknown' };

class OutOfBytes extends Error {}

class Cursor {
  pos = 0;
  constructor(private readonly view: DataView) {}
  need(n: number) {
    if (this.pos + n > this.view.byteLength) throw new OutOfBytes();
  }
  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64() {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('a size field is impossibly large');
    return Number(v);
  }
  skip(n: number) {
    this.need(n);
    this.pos += n;
  }
  string(): string {
    const n = this.u64();
    this.need(n);
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + this.pos, n);
    this.pos += n;
    return new TextDecoder().decode(bytes);
  }
}

function skipValue(c: Cursor, type: number): void {
  if (type in SCALAR_SIZES) return c.skip(SCALAR_SIZES[type]);
  if (type === 8) return void c.string();
  if (type === 9) {
    const itemType = c.u32();
    const count = c.u64();
    if (itemType in SCALAR_SIZES) return c.skip(SCALAR_SIZES[itemType] * count);
    for (let i = 0; i < count; i++) skipValue(c, itemType);
    return;
  }
  throw new RangeError(`unknown metadata value type ${type}`);
}

/**
 * Checks the header held in `head` (the first bytes of a file of `fileSize` bytes). Returns
 * 'unknown' when the header is longer than `head` and the file is longer still: nothing to say.
 */
export function checkGguf(head: ArrayBuffer, fileSize: number): GgufCheck {
  const c = new Cursor(new DataView(head));
  const truncatedHere = head.byteLength >= fileSize;
  try {
    c.skip(4);
    if (new TextDecoder().decode(new Uint8Array(head, 0, 4)) !== 'GGUF') return { ok: false, reason: 'it does not start with the GGUF signature' };
    const version = c.u32();
    if (version < 2 || version > 3) return { ok: false, reason: `unsupported GGUF version ${version}` };
    const tensorCount = c.u64();
    const kvCount = c.u64();
    let alignment = 32;
    for (let i = 0; i < kvCount; i++) {
      const key = c.string();
      const type = c.u32();
      if (key === 'general.alignment' && type === 4) alignment = c.u32() || 32;
      else skipValue(c, type);
    }
    let dataSize = 0;
    for (let i = 0; i < tensorCount; i++) {
      c.string();
      const dims = c.u32();
      let elements = 1;
      for (let d = 0; d < dims; d++) elements *= c.u64();
      const type = c.u32();
      const offset = c.u64();
      const [bytes, perBlock] = TYPE_SIZES[type] ?? [0, 1];
      dataSize = Math.max(dataSize, offset + Math.ceil(elements / perBlock) * bytes);
    }
    const dataStart = Math.ceil(c.pos / alignment) * alignment;
    const dataEnd = dataStart + dataSize;
    if (dataEnd > fileSize) return { ok: false, reason: `it is truncated: its tensors need ${dataEnd} bytes but the file has ${fileSize}` };
    return { ok: true, tensors: tensorCount, dataEnd };
  } catch (error) {
    if (error instanceof OutOfBytes) return truncatedHere ? { ok: false, reason: 'it ends inside its own header (truncated)' } : { ok: 'unknown' };
    return { ok: false, reason: `its header is malformed (${(error as Error).message})` };
  }
}
