// Writes a GGUF with random weights in a real llama-family shape, so a benchmark pays the compute and
// memory traffic per token of a real model (its text is noise, its cost is real). The tokenizer is the
// tiny test model's (../shared/models/stories260K.gguf), its vocabulary padded with plain word pieces to
// the real model's size, so the output layer costs what it costs there.
//
//   node scripts/make-bench-gguf.mjs [135m|500m] [q8_0|f16]   → prints the path of the cached file
//
// Files go to $XDG_CACHE_HOME/cai-lab (default ~/.cache/cai-lab), never into git; an existing file is reused.
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ggufHeader, readGgufMetadata, T } from './gguf-io.mjs';

/** Shapes of real instruct models (llama architecture, tied embeddings). */
export const SHAPES = {
  // SmolLM2-135M-Instruct
  '135m': { embd: 576, layers: 30, heads: 9, kvHeads: 3, ff: 1536, vocab: 49152, ropeBase: 100000 },
  // Qwen2.5-0.5B-Instruct's sizes (without its q/k/v biases, which cost nothing measurable)
  '500m': { embd: 896, layers: 24, heads: 14, kvHeads: 2, ff: 4864, vocab: 151936, ropeBase: 1000000 },
};
const GGML = { F32: 0, F16: 1, Q8_0: 8 };
const FILE_TYPE = { q8_0: 7, f16: 1 };

export function cacheDir() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'cai-lab');
}

/** Metadata of the model: architecture and sizes, plus the tiny model's tokenizer with a padded vocabulary. */
function metadata(shape, quant, tokenizerFrom) {
  const source = readGgufMetadata(tokenizerFrom);
  const tokenizer = Object.fromEntries(Object.entries(source).filter(([k]) => k.startsWith('tokenizer.')));
  const tokens = [...tokenizer['tokenizer.ggml.tokens'].value];
  const scores = [...tokenizer['tokenizer.ggml.scores'].value];
  const types = [...tokenizer['tokenizer.ggml.token_type'].value];
  // Pieces like "▁t12345" only match text that contains them, so the tiny model's tokenization stays as it was.
  for (let i = tokens.length; i < shape.vocab; i++) {
    tokens.push(`\u2581t${i}`);
    scores.push(-1000 - i);
    types.push(1);
  }
  const u32 = (value) => ({ type: T.U32, value });
  return {
    'general.architecture': { type: T.STRING, value: 'llama' },
    'general.name': { type: T.STRING, value: `cai-lab bench ${quant} (random weights)` },
    'general.file_type': u32(FILE_TYPE[quant]),
    'llama.context_length': u32(8192),
    'llama.embedding_length': u32(shape.embd),
    'llama.block_count': u32(shape.layers),
    'llama.feed_forward_length': u32(shape.ff),
    'llama.rope.dimension_count': u32(shape.embd / shape.heads),
    'llama.attention.head_count': u32(shape.heads),
    'llama.attention.head_count_kv': u32(shape.kvHeads),
    'llama.attention.layer_norm_rms_epsilon': { type: T.F32, value: 1e-5 },
    'llama.rope.freq_base': { type: T.F32, value: shape.ropeBase },
    'llama.vocab_size': u32(shape.vocab),
    ...tokenizer,
    'tokenizer.ggml.tokens': { type: T.ARRAY, itemType: T.STRING, value: tokens },
    'tokenizer.ggml.scores': { type: T.ARRAY, itemType: T.F32, value: scores },
    'tokenizer.ggml.token_type': { type: T.ARRAY, itemType: T.I32, value: types },
  };
}

function tensorList(shape, quant) {
  const kv = (shape.embd / shape.heads) * shape.kvHeads;
  const wt = quant === 'q8_0' ? GGML.Q8_0 : GGML.F16;
  const bytes = (type, n) => (type === GGML.Q8_0 ? (n / 32) * 34 : type === GGML.F16 ? n * 2 : n * 4);
  const t = (name, dims, type = wt) => ({ name, dims, type, bytes: bytes(type, dims.reduce((a, b) => a * b, 1)) });
  const list = [t('token_embd.weight', [shape.embd, shape.vocab]), t('output_norm.weight', [shape.embd], GGML.F32)];
  for (let i = 0; i < shape.layers; i++) {
    const b = `blk.${i}.`;
    list.push(
      t(`${b}attn_norm.weight`, [shape.embd], GGML.F32),
      t(`${b}attn_q.weight`, [shape.embd, shape.embd]),
      t(`${b}attn_k.weight`, [shape.embd, kv]),
      t(`${b}attn_v.weight`, [shape.embd, kv]),
      t(`${b}attn_output.weight`, [shape.embd, shape.embd]),
      t(`${b}ffn_norm.weight`, [shape.embd], GGML.F32),
      t(`${b}ffn_gate.weight`, [shape.embd, shape.ff]),
      t(`${b}ffn_up.weight`, [shape.embd, shape.ff]),
      t(`${b}ffn_down.weight`, [shape.ff, shape.embd]),
    );
  }
  return list;
}

/** IEEE half-precision bits of a small positive number (enough for weight scales). */
function f16Bits(x) {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const exp = ((u >> 23) & 0xff) - 127 + 15;
  return (exp << 10) | ((u >> 13) & 0x3ff);
}

/** Random weights with a spread like a trained model's (σ ≈ 0.02); norms are 1. */
function fillTensor(buf, type) {
  if (type === GGML.F32) {
    new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4).fill(1);
    return;
  }
  randomFillSync(buf);
  if (type === GGML.Q8_0) {
    // Uniform int8 has σ ≈ 73: a scale of 0.02 / 73 gives weights of σ ≈ 0.02.
    const scale = f16Bits(0.02 / 73);
    for (let at = 0; at < buf.length; at += 34) buf.writeUInt16LE(scale, at);
  } else {
    // F16: random mantissa and sign, exponent fixed near 2^-6 (≈ 0.016 … 0.031).
    for (let at = 0; at < buf.length; at += 2) buf.writeUInt16LE((buf.readUInt16LE(at) & 0x83ff) | (9 << 10), at);
  }
}

/** The cached benchmark model, written first if missing. Returns its path. */
export function benchModel(size = '135m', quant = 'q8_0', tokenizerFrom) {
  const shape = SHAPES[size];
  if (!shape) throw new Error(`unknown size "${size}": one of ${Object.keys(SHAPES).join(', ')}`);
  if (!FILE_TYPE[quant]) throw new Error(`unknown type "${quant}": q8_0 or f16`);
  const file = path.join(cacheDir(), `bench-llama-${size}-${quant}.gguf`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir(), { recursive: true });
  const tensors = tensorList(shape, quant);
  const header = ggufHeader(metadata(shape, quant, tokenizerFrom), tensors);
  const partial = `${file}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, header);
    for (const t of tensors) {
      const padded = Math.ceil(t.bytes / 32) * 32;
      // Large tensors in slices of whole blocks, so memory stays small.
      const block = t.type === GGML.Q8_0 ? 34 : 2;
      const slice = block * 32 * 1024 * 16;
      for (let done = 0; done < t.bytes; done += slice) {
        const buf = Buffer.alloc(Math.min(slice, t.bytes - done));
        fillTensor(buf, t.type);
        writeSync(fd, buf);
      }
      if (padded > t.bytes) writeSync(fd, Buffer.alloc(padded - t.bytes));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return file;
}

/** Parameter count of a shape (tied embeddings). */
export function parameterCount(size) {
  return tensorList(SHAPES[size], 'f16').reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [size = '135m', quant = 'q8_0'] = process.argv.slice(2);
  const tokenizerFrom = path.resolve(import.meta.dirname, '..', '..', 'shared', 'models', 'stories260K.gguf');
  if (!existsSync(tokenizerFrom)) {
    console.error('needs ../shared/models/stories260K.gguf for its tokenizer');
    process.exit(1);
  }
  const started = Date.now();
  const file = benchModel(size, quant, tokenizerFrom);
  console.error(`${size} ${quant}: ${(parameterCount(size) / 1e6).toFixed(1)}M parameters, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(file);
}
