/** The self-instruct recipe as the rest of the app sees it (see ../recipe.ts). */
import { readSelfInstructRecord, readSelfInstructSpec } from '../augment/restore';
import type { Recipe } from '../recipe';
import { collectSelfInstructPrompts } from './make';
import type { SelfInstructRecord, SelfInstructSpec } from './types';

export const selfInstruct: Recipe<SelfInstructSpec, SelfInstructRecord> = {
  id: 'self-instruct',
  label: () => 'Self-instruct prompts',
  models: (spec) => [spec.model],
  total: (spec) => spec.steps,
  itemText: (spec, index) => `Batch ${index + 1} of ${spec.steps}`,
  constitutionName: () => undefined,
  settings: (spec) => ({ ...spec, seeds: spec.seeds.length }),
  cardRun: (name, spec) => ({ name, recipe: spec.recipe, seed: spec.seed, models: [{ role: 'generation', model: spec.model }], sampling: [spec.sampling] }),
  readSpec: (s, read) => readSelfInstructSpec(s, read),
  readRecord: (r) => readSelfInstructRecord(r),

  facts: (record) => ({
    title: `Batch ${record.index + 1}${record.topic ? ` · ${record.topic}` : ''}`,
    principles: [],
    pAnswer1: null,
    consistent: null,
    paired: false,
    failed: false,
    unchanged: false,
    lengthBefore: -1,
    lengthAfter: -1,
  }),
  principleUses: () => [],
  finishes: (record) => [record.finish],
  texts: (record) => [record.raw, ...record.proposed],
  parts: (record) => [record.raw],
  editableText: () => null,
  currentText: () => null,
  review: (_record, state) => {
    if (state === 'edited') throw new Error('this record has no answer to edit');
    return { state };
  },
  madePrompts: {
    noun: 'self-instruct',
    hasOriginals: false,
    emptyReason: 'the run kept no prompts.',
    collect: (records, from) => collectSelfInstructPrompts(records).map((p) => ({ ...p, source: `self-instruct, ${from}: ${p.source}` })),
  },
  rows: {},
};
