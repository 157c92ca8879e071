import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResult, CallOptions } from '../../src/core/engine';
import type { AugmentEvent } from '../../src/core/recipes/augment/types';
import type { BackTranslateSpec } from '../../src/core/recipes/back-translate/types';
import type { SelfInstructSpec } from '../../src/core/recipes/self-instruct/types';
import {
  acceptedSoFar,
  collectSelfInstructPrompts,
  parseNumberedList,
  selfInstructStep,
  validateSelfInstructSpec,
  type SelfInstructContext,
} from '../../src/core/recipes/self-instruct/make';
import {
  backTranslateStep,
  cleanTranslation,
  collectBackTranslatePrompts,
  judgeParaphrase,
  validateBackTranslateSpec,
} from '../../src/core/recipes/back-translate/make';
import { fromPivotMessages, proposeMessages, toPivotMessages } from '../../src/core/recipes/augment/prompts';
import { rougeL } from '../../src/core/similarity';
import { ScriptedEngine } from '../support/scripted-engine';

const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'x' };
const sampling = { temperature: 0.7, topP: 0.9, maxTokens: 256 };

const SEEDS = [
  'How do I bake sourdough bread at home?',
  'Explain how vaccines train the immune system.',
  'Write a haiku about autumn rain.',
  'What are good ways to learn a new language as an adult?',
  'Give me tips for a first job interview.',
];

function siSpec(over: Partial<SelfInstructSpec> = {}): SelfInstructSpec {
  return {
    recipe: 'self-instruct',
    model,
    sampling,
    seed: 11,
    seeds: SEEDS.map((text, i) => ({ id: `s${i}`, text })),
    topics: ['cooking', 'travel', 'science'],
    description: 'Everyday questions for a general assistant',
    steps: 10,
    perBatch: 5,
    seedsShown: 3,
    generatedShown: 2,
    similarity: { metric: 'rouge-l', threshold: 0.7 },
    minChars: 10,
    maxChars: 200,
    ...over,
  };
}

const BATCH = [
  'Here are five new requests:',
  '',
  '1. How can I bake sourdough bread at home?',
  '2) **What is the best way to store fresh herbs?**',
  '3. "Plan a three-day trip to Kyoto on a budget."',
  '4. Hi?',
  '5. What is the best way to store fresh herbs',
  `6. ${'Describe '.repeat(40)}`,
  '7. Explain why the sky looks blue during the day.',
].join('\n');

/** An engine whose every reply ends as if cut by max_tokens. */
class CutEngine extends ScriptedEngine {
  override async chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResult> {
    return { ...(await super.chat(req, opts)), finishReason: 'length' };
  }
}

const siContext = (over: Partial<SelfInstructContext> = {}): SelfInstructContext => ({
  runId: 'run',
  engine: new ScriptedEngine(() => BATCH),
  spec: siSpec(),
  accepted: [],
  now: () => 123,
  ...over,
});

describe('parseNumberedList', () => {
  it('reads numbered items in their usual spellings and drops the introduction', () => {
    expect(parseNumberedList(BATCH).slice(0, 4)).toEqual([
      'How can I bake sourdough bread at home?',
      'What is the best way to store fresh herbs?',
      'Plan a three-day trip to Kyoto on a budget.',
      'Hi?',
    ]);
    expect(parseNumberedList('**1.** First\n(2) Second\nRequest 3: Third\n## 4. Fourth\n10. Tenth')).toEqual(['First', 'Second', 'Third', 'Fourth', 'Tenth']);
  });

  it('falls back to bullets, then to plain lines', () => {
    expect(parseNumberedList('Some ideas:\n- one idea\n* two idea\n• three')).toEqual(['one idea', 'two idea', 'three']);
    expect(parseNumberedList('Sure! Here you go:\nFirst plain line\n\nSecond plain line\r\n')).toEqual(['Sure! Here you go:', 'First plain line', 'Second plain line'].slice(1));
    expect(parseNumberedList('')).toEqual([]);
  });
});

describe('self-instruct step', () => {
  it('keeps new prompts and drops near-duplicates, short, long and repeated ones, with their similarity', async () => {
    const r = await selfInstructStep(0, siContext());
    expect(r.kept.map((k) => k.text)).toEqual([
      'What is the best way to store fresh herbs?',
      'Plan a three-day trip to Kyoto on a budget.',
      'Explain why the sky looks blue during the day.',
    ]);
    expect(r.kept.map((k) => k.id)).toEqual(['run:0:0', 'run:0:1', 'run:0:2']);
    const reasons = r.dropped.map((d) => [d.reason, d.nearest]);
    expect(reasons).toEqual([
      ['similar', SEEDS[0]],
      ['too-short', undefined],
      ['similar', 'What is the best way to store fresh herbs?'],
      ['too-long', undefined],
    ]);
    expect(r.dropped[0].similarity).toBeCloseTo(rougeL(SEEDS[0], 'How can I bake sourdough bread at home?'), 12);
    expect(r.dropped[2].similarity).toBe(1);
    for (const k of r.kept) expect(k.similarity).toBeLessThan(0.7);
    expect(r).toMatchObject({ id: 'run:0', index: 0, recipe: 'self-instruct', finish: 'stop', createdAt: 123, raw: BATCH.trim() });
    expect(r.proposed).toHaveLength(7);
    expect(r.usage.completionTokens).toBeGreaterThan(0);
  });

  it('raising the threshold keeps the near-duplicate of a seed', async () => {
    const r = await selfInstructStep(0, siContext({ spec: siSpec({ similarity: { metric: 'rouge-l', threshold: 0.99 } }) }));
    expect(r.kept.map((k) => k.text)).toContain('How can I bake sourdough bread at home?');
    const jac = await selfInstructStep(0, siContext({ spec: siSpec({ similarity: { metric: 'jaccard', n: 2, threshold: 0.99 } }) }));
    expect(jac.kept.map((k) => k.text)).toContain('How can I bake sourdough bread at home?');
  });

  it('drops a proposal whose similarity equals the threshold exactly', async () => {
    const score = rougeL(SEEDS[0], 'How can I bake sourdough bread at home?');
    const at = await selfInstructStep(0, siContext({ spec: siSpec({ similarity: { metric: 'rouge-l', threshold: score } }) }));
    expect(at.dropped[0]).toMatchObject({ reason: 'similar', similarity: score });
    const above = await selfInstructStep(0, siContext({ spec: siSpec({ similarity: { metric: 'rouge-l', threshold: score + 1e-9 } }) }));
    expect(above.kept[0]).toMatchObject({ text: 'How can I bake sourdough bread at home?', nearest: SEEDS[0] });
  });

  it('drops proposals that repeat prompts accepted in earlier steps', async () => {
    const r = await selfInstructStep(1, siContext({ accepted: ['Plan a three day trip to Kyoto on a budget'] }));
    expect(r.kept.map((k) => k.text)).not.toContain('Plan a three-day trip to Kyoto on a budget.');
    expect(r.dropped.find((d) => d.text.startsWith('Plan'))).toMatchObject({ reason: 'similar', nearest: 'Plan a three day trip to Kyoto on a budget' });
  });

  it('shows sampled seeds, earlier prompts, topic and description, and records that provenance', async () => {
    const engine = new ScriptedEngine(() => BATCH);
    const accepted = ['Earlier generated one about gardens', 'Earlier generated two about bikes', 'Earlier three about maps'];
    const r = await selfInstructStep(2, siContext({ engine, accepted }));
    expect(r.shownSeedIds).toHaveLength(3);
    expect(new Set(r.shownSeedIds).size).toBe(3);
    expect(r.shownGenerated).toHaveLength(2);
    expect(siSpec().topics).toContain(r.topic);
    const content = engine.requests[0].messages[0].content;
    for (const id of r.shownSeedIds) expect(content).toContain(SEEDS[Number(id.slice(1))]);
    for (const g of r.shownGenerated) expect(content).toContain(g);
    expect(content).toContain(r.topic!);
    expect(content).toContain('Everyday questions for a general assistant');
    expect(content).toMatch(/numbered list from 1 to 5/);
  });

  it('is deterministic per step and varies across steps', async () => {
    const run = async (step: number) => {
      const engine = new ScriptedEngine(() => BATCH);
      const r = await selfInstructStep(step, siContext({ engine, accepted: ['g1 text here', 'g2 text here', 'g3 text here'] }));
      return JSON.stringify([r.shownSeedIds, r.shownGenerated, r.topic, engine.requests[0].seed]);
    };
    expect(await run(3)).toBe(await run(3));
    const draws = new Set<string>();
    for (let step = 0; step < 8; step++) draws.add(await run(step));
    expect(draws.size).toBeGreaterThan(4);
  });

  it('drops the last proposal of a reply cut by max_tokens', async () => {
    const r = await selfInstructStep(0, siContext({ engine: new CutEngine(() => BATCH) }));
    expect(r.finish).toBe('length');
    expect(r.dropped.at(-1)).toEqual({ text: 'Explain why the sky looks blue during the day.', reason: 'cut-off' });
  });

  it('streams events, honours abort and refuses bad specs or steps', async () => {
    const events: AugmentEvent[] = [];
    await selfInstructStep(0, siContext({ onEvent: (e) => events.push(e) }));
    expect(events[0]).toEqual({ type: 'step', index: 0, step: 'propose' });
    expect(events.filter((e) => e.type === 'token').map((e) => (e.type === 'token' ? e.text : '')).join('')).toBe(BATCH);
    const controller = new AbortController();
    controller.abort();
    await expect(selfInstructStep(0, siContext({ signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    await expect(selfInstructStep(10, siContext())).rejects.toThrow(/outside the run/);
    expect(() => validateSelfInstructSpec(siSpec({ seeds: [] }))).toThrow(/seed/);
    expect(() => validateSelfInstructSpec(siSpec({ similarity: { metric: 'rouge-l', threshold: 0 } }))).toThrow(/threshold/);
    expect(() => validateSelfInstructSpec(siSpec({ perBatch: 0 }))).toThrow(/per batch/);
  });

  it('collects kept prompts across steps in order, with provenance', async () => {
    const r0 = await selfInstructStep(0, siContext());
    const r1 = await selfInstructStep(1, siContext({ accepted: acceptedSoFar([r0]), engine: new ScriptedEngine(() => '1. Name three rivers in South America.') }));
    expect(acceptedSoFar([r1, r0])).toEqual([...r0.kept.map((k) => k.text), 'Name three rivers in South America.']);
    const set = collectSelfInstructPrompts([r1, r0]);
    expect(set.map((p) => p.id)).toEqual(['run:0:0', 'run:0:1', 'run:0:2', 'run:1:0']);
    expect(set[3].tags?.[0]).toBe('self-instruct');
    expect(set[3].source).toMatch(/step 2 \(seeds: s\d, s\d, s\d\)/);
  });
});

const PIVOT_STYLE: Record<string, (text: string) => string> = {
  French: (t) => t.replace('How do I', 'How can I').replace('?', ' at home?'),
  German: (t) => t,
  Spanish: () => 'I am sorry, but I cannot help with that request.',
  Italian: (t) => `"${t.replace('How do I', 'How can I').replace('?', ' at home?')}"`,
};

/** Translates by rule: to a pivot, prefixes the language; back, applies that pivot's style. */
function translator(cutPivot?: string) {
  return new ScriptedEngine((req) => {
    const content = req.messages[0].content;
    const [, from, to] = /^Translate the (\w+) text between the markers into (\w+)\./.exec(content)!;
    const text = /<<<\n([\s\S]*)\n>>>/.exec(content)![1];
    if (from === 'English') return to === cutPivot ? '' : `Translation: [${to}] ${text}`;
    return PIVOT_STYLE[from](text.replace(`[${from}] `, ''));
  });
}

function btSpec(over: Partial<BackTranslateSpec> = {}): BackTranslateSpec {
  return {
    recipe: 'back-translate',
    model,
    sampling,
    seed: 5,
    sourceLanguage: 'English',
    pivots: ['French', 'German', 'Spanish', 'Italian'],
    prompts: [{ id: 'q1', text: 'How do I fix a flat bicycle tyre?' }, { id: 'q2', text: 'How do I plant tomatoes?' }],
    promptSetId: 'ps',
    promptSetName: 'PS',
    similarity: { metric: 'rouge-l', low: 0.3, high: 0.95 },
    ...over,
  };
}

describe('back-translation step', () => {
  it('keeps a paraphrase in the band and says why the others were dropped', async () => {
    const engine = translator();
    const r = await backTranslateStep(0, { runId: 'bt', engine, spec: btSpec(), now: () => 7 });
    expect(r).toMatchObject({ id: 'bt:0', index: 0, promptId: 'q1', prompt: 'How do I fix a flat bicycle tyre?', createdAt: 7 });
    const [fr, de, es, it] = r.translations;
    expect(fr).toMatchObject({ pivot: 'French', pivotText: '[French] How do I fix a flat bicycle tyre?', backText: 'How can I fix a flat bicycle tyre at home?', kept: true });
    expect(fr.similarity).toBeCloseTo(rougeL('How do I fix a flat bicycle tyre?', fr.backText), 12);
    expect(de).toMatchObject({ kept: false, reason: 'identical', similarity: 1 });
    expect(es).toMatchObject({ kept: false, reason: 'drifted' });
    expect(es.similarity).toBeLessThan(0.3);
    // Italian gives the French paraphrase again (in quotes, which are cleaned off): a duplicate.
    expect(it).toMatchObject({ kept: false, reason: 'duplicate', backText: fr.backText });
    expect(engine.requests).toHaveLength(8);
  });

  it('moves the band to change what is kept', async () => {
    const wide = await backTranslateStep(0, { runId: 'bt', engine: translator(), spec: btSpec({ similarity: { metric: 'rouge-l', low: 0, high: 1 } }) });
    expect(wide.translations.map((t) => t.reason)).toEqual([undefined, 'identical', undefined, 'duplicate']);
    const narrow = await backTranslateStep(0, { runId: 'bt', engine: translator(), spec: btSpec({ similarity: { metric: 'jaccard', low: 0.9, high: 0.95 } }) });
    expect(narrow.translations[0]).toMatchObject({ kept: false, reason: 'drifted' });
  });

  it('records an empty pivot translation and does not translate it back', async () => {
    const engine = translator('German');
    const r = await backTranslateStep(1, { runId: 'bt', engine, spec: btSpec({ pivots: ['German', 'French'] }) });
    expect(r.translations[0]).toMatchObject({ pivot: 'German', pivotText: '', backText: '', kept: false, reason: 'empty' });
    expect(r.translations[0].backFinish).toBeUndefined();
    expect(r.translations[1].kept).toBe(true);
    expect(engine.requests).toHaveLength(3);
  });

  it('marks a leg cut by max_tokens', async () => {
    const r = await backTranslateStep(0, { runId: 'bt', engine: new CutEngine(() => 'partial'), spec: btSpec({ pivots: ['French'] }) });
    expect(r.translations[0]).toMatchObject({ reason: 'cut-off', kept: false, pivotFinish: 'length' });
  });

  it('is deterministic per prompt and reports events per leg', async () => {
    const seeds = async (index: number) => {
      const engine = translator();
      await backTranslateStep(index, { runId: 'bt', engine, spec: btSpec() });
      return engine.requests.map((q) => q.seed).join();
    };
    expect(await seeds(0)).toBe(await seeds(0));
    expect(await seeds(0)).not.toBe(await seeds(1));
    const events: AugmentEvent[] = [];
    await backTranslateStep(0, { runId: 'bt', engine: translator(), spec: btSpec({ pivots: ['French'] }), onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'step')).toEqual([
      { type: 'step', index: 0, step: 'to-pivot', pivot: 'French' },
      { type: 'step', index: 0, step: 'from-pivot', pivot: 'French' },
    ]);
  });

  it('refuses settings that cannot work', async () => {
    expect(() => validateBackTranslateSpec(btSpec({ pivots: [] }))).toThrow(/pivot/);
    expect(() => validateBackTranslateSpec(btSpec({ pivots: ['english'] }))).toThrow(/own language/);
    expect(() => validateBackTranslateSpec(btSpec({ pivots: ['French', 'french '] }))).toThrow(/only once/);
    expect(() => validateBackTranslateSpec(btSpec({ similarity: { metric: 'rouge-l', low: 0.8, high: 0.5 } }))).toThrow(/band/);
    await expect(backTranslateStep(2, { runId: 'bt', engine: translator(), spec: btSpec() })).rejects.toThrow(/outside the run/);
  });

  it('collects kept paraphrases, optionally after their originals', async () => {
    const records = await Promise.all([1, 0].map((i) => backTranslateStep(i, { runId: 'bt', engine: translator(), spec: btSpec() })));
    const only = collectBackTranslatePrompts(records);
    expect(only.map((p) => p.id)).toEqual(['q1~french', 'q2~french']);
    expect(only[0]).toMatchObject({ text: 'How can I fix a flat bicycle tyre at home?', tags: ['back-translation', 'French'] });
    expect(collectBackTranslatePrompts(records, true).map((p) => p.id)).toEqual(['q1', 'q1~french', 'q2', 'q2~french']);
  });
});

describe('helpers and prompt texts', () => {
  it('cleans wrappers off translations', () => {
    expect(cleanTranslation('Translation: "Bonjour"')).toBe('Bonjour');
    expect(cleanTranslation('French translation:  Salut tout le monde')).toBe('Salut tout le monde');
    expect(cleanTranslation("Here's the translation:\n<<<\nHallo\n>>>")).toBe('Hallo');
    expect(cleanTranslation('```\nHola\n```')).toBe('Hola');
    expect(cleanTranslation('Keep "inner" quotes')).toBe('Keep "inner" quotes');
  });

  it('judges identical, drifted and kept paraphrases', () => {
    const band = { metric: 'rouge-l' as const, low: 0.3, high: 0.9 };
    expect(judgeParaphrase('Same text', '  same   TEXT ', band)).toMatchObject({ kept: false, reason: 'identical' });
    expect(judgeParaphrase('cats like milk', 'taxes are due', band)).toMatchObject({ kept: false, reason: 'drifted', similarity: 0 });
    expect(judgeParaphrase('how do I cook rice well', 'how can I cook rice properly', band)).toMatchObject({ kept: true });
  });

  it('asks for translation only, fencing the text off, in both directions', () => {
    const there = toPivotMessages('Tell me how to pick a lock.', 'French', 'English')[0].content;
    expect(there).toMatch(/^Translate the English text between the markers into French\./);
    expect(there).toMatch(/do not answer it/);
    expect(there).toContain('<<<\nTell me how to pick a lock.\n>>>');
    expect(fromPivotMessages('Bonjour', 'French', 'English')[0].content).toMatch(/^Translate the French text between the markers into English\./);
    const propose = proposeMessages({ examples: ['a\nb'], count: 4 })[0].content;
    expect(propose).toContain('1. a b');
    expect(propose).not.toMatch(/subject:/);
  });
});
