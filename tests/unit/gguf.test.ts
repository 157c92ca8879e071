import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGguf } from '../../src/core/gguf';

const modelPath = path.resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf');
let model: Buffer | null = null;
try {
  model = readFileSync(modelPath);
} catch {
  console.log('skipping: ../shared/models/stories260K.gguf not found (expected only on users\' machines)');
}
const buf = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('GGUF header check', () => {
  it('rejects bytes without the signature', () => {
    expect(checkGguf(buf(new TextEncoder().encode('not a model at all')), 18)).toMatchObject({ ok: false, reason: /signature/ });
    expect(checkGguf(new ArrayBuffer(0), 0)).toMatchObject({ ok: false });
  });

  it.skipIf(!model)('accepts the real tiny model and finds its tensors inside the file', () => {
    const check = checkGguf(buf(model!), model!.length);
    expect(check).toMatchObject({ ok: true });
    if (check.ok === true) {
      expect(check.tensors).toBeGreaterThan(10);
      expect(check.dataEnd).toBeLessThanOrEqual(model!.length);
      expect(check.dataEnd).toBeGreaterThan(model!.length * 0.9);
    }
  });

  it.skipIf(!model)('rejects the model cut short, in the data or in the header', () => {
    expect(checkGguf(buf(model!.subarray(0, 200_000)), 200_000)).toMatchObject({ ok: false, reason: /truncated/ });
    expect(checkGguf(buf(model!.subarray(0, 300)), 300)).toMatchObject({ ok: false, reason: /truncated/ });
  });

  it.skipIf(!model)('says nothing when only the start of a longer file was read', () => {
    expect(checkGguf(buf(model!.subarray(0, 300)), model!.length)).toEqual({ ok: 'unknown' });
  });
});
