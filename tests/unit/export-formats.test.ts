import { describe, expect, it } from 'vitest';
import { dedupeRecords, findDuplicates, jaccard, shingles } from '../../src/core/dedupe';
import { lengthBeforeAfter, marginHistogram, niceEdges, preferenceFigures, principleUsage, reviewCounts, throughput } from '../../src/core/dataset-stats';
import { CAI_COLUMNS, caiRows, toCaiRow } from '../../src/core/formats/cai-columns';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { effectiveFinal, includedRecords, isExcluded, reviewFor } from '../../src/core/formats/review';
import { splitItems, splitSide, testIds } from '../../src/core/formats/split';
import { JsonlByteChunker, JsonlChunker, splitLines, utf8Length } from '../../src/core/formats/stream';
import type { PreferenceRecord } from '../../src/core/recipes/preference/types';
import { Random } from '../../src/core/random';
import { SCHEMA_VERSION } from '../../src/core/types';
import type { CritiqueRecord, CritiqueRound } from '../../src/core/recipes/critique-revision/types';

function round(n: number, revision: string): CritiqueRound {
  return {
    principleId: `p${n}`,
    principleName: `Principle ${n}`,
    critiqueRequest: `critique request ${n}`,
    critique: `critique ${n}`,
    revisionRequest: `revision request ${n}`,
    revision,
    critiqueFinish: 'stop',
    revisionFinish: 'stop',
  };
}

function record(i: number, over: Partial<CritiqueRecord> = {}): CritiqueRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `run:${i}`,
    recipe: 'critique-revision',
    runId: 'run',
    index: i,
    promptId: `q${i}`,
    prompt: `prompt ${i}`,
    initial: `initial ${i}`,
    initialFinish: 'stop',
    rounds: [round(1, `first revision ${i}`), round(2, `final ${i}`)],
    final: `final ${i}`,
    usage: { promptTokens: 10, completionTokens: 20, ms: 1000 },
    createdAt: 1_000 + i,
    ...over,
  };
}

async function all<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('review rules', () => {
  it('uses the edit when edited, keeps the original final beside it', () => {
    const r = record(1, { review: { state: 'edited', editedText: 'mine' } });
    expect(effectiveFinal(r)).toBe('mine');
    expect(r.final).toBe('final 1');
    expect(effectiveFinal(record(2, { review: { state: 'accepted' } }))).toBe('final 2');
    // 'edited' without text falls back to the model's answer instead of exporting nothing.
    expect(effectiveFinal(record(3, { review: { state: 'edited' } }))).toBe('final 3');
  });

  it('excludes rejected records only', () => {
    const rs = [record(0), record(1, { review: { state: 'rejected' } }), record(2, { review: { state: 'accepted' } })];
    expect(rs.map(isExcluded)).toEqual([false, true, false]);
    expect([...includedRecords(rs)].map((r) => r.id)).toEqual(['run:0', 'run:2']);
  });

  it('an edit back to the original text is an acceptance', () => {
    const r = record(4);
    expect(reviewFor(r, 'edited', 'final 4')).toEqual({ state: 'accepted' });
    expect(reviewFor(r, 'edited', 'other')).toEqual({ state: 'edited', editedText: 'other' });
    expect(reviewFor(r, 'rejected')).toEqual({ state: 'rejected' });
    expect(() => reviewFor(r, 'edited')).toThrow(/edited text/);
  });
});

describe('CAI columns', () => {
  it('maps a record onto exactly the reference columns with their types', () => {
    const row = toCaiRow(record(7))!;
    expect(Object.keys(row)).toEqual([...CAI_COLUMNS]);
    expect(row).toEqual({
      init_prompt: 'prompt 7',
      init_response: 'initial 7',
      critic_prompt: 'critique request 1',
      critic_response: 'critique 1',
      revision_prompt: 'revision request 1',
      revision_response: 'final 7',
      prompt: 'prompt 7',
      messages: [{ role: 'user', content: 'prompt 7' }, { role: 'assistant', content: 'final 7' }],
      chosen: [{ role: 'user', content: 'prompt 7' }, { role: 'assistant', content: 'final 7' }],
      rejected: [{ role: 'user', content: 'prompt 7' }, { role: 'assistant', content: 'initial 7' }],
    });
    for (const k of CAI_COLUMNS.slice(0, 7)) expect(typeof row[k]).toBe('string');
  });

  it('trims surrounding whitespace from every text, as the reference does', () => {
    const row = toCaiRow(record(5, { prompt: '  prompt 5\n', initial: '\ninitial 5 ', final: ' final 5\n\n' }))!;
    expect([row.init_prompt, row.init_response, row.revision_response, row.prompt]).toEqual(['prompt 5', 'initial 5', 'final 5', 'prompt 5']);
    expect([...row.messages, ...row.chosen, ...row.rejected].every((m) => m.content === m.content.trim())).toBe(true);
  });

  it('honours review and skips records without a critique round', () => {
    const edited = toCaiRow(record(1, { review: { state: 'edited', editedText: 'fixed' } }))!;
    expect(edited.chosen[1]!.content).toBe('fixed');
    expect(edited.messages[1]!.content).toBe('fixed');
    expect(edited.revision_response).toBe('fixed'); // the text chosen holds, as in the reference
    expect(toCaiRow(record(2, { review: { state: 'rejected' } }))).toBeNull();
    expect(toCaiRow(record(3, { rounds: [] }))).toBeNull();
    expect([...caiRows([record(1), record(2, { review: { state: 'rejected' } })])]).toHaveLength(1);
  });
});

describe('streaming JSONL', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ i, text: `ünïcødé 😀 ${'x'.repeat(i % 97)}`, lone: i === 5 ? '\ud800' : '' }));

  /** Every chunk the chunker makes of these rows, the last one included. */
  function chunksOf(rows: readonly unknown[], chunkBytes?: number): string[] {
    const chunker = new JsonlChunker(chunkBytes);
    const out = rows.map((row) => chunker.push(row)).filter((c): c is string => c !== null);
    const last = chunker.flush();
    return last === null ? out : [...out, last];
  }

  it('yields bounded chunks whose concatenation is the JSONL file', () => {
    const chunkBytes = 4096;
    const chunks = chunksOf(rows, chunkBytes);
    expect(chunks.length).toBeGreaterThan(10);
    const longestLine = Math.max(...rows.map((r) => utf8Length(JSON.stringify(r) + '\n')));
    chunks.forEach((c, i) => {
      expect(utf8Length(c)).toBeLessThanOrEqual(chunkBytes);
      // Every chunk but the last was flushed only because the next line would not fit.
      if (i < chunks.length - 1) expect(utf8Length(c)).toBeGreaterThan(chunkBytes - longestLine);
      expect(c.endsWith('\n')).toBe(true);
    });
    expect(chunks.join('')).toBe(toJsonLines(rows));
  });

  it('makes a line over the limit a chunk of its own', () => {
    const chunks = chunksOf([{ a: 1 }, { big: 'y'.repeat(100) }, { b: 2 }], 20);
    expect(chunks).toEqual(['{"a":1}\n', `{"big":"${'y'.repeat(100)}"}\n`, '{"b":2}\n']);
  });

  /** The byte chunker's chunks of these rows, decoded, with their byte sizes. */
  function byteChunksOf(rows: readonly unknown[], chunkBytes?: number): { text: string; bytes: number }[] {
    const chunker = new JsonlByteChunker(chunkBytes);
    const out = [...rows.map((row) => chunker.push(row)), chunker.flush()].filter((c) => c !== null);
    return out.map((c) => ({ text: new TextDecoder('utf-8', { fatal: true }).decode(c), bytes: c.length }));
  }

  it('makes the same chunks straight as UTF-8 bytes, in buffers of their own', () => {
    for (const chunkBytes of [20, 4096, 8192]) {
      const bytes = byteChunksOf(rows, chunkBytes);
      expect(bytes.map((c) => c.text)).toEqual(chunksOf(rows, chunkBytes));
      for (const c of bytes) expect(c.bytes).toBe(utf8Length(c.text));
    }
    const big = [{ a: 1 }, { big: 'y'.repeat(100) }, { b: 2 }, { big: 'é'.repeat(50) }];
    expect(byteChunksOf(big, 20).map((c) => c.text)).toEqual(chunksOf(big, 20));
    expect(byteChunksOf([{ big: 'z'.repeat(40) }], 20).map((c) => c.text)).toEqual([`{"big":"${'z'.repeat(40)}"}\n`]);
    const chunker = new JsonlByteChunker(64);
    const first = [...Array(10).keys()].map((i) => chunker.push({ i })).find((c) => c !== null)!;
    const second = [...Array(10).keys()].map((i) => chunker.push({ i })).find((c) => c !== null)!;
    expect(first.buffer).not.toBe(second.buffer);
  });

  it('counts UTF-8 bytes like TextEncoder and emits valid UTF-8', async () => {
    const text = 'aé€😀\ud800z';
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    const parts = chunksOf(rows, 8192).map((c) => new TextEncoder().encode(c));
    const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(toJsonLines(rows));
  });

  it('refuses rows JSON cannot hold', () => {
    expect(() => chunksOf([undefined])).toThrow(/JSON line/);
  });

  it('splits streamed text back into lines across chunk borders', async () => {
    const lines = await all(splitLines(['a\r\nb', 'c\n', '\nd']));
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });
});

describe('train/test split', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `run:${i}`);

  it('is reproducible by seed and independent of order', () => {
    const a = testIds(ids, { seed: 7, testRatio: 0.1 });
    const b = testIds([...ids].reverse(), { seed: 7, testRatio: 0.1 });
    expect(a.size).toBe(100);
    expect([...a].sort()).toEqual([...b].sort());
    const other = testIds(ids, { seed: 8, testRatio: 0.1 });
    expect([...other].sort()).not.toEqual([...a].sort());
  });

  it('gives a record the same side on its own, whatever else is exported', () => {
    const opts = { seed: 3, testRatio: 0.2 };
    const sides = ids.map((id) => splitSide(id, opts));
    expect(ids.map((id) => splitSide(id, opts))).toEqual(sides);
    const share = sides.filter((s) => s === 'test').length / ids.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('keeps both splits non-empty for small sets and handles the edges', () => {
    expect(testIds(['a', 'b', 'c'], { seed: 1, testRatio: 0.01 }).size).toBe(1);
    expect(testIds(['a', 'b', 'c'], { seed: 1, testRatio: 0.99 }).size).toBe(2);
    expect(testIds(['a', 'b'], { seed: 1, testRatio: 0 }).size).toBe(0);
    expect(() => testIds(['a'], { seed: 1, testRatio: 1.5 })).toThrow(RangeError);
    const rs = ids.slice(0, 20).map((id, i) => record(i, { id }));
    const { train, test } = splitItems(rs, (r) => r.id, { seed: 5, testRatio: 0.25 });
    expect(test).toHaveLength(5);
    expect(train).toHaveLength(15);
    expect(train.map((r) => r.index)).toEqual([...train.map((r) => r.index)].sort((x, y) => x - y));
  });
});

describe('dedupe', () => {
  const story = 'the quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill';

  it('drops exact duplicates after normalising case and spacing', () => {
    const rs = [record(0, { final: 'Hello  World' }), record(1, { final: 'hello world', prompt: 'prompt 0' }), record(2)];
    const { kept, dropped } = dedupeRecords(rs, { near: false });
    expect(kept.map((r) => r.id)).toEqual(['run:0', 'run:2']);
    expect(dropped).toEqual([{ index: 1, of: 0, kind: 'exact', similarity: 1, id: 'run:1', ofId: 'run:0' }]);
  });

  it('drops near duplicates at the threshold and keeps different texts', () => {
    const near = story.replace('lazy', 'sleepy');
    const rs = [record(0, { prompt: 'p', final: story }), record(1, { prompt: 'p', final: near }), record(2, { prompt: 'p', final: 'an entirely different answer about tax law and filing deadlines in spring' })];
    const similarity = jaccard(shingles(['p', story]), shingles(['p', near]));
    expect(similarity).toBeGreaterThan(0.6);
    expect(similarity).toBeLessThan(0.9);
    expect(dedupeRecords(rs, { threshold: similarity }).kept.map((r) => r.id)).toEqual(['run:0', 'run:2']);
    expect(dedupeRecords(rs, { threshold: similarity + 0.01 }).kept).toHaveLength(3);
  });

  it('keeps the reviewed copy when a rejected record duplicates it', () => {
    const rs = [record(0, { review: { state: 'rejected' } }), record(1, { prompt: 'prompt 0', final: 'final 0' })];
    expect(dedupeRecords(rs).kept.map((r) => r.id)).toEqual(['run:1']);
  });

  it('finds planted near duplicates among many records in linear-ish time', () => {
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(' ');
    const texts = Array.from({ length: 3000 }, (_, i) => Array.from({ length: 30 }, (_, j) => words[(i * 7 + j * j * 13 + i * j) % words.length] + ((i * 31 + j) % 50)).join(' '));
    const planted = texts.slice(0, 50).map((t) => t.replace(/\S+$/, 'changed'));
    const found = findDuplicates([...texts, ...planted], (t) => [t], { threshold: 0.8 });
    const nearOnes = found.filter((d) => d.index >= texts.length);
    expect(nearOnes).toHaveLength(50);
    expect(nearOnes.every((d) => d.of === d.index - texts.length && d.kind === 'near')).toBe(true);
  });

  it('finds every pair just above the threshold and nothing between unrelated texts', () => {
    const rnd = new Random(99);
    const text = () => Array.from({ length: 100 }, () => `w${rnd.int(5000)}`).join(' ');
    const originals = Array.from({ length: 300 }, text);
    // Three words swapped far apart: 9 of 98 trigrams differ on each side, Jaccard 89/107 ≈ 0.83.
    const edited = originals.map((t) => t.split(' ').map((w, i) => (i % 33 === 16 ? 'swapped' + i : w)).join(' '));
    expect(jaccard(shingles([originals[0]!]), shingles([edited[0]!]))).toBeCloseTo(89 / 107);
    const found = findDuplicates([...originals, ...edited], (t) => [t], { threshold: 0.8 });
    expect(found.map((d) => [d.index - 300, d.of])).toEqual(originals.map((_, i) => [i, i]));
  });
});

describe('dataset stats', () => {
  it('bins lengths before and after revision on shared edges', () => {
    const rs = [record(0, { initial: 'one two three', final: 'one' }), record(1, { initial: 'a b c d e f g h i j k l', final: 'a b', review: { state: 'edited', editedText: 'a b c d e' } })];
    const s = lengthBeforeAfter(rs, { bins: 4 });
    expect(s.edges).toEqual([0, 5, 10, 15]);
    expect(s.before).toEqual([1, 0, 1]);
    expect(s.after).toEqual([1, 1, 0]); // the edit (5 words) counts, not the final (2)
    expect(s.meanBefore).toBe(7.5);
    expect(s.meanAfter).toBe(3);
    expect(niceEdges(95, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('counts principle usage and review states', () => {
    const rs = [record(0), record(1, { rounds: [round(2, 'x')], final: 'initial 1', review: { state: 'rejected' } })];
    expect(principleUsage(rs)).toEqual([
      { principleId: 'p2', name: 'Principle 2', count: 2 },
      { principleId: 'p1', name: 'Principle 1', count: 1 },
    ]);
    const trunc = record(2, { initialFinish: 'length', review: { state: 'edited', editedText: 'e' } });
    expect(reviewCounts([...rs, trunc])).toEqual({ total: 3, accepted: 0, rejected: 1, edited: 1, unreviewed: 1, truncated: 1, unchanged: 1 });
  });

  it('reports tokens per second over the run in bounded points', () => {
    const rs = Array.from({ length: 10 }, (_, i) => record(i, { usage: { promptTokens: 0, completionTokens: 10 * (i + 1), ms: 1000 }, createdAt: 100 - i }));
    rs.push(record(99, { usage: { promptTokens: 0, completionTokens: 5, ms: 0 } }));
    const t = throughput(rs, 5);
    expect(t.points).toHaveLength(5);
    expect(t.points[0]).toEqual({ at: 92, tokensPerSecond: 95, records: 2 }); // records 9 and 8, oldest first
    expect(t.overall).toBeCloseTo(55);
  });

  function pref(i: number, pAnswer1: number | null, positionConsistent: boolean | null, over: Partial<PreferenceRecord> = {}): PreferenceRecord {
    const decided = pAnswer1 !== null && Math.abs(pAnswer1 - 0.5) > 0.05;
    return {
      schemaVersion: SCHEMA_VERSION, id: `pr:${i}`, runId: 'pr', recipe: 'preference', index: i, promptId: `q${i}`, prompt: 'q',
      candidates: [{ text: 'a', origin: 'sampled' }, { text: 'b', origin: 'sampled' }],
      judgeModel: 'm', mode: 'plain', tieMargin: 0.05, judgements: [],
      label: { pAnswer1, verdict: decided ? (pAnswer1! > 0.5 ? 'answer1' : 'answer2') : 'tie', basis: pAnswer1 === null ? 'none' : 'probabilities' },
      chosen: decided ? 'a' : null, rejected: decided ? 'b' : null,
      lowConfidence: false, positionConsistent, usage: { promptTokens: 0, completionTokens: 0, ms: 0 }, createdAt: i, ...over,
    };
  }

  it('summarises judge margins and position consistency for plots and the card', () => {
    const rs = [pref(0, 0.9, true), pref(1, 0.2, false), pref(2, 0.5, true), pref(3, null, null), pref(4, 1, true, { review: { state: 'rejected' } })];
    expect(marginHistogram(rs, 4)).toEqual({ edges: [0, 0.25, 0.5, 0.75, 1], counts: [1, 0, 1, 2] });
    const f = preferenceFigures(rs);
    expect(f.pairs).toBe(2); // the tie, the undecided and the rejected pair are not pairs
    expect(f.positionConsistency).toBe(0.75);
    expect(f.meanMargin).toBeCloseTo((0.8 + 0.6 + 0 + 1) / 4);
  });
});
