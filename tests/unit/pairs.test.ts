import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairOfRow, parsePairsFile, pairErrorText, transcriptTurns } from '../../src/core/formats/pairs';
import { importJsonl } from '../../src/core/formats/dataset-import';
import { parseImportedPairs, preferenceRows } from '../../src/core/formats/preference';
import { toJsonLines } from '../../src/core/formats/jsonl';
import { ownRecords } from '../../src/core/recipes/index';
import type { PreferenceRecord } from '../../src/core/recipes/preference/types';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

/** ../shared/reference/llmbar/<name>, or null with a printed reason. */
function llmbar(name: string): string | null {
  const file = path.resolve(import.meta.dirname, '../../../shared/reference/llmbar', name);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  console.log(`skipping: ../shared/reference/llmbar/${name} not found (expected only on users' machines)`);
  return null;
}

describe('pair shapes', () => {
  it('reads LLMBar rows, the label naming the better output', () => {
    expect(pairOfRow({ input: 'q', output_1: 'x', output_2: 'y', label: 2 })).toEqual({ shape: 'llmbar', prompt: 'q', answerA: 'x', answerB: 'y', better: 1 });
    expect(pairOfRow({ input: 'q', output_1: 'x', output_2: 'y', label: 1 }).better).toBe(0);
    expect(() => pairOfRow({ input: 'q', output_1: 'x', output_2: 'y', label: 3 })).toThrow(/"label" must be 1 or 2/);
    expect(() => pairOfRow({ input: 'q', output_1: 5, output_2: 'y', label: 1 })).toThrow(/"output_1" must be text/);
  });

  it('reads HH-RLHF transcripts with the shared turns as the prompt, multi-turn too', () => {
    const one = pairOfRow({ chosen: '\n\nHuman: Hi there?\n\nAssistant: Hello, how can I help?', rejected: '\n\nHuman: Hi there?\n\nAssistant: Go away.' });
    expect(one).toEqual({ shape: 'hh-rlhf', prompt: 'Hi there?', answerA: 'Hello, how can I help?', answerB: 'Go away.', better: 0 });
    const multi = pairOfRow({
      chosen: '\n\nHuman: Name a fruit.\n\nAssistant: An apple.\n\nHuman: Another?\n\nAssistant: A pear.',
      rejected: '\n\nHuman: Name a fruit.\n\nAssistant: An apple.\n\nHuman: Another?\n\nAssistant: No.',
    });
    expect(multi.prompt).toBe('User: Name a fruit.\n\nAssistant: An apple.\n\nUser: Another?');
    expect([multi.answerA, multi.answerB]).toEqual(['A pear.', 'No.']);
    expect(transcriptTurns('Human: a\n\nAssistant: b')).toEqual([u('a'), a('b')]);
    expect(transcriptTurns('just text')).toBeNull();
    expect(() => pairOfRow({ chosen: 'plain', rejected: 'text' })).toThrow(/no prompt/);
    // Plain texts that are not transcripts: TRL's implicit prompt, the shared words.
    expect(pairOfRow({ chosen: 'The sky is blue.', rejected: 'The sky is green.' })).toMatchObject({ shape: 'trl', prompt: 'The sky is', answerA: 'blue.', answerB: 'green.' });
    expect(pairOfRow({ chosen: 'Colour: blue', rejected: 'Colour: black' })).toMatchObject({ prompt: 'Colour:', answerA: 'blue', answerB: 'black' });
    expect(() => pairOfRow({ chosen: 'same', rejected: 'same' })).toThrow(/same text/);
    expect(() => pairOfRow({ chosen: '\n\nHuman: a\n\nAssistant: b', rejected: '\n\nHuman: a\n\nAssistant: b' })).toThrow(/same conversation/);
    expect(() => pairOfRow({ chosen: '\n\nHuman: a\n\nAssistant: b', rejected: '\n\nHuman: c\n\nAssistant: b' })).toThrow(/no prompt/);
  });

  it('reads TRL rows: explicit or implicit prompt, strings or message lists, multi-turn', () => {
    expect(pairOfRow({ prompt: 'q', chosen: 'c', rejected: 'r' })).toMatchObject({ shape: 'trl', prompt: 'q', answerA: 'c', answerB: 'r', better: 0 });
    expect(pairOfRow({ prompt: [u('q')], chosen: [a('c')], rejected: [a('r')] })).toMatchObject({ prompt: 'q', answerA: 'c', answerB: 'r' });
    expect(pairOfRow({ chosen: [u('q'), a('c')], rejected: [u('q'), a('r')] })).toMatchObject({ prompt: 'q', answerA: 'c', answerB: 'r' });
    const multi = pairOfRow({ chosen: [{ role: 'system', content: 'Be kind.' }, u('q'), a('c')], rejected: [{ role: 'system', content: 'Be kind.' }, u('q'), a('r')] });
    expect(multi.prompt).toBe('System: Be kind.\n\nUser: q');
    expect(() => pairOfRow({ chosen: [u('q'), a('c')], rejected: [u('other'), a('r')] })).toThrow(/no prompt/);
    expect(() => pairOfRow({ prompt: 'q', chosen: [{ role: 'bot', content: 'c' }], rejected: 'r' })).toThrow(/"chosen\[0\]\.role"/);
    expect(() => pairOfRow({ prompt: 'q', chosen: 5, rejected: 'r' })).toThrow(/"chosen" must be text or a list/);
  });

  it('reads UltraFeedback-binarized rows: prompt repeated in the conversations, ratings kept', () => {
    const row = { prompt: 'Write a haiku.', prompt_id: 'abc', chosen: [u('Write a haiku.'), a('Leaves fall')], rejected: [u('Write a haiku.'), a('No.')], messages: [], score_chosen: 8.5, score_rejected: 3 };
    expect(pairOfRow(row)).toEqual({ shape: 'trl', promptId: 'abc', prompt: 'Write a haiku.', answerA: 'Leaves fall', answerB: 'No.', better: 0, scores: { a: 8.5, b: 3 } });
    expect(() => pairOfRow({ ...row, score_chosen: 'high' })).toThrow(/"score_chosen" must be a number/);
  });

  it('reads this app\'s own pairs and its own TRL preference export', () => {
    expect(pairOfRow({ prompt: 'p', answerA: 'x', answerB: 'y', id: 7 })).toEqual({ shape: 'answers', prompt: 'p', answerA: 'x', answerB: 'y', promptId: '7' });
    const record = {
      prompt: 'Why?', chosen: 'Because.', rejected: 'No.', label: { pAnswer1: 0.8, verdict: 'answer1' }, review: undefined, lowConfidence: false,
    } as unknown as PreferenceRecord;
    const exported = parseImportedPairs(toJsonLines(preferenceRows([record])));
    expect(exported.errors).toEqual([]);
    expect(exported.pairs).toEqual([{ prompt: 'Why?', answerA: 'Because.', answerB: 'No.' }]);
  });

  it('treats __proto__ keys as plain unknown fields', () => {
    const text = ['{"__proto__": {"prompt": "sneaky", "answerA": "x", "answerB": "y"}}', '{"prompt": "q", "chosen": "c", "rejected": "r", "__proto__": {"polluted": true}}'].join('\n');
    const { pairs, errors } = parsePairsFile(text);
    expect(errors).toEqual([{ line: 1, unit: 'line', message: expect.stringMatching(/not a pair/) }]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ prompt: 'q', answerA: 'c' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(pairs[0])).toBe(Object.prototype);
  });
});

describe('pair files', () => {
  it('names bad lines by number and keeps the rest', () => {
    const text = ['{"prompt":"p1","answerA":"a","answerB":"b"}', '', 'not json', '{"prompt":"p2","answerA":"a"}', '[1]', '{"input":"q","output_1":"x","output_2":"y","label":1}'].join('\r\n');
    const { pairs, errors } = parsePairsFile(text);
    expect(pairs.map((p) => p.prompt)).toEqual(['p1', 'q']);
    expect(errors.map(pairErrorText)).toEqual([
      expect.stringMatching(/^Line 3: /),
      'Line 4: needs "answerA" and "answerB" as text',
      'Line 5: expected a JSON object',
    ]);
  });

  it('reads a JSON array, naming bad items by number', () => {
    const { pairs, errors } = parsePairsFile(JSON.stringify([{ input: 'q', output_1: 'x', output_2: 'y', label: 1 }, { input: 'q' }, 'text']));
    expect(pairs).toHaveLength(1);
    expect(errors.map(pairErrorText)).toEqual(['Item 2: "label" must be 1 or 2 (the better output)', 'Item 3: expected a JSON object']);
    expect(() => parsePairsFile('[{"input": ')).toThrow(/not a JSON array/);
  });

  it.each([
    ['natural.json', 100],
    ['mt-bench-processed.json', 200],
  ])('reads LLMBar %s: every pair with its human label', (name, count) => {
    const text = llmbar(name);
    if (text === null) return;
    const { pairs, errors } = parsePairsFile(text);
    expect(errors).toEqual([]);
    expect(pairs).toHaveLength(count);
    const raw = JSON.parse(text) as { input: string; label: number }[];
    expect(pairs.map((p) => p.better)).toEqual(raw.map((r) => r.label - 1));
    expect(pairs.every((p, i) => p.prompt === raw[i].input && p.shape === 'llmbar')).toBe(true);
    // Both labels occur, so an always-first judge cannot score well by position alone.
    expect(new Set(pairs.map((p) => p.better)).size).toBe(2);
  });
});

describe('the Datasets tab reads the same shapes', () => {
  const opts = { runId: 'imp', now: 1 };

  it('imports UltraFeedback, HH-RLHF and TRL implicit-prompt rows as preference records, ratings kept', () => {
    const lines = [
      { prompt: 'Write a haiku.', chosen: [u('Write a haiku.'), a('Leaves fall')], rejected: [u('Write a haiku.'), a('No.')], score_chosen: 8.5, score_rejected: 3 },
      { chosen: '\n\nHuman: Hi?\n\nAssistant: Hello!', rejected: '\n\nHuman: Hi?\n\nAssistant: Bye.' },
      { chosen: [u('q'), a('c')], rejected: [u('q'), a('r')] },
    ];
    const result = importJsonl(toJsonLines(lines), opts);
    expect(result.errors).toEqual([]);
    const prefs = ownRecords('preference', result.records);
    expect(prefs.map((r) => [r.prompt, r.chosen, r.rejected])).toEqual([['Write a haiku.', 'Leaves fall', 'No.'], ['Hi?', 'Hello!', 'Bye.'], ['q', 'c', 'r']]);
    expect(prefs[0].scores).toEqual({ chosen: 8.5, rejected: 3 });
    expect(prefs[0].label.pAnswer1).toBeNull();
    // Ratings are not probabilities: they go out again as they came in.
    const [row] = [...preferenceRows([prefs[0]])];
    expect(row).toMatchObject({ score_chosen: 8.5, score_rejected: 3 });
  });

  it('imports LLMBar JSONL rows with the preferred output as the chosen answer', () => {
    const result = importJsonl('{"input":"q","output_1":"worse","output_2":"better","label":2}\n', opts);
    const [rec] = ownRecords('preference', result.records);
    expect([rec.chosen, rec.rejected]).toEqual(['better', 'worse']);
  });

  it('names a bad pair row by line, keeping the rest', () => {
    const result = importJsonl(['{"chosen":"plain","rejected":"text"}', '{"prompt":"q","chosen":"c","rejected":"r"}'].join('\n'), opts);
    expect(result.records).toHaveLength(1);
    expect(result.errors).toEqual([{ line: 1, message: expect.stringMatching(/no prompt/) }]);
  });
});
