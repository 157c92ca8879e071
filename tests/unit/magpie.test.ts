import { describe, expect, it } from 'vitest';
import { CHATML_SMOLLM2, GEMMA2_IT, LLAMA3_INSTRUCT, WEBLLM_CHATML_CONV } from './fixtures/chat-templates';
import { CompletionEngine } from '../support/completion-engine';
import { FAMILY_TEMPLATES, fromJinja, preQueryFor, TemplateError, TEMPLATE_FAMILIES } from '../../src/core/recipes/magpie/template';
import { lengthDrop, screenTurn } from '../../src/core/recipes/magpie/filters';
import { diversity } from '../../src/core/recipes/magpie/diversity';
import { collectMagpiePrompts, keptSoFar, magpieSample, type MagpieEvent } from '../../src/core/recipes/magpie/make';
import { magpieRunSpec } from '../../src/core/recipes/magpie/spec';
import { magpie } from '../../src/core/recipes/magpie/recipe';
import type { MagpieRecord, MagpieSpec, TemplateChoice } from '../../src/core/recipes/magpie/types';
import { restoreRecord, restoreRun } from '../../src/core/schema/restore';
import { SCHEMA_VERSION } from '../../src/core/types';

const model = { backend: 'cpu' as const, kind: 'url' as const, url: 'x', name: 'x' };
const jinja = (template: string): TemplateChoice => ({ kind: 'model', source: { kind: 'jinja', template } });

function spec(over: Partial<Parameters<typeof magpieRunSpec>[0]> = {}): MagpieSpec {
  return magpieRunSpec({
    model,
    template: { kind: 'family', family: 'chatml' },
    samples: 5,
    seed: 3,
    sampling: { temperature: 1, topP: 1, maxTokens: 64 },
    systemPrompt: '',
    topics: [],
    personas: [],
    answers: null,
    metric: 'rouge-l',
    threshold: 0.7,
    reference: null,
    ...over,
  });
}

describe('Magpie pre-query from real GGUF chat templates', () => {
  it('ChatML (SmolLM2): the opening of a user turn, ending at the end-of-turn token', () => {
    const pre = preQueryFor(jinja(CHATML_SMOLLM2), '');
    expect(pre.text).toBe('<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n');
    expect(pre.stop).toEqual(['<|im_end|>']);
    expect(pre.assistantOpening).toBe('<|im_start|>assistant');
    expect(preQueryFor(jinja(CHATML_SMOLLM2), 'Be brief.').text).toBe('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n');
  });

  it('Llama 3: header of the user turn, BOS left to the engine', () => {
    const pre = preQueryFor(jinja(LLAMA3_INSTRUCT), '');
    expect(pre.text).toBe('<|start_header_id|>user<|end_header_id|>\n\n');
    expect(pre.stop).toEqual(['<|eot_id|>']);
    expect(pre.assistantOpening).toBe('<|start_header_id|>assistant<|end_header_id|>');
    expect(preQueryFor(jinja(LLAMA3_INSTRUCT), 'Sys').text).toBe('<|start_header_id|>system<|end_header_id|>\n\nSys<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n');
  });

  it('Gemma 2: refuses a system turn, so steering text opens the user turn instead', () => {
    expect(preQueryFor(jinja(GEMMA2_IT), '')).toEqual({ text: '<start_of_turn>user\n', stop: ['<end_of_turn>'], assistantOpening: '<start_of_turn>model' });
    expect(preQueryFor(jinja(GEMMA2_IT), 'The user is a nurse.').text).toBe('<start_of_turn>user\nThe user is a nurse.\n\n');
  });

  it('WebLLM conversation template: system part, user role and separator', () => {
    const pre = preQueryFor({ kind: 'model', source: { kind: 'conversation', template: WEBLLM_CHATML_CONV } }, '');
    expect(pre.text).toBe('<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n');
    expect(pre.stop).toEqual(['<|im_end|>']);
  });

  it('every family the user can pick gives a non-empty opening and a stop', () => {
    for (const family of TEMPLATE_FAMILIES) {
      const pre = preQueryFor({ kind: 'family', family }, 'S');
      expect(pre.text.trim().length, family).toBeGreaterThan(0);
      expect(pre.stop.length, family).toBe(1);
      expect(pre.text, family).toContain('S');
    }
    expect(preQueryFor({ kind: 'family', family: 'mistral' }, '').text).toBe('[INST] ');
    expect(Object.keys(FAMILY_TEMPLATES)).toEqual(['chatml', 'llama3', 'gemma', 'phi', 'mistral']);
  });

  it('bad templates give a clear TemplateError saying what is wrong', () => {
    const bad = (t: string) => () => fromJinja(t, '', "the model's chat template");
    expect(bad('{% for m in messages %}{{ m.content }')).toThrow(TemplateError);
    expect(bad('{% for m in messages %}{{ m.content }')).toThrow(/cannot be read as a Jinja template/);
    expect(bad('{% for m in messages %}{{ m.role }}{% endfor %}')).toThrow(/does not include the user's message/);
    expect(bad('{% for m in messages %}{{ m.content }}\n{% endfor %}')).toThrow(/puts nothing before the user's message/);
    expect(bad('  ')).toThrow(/is empty/);
    expect(bad("{{ raise_exception('no users here') }}")).toThrow(/failed to render a user message: .*no users here/);
    expect(() => spec({ template: jinja('{{ oops') })).toThrow(TemplateError);
  });
});

describe('Magpie filters', () => {
  const pre = preQueryFor(jinja(CHATML_SMOLLM2), '');

  it('keeps one clean user turn, trimmed', () => {
    expect(screenTurn('  How do I repot a cactus without getting pricked?\n', 'stop', pre)).toEqual({ prompt: 'How do I repot a cactus without getting pricked?' });
  });

  it('drops turns that are not one clean user turn', () => {
    expect(screenTurn('How do I', 'length', pre)).toMatchObject({ reason: 'not-clean', detail: expect.stringMatching(/token limit/) });
    expect(screenTurn('   ', 'stop', pre)).toMatchObject({ reason: 'not-clean' });
    expect(screenTurn('Tell me a joke <|im_start|>system', 'stop', pre)).toMatchObject({ reason: 'not-clean', detail: 'chat markup inside the turn' });
    expect(screenTurn('Fix this [INST] thing', 'stop', pre)).toMatchObject({ reason: 'not-clean' });
  });

  it('drops the model answering itself', () => {
    expect(screenTurn('What is 2+2? <|im_start|>assistant\n4', 'stop', pre)).toMatchObject({ reason: 'answers-itself' });
    expect(screenTurn('What is 2+2?\nAssistant: 4', 'stop', pre)).toMatchObject({ reason: 'answers-itself' });
    expect(screenTurn('Sure! Here is a poem about the sea.', 'stop', pre)).toMatchObject({ reason: 'answers-itself' });
    expect(screenTurn('Certainly, I can help with that.', 'stop', pre)).toMatchObject({ reason: 'answers-itself' });
  });

  it('length limits name the count and the limit', () => {
    expect(lengthDrop('hi', 10, 100)).toEqual({ reason: 'too-short', detail: '2 characters, fewer than 10' });
    expect(lengthDrop('x'.repeat(101), 10, 100)).toMatchObject({ reason: 'too-long' });
    expect(lengthDrop('just right here', 10, 100)).toBeNull();
  });
});

describe('Magpie samples with a scripted engine', () => {
  const turns = [
    'How can I keep basil alive on a windowsill?',
    'How can I keep basil alive on a windowsill?', // near-duplicate of sample 0
    'Sure! Basil needs light.', // answers itself
    'Hi', // too short
    'Plan a three-day walking trip in the Lake District for a beginner.',
  ];

  async function runAll(s: MagpieSpec, engine: CompletionEngine, events: MagpieEvent[] = []): Promise<MagpieRecord[]> {
    const records: MagpieRecord[] = [];
    for (let i = 0; i < s.samples; i++) {
      records.push(await magpieSample(i, { runId: 'r', engine, spec: s, accepted: keptSoFar(records), onEvent: (e) => events.push(e), now: () => 5 }));
    }
    return records;
  }

  it('sends the pre-query as a raw completion with the stop, and screens each turn in order', async () => {
    const engine = new CompletionEngine((_req, n) => ({ text: `${turns[n]}<|im_end|>\nleftover` }));
    const events: MagpieEvent[] = [];
    const records = await runAll(spec(), engine, events);
    expect(engine.completions[0]).toMatchObject({ prompt: '<|im_start|>user\n', stop: ['<|im_end|>'], maxTokens: 64 });
    expect(records.map((r) => r.drop?.reason ?? 'kept')).toEqual(['kept', 'near-duplicate', 'answers-itself', 'too-short', 'kept']);
    expect(records[1].drop).toMatchObject({ similarity: 1, nearest: turns[0], detail: 'similarity 1.00 to an earlier kept prompt' });
    expect(records.every((r) => r.recipe === 'magpie' && r.schemaVersion === SCHEMA_VERSION)).toBe(true);
    expect(events.filter((e) => e.type === 'step').map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(engine.requests).toHaveLength(0); // no answers asked for
    expect(collectMagpiePrompts(records).map((p) => p.text)).toEqual([turns[0], turns[4]]);
  });

  it('can end a turn at its first line break, for models that never end theirs', async () => {
    const engine = new CompletionEngine(() => ({ text: 'What makes bread rise?\nOnce upon a time' }));
    const [record] = await runAll(spec({ samples: 1, stopAtLineBreak: true }), engine);
    expect(engine.completions[0].stop).toEqual(['<|im_end|>', '\n']);
    expect(record.prompt).toBe('What makes bread rise?');
  });

  it('drops near-duplicates of the reference prompt set and names it', async () => {
    const reference = { id: 'set', name: 'Garden set', prompts: [{ id: 'g', text: 'How can I keep basil alive on a sunny windowsill?' }] };
    const engine = new CompletionEngine(() => ({ text: turns[0] }));
    const [record] = await runAll(spec({ samples: 1, reference }), engine);
    expect(record.drop).toMatchObject({ reason: 'near-duplicate', detail: expect.stringContaining('a prompt of "Garden set"') });
    // The same spec again (its reference index is reused): a prompt closer to an earlier kept one names that one.
    const s = spec({ samples: 3, reference });
    const again = await runAll(s, new CompletionEngine((_req, n) => ({ text: ['Tell me about owls at night', 'Tell me about owls at night please', turns[0]][n] })));
    expect(again.map((r) => r.drop?.detail ?? 'kept')).toEqual(['kept', expect.stringContaining('an earlier kept prompt'), expect.stringContaining('"Garden set"')]);
  });

  it('answers kept prompts when asked, giving SFT rows; dropped ones get none', async () => {
    const engine = new CompletionEngine((_req, n) => ({ text: turns[n] }), (n) => `Answer number ${n}`);
    const records = await runAll(spec({ answers: { temperature: 0.5, topP: 0.9, maxTokens: 99 } }), engine);
    expect(engine.requests.map((r) => r.messages)).toEqual([[{ role: 'user', content: turns[0] }], [{ role: 'user', content: turns[4] }]]);
    expect(engine.requests[0].maxTokens).toBe(99);
    expect(records.filter((r) => r.answer !== undefined).map((r) => r.index)).toEqual([0, 4]);
    const rows = [...(magpie.rows.sft?.(records) ?? [])];
    expect(rows).toEqual([
      { messages: [{ role: 'user', content: turns[0] }, { role: 'assistant', content: 'Answer number 0' }] },
      { messages: [{ role: 'user', content: turns[4] }, { role: 'assistant', content: 'Answer number 1' }] },
    ]);
    const edited = { ...records[0], review: magpie.review(records[0], 'edited', 'Better answer') };
    expect([...(magpie.rows.sft?.([edited, { ...records[4], review: { state: 'rejected' as const } }]) ?? [])]).toEqual([
      { messages: [{ role: 'user', content: turns[0] }, { role: 'assistant', content: 'Better answer' }] },
    ]);
  });

  it('steers with a persona and a topic drawn per sample, the same on a rerun', async () => {
    const s = spec({ samples: 3, systemPrompt: 'Be natural.', personas: ['a beekeeper', 'a pilot'], topics: ['bees', 'planes'] });
    const once = await runAll(s, new CompletionEngine((_req, n) => ({ text: `Question number ${n} about something` })));
    const again = await runAll(s, new CompletionEngine((_req, n) => ({ text: `Question number ${n} about something` })));
    expect(once.map((r) => r.steering)).toEqual(again.map((r) => r.steering));
    for (const r of once) {
      expect(r.steering.system).toContain('Be natural.');
      expect(r.steering.system).toContain(`The user you are talking with is ${r.steering.persona}.`);
      expect(r.preQuery).toContain(r.steering.system);
    }
  });

  it('an engine without raw completion is refused with a clear message', async () => {
    const engine = new CompletionEngine(() => ({ text: 'x' }));
    const chatOnly = { info: engine.info, chat: engine.chat.bind(engine), choose: engine.choose.bind(engine) };
    await expect(magpieSample(0, { runId: 'r', engine: chatOnly, spec: spec(), accepted: [] })).rejects.toThrow(/cannot continue raw text/);
  });

  it('records and specs survive storage (restore), and the saved prompts say where they came from', async () => {
    const s = spec({ reference: { id: 'set', name: 'Set', prompts: [{ id: 'a', text: 'Something else entirely here' }] } });
    const records = await runAll(s, new CompletionEngine((_req, n) => ({ text: turns[n] })));
    expect(restoreRecord(JSON.parse(JSON.stringify(records[1])))).toEqual(records[1]);
    const run = { schemaVersion: SCHEMA_VERSION, id: 'r', name: 'n', spec: s, status: 'done', cursor: 5, recordCount: 5, stats: { promptTokens: 0, completionTokens: 0, generationMs: 0 }, createdAt: 1, updatedAt: 1 };
    expect(restoreRun(JSON.parse(JSON.stringify(run))).spec).toEqual(s);
    expect(() => restoreRun({ ...run, spec: { ...s, template: { kind: 'family', family: 'vicuna' } } })).toThrow(/family/);
    expect(magpie.madePrompts?.collect(records, 'run "n"', false)[0].source).toMatch(/^Magpie, run "n": magpie r sample 1/);
  });
});

describe('diversity figures', () => {
  it('distinct n-grams and mean pairwise similarity', () => {
    const same = diversity(['a b c', 'a b c']);
    expect(same).toEqual({ count: 2, distinct1: 0.5, distinct2: 0.5, meanSimilarity: 1 });
    const apart = diversity(['red green', 'blue yellow']);
    expect(apart).toMatchObject({ distinct1: 1, distinct2: 1, meanSimilarity: 0 });
    expect(diversity(['only one'])).toMatchObject({ meanSimilarity: null });
    expect(diversity([])).toEqual({ count: 0, distinct1: null, distinct2: null, meanSimilarity: null });
  });
});

describe('Magpie records in the datasets screen', () => {
  it('a dropped sample is titled with why it was dropped, not marked as failed', () => {
    const base = { schemaVersion: SCHEMA_VERSION, id: 'r:0', runId: 'r', recipe: 'magpie' as const, index: 0, steering: { system: '' }, preQuery: 'p', raw: 'Sure thing', finish: 'stop' as const, usage: { promptTokens: 0, completionTokens: 0, ms: 0 }, createdAt: 0 };
    const dropped: MagpieRecord = { ...base, prompt: '', drop: { reason: 'answers-itself', detail: 'x' } };
    expect(magpie.facts(dropped)).toMatchObject({ title: 'Dropped (the model answered itself): Sure thing', failed: false });
    const kept: MagpieRecord = { ...base, raw: 'Why?', prompt: 'Why?', answer: 'Because of three things' };
    expect(magpie.facts(kept)).toMatchObject({ title: 'Why?', failed: false, lengthAfter: 4 });
    expect(magpie.editableText(kept)).toBe('Because of three things');
    expect(magpie.editableText(dropped)).toBeNull();
    expect(() => magpie.review(dropped, 'edited', 'x')).toThrow(/no answer to edit/);
  });
});
