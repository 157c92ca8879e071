/** The self-instruct recipe as the rest of the app sees it (see ../recipe.ts). */
import { readSelfInstructRecord, readSelfInstructSpec } from '../augment/restore';
import { promptMaking, promptMakingFacts, type Recipe } from '../recipe';
import { float, list, opt, str, struct } from '../../formats/features';
import { RECORD_BASE, RECORD_TAIL } from '../record-features';
import { collectSelfInstructPrompts } from './make';
import type { SelfInstructRecord, SelfInstructSpec } from './types';

export const selfInstruct: Recipe<SelfInstructSpec, SelfInstructRecord> = {
  ...promptMaking,
  id: 'self-instruct',
  // Each batch is told the prompts made so far.
  sequential: true,
  label: () => 'Self-instruct prompts',
  models: (spec) => [spec.model],
  total: (spec) => spec.steps,
  itemText: (spec, index) => `Batch ${index + 1} of ${spec.steps}`,
  settings: (spec) => ({ ...spec, seeds: spec.seeds.length }),
  cardRun: (name, spec) => ({ name, recipe: spec.recipe, seed: spec.seed, models: [{ role: 'generation', model: spec.model }], sampling: [spec.sampling] }),
  readSpec: (s, read) => readSelfInstructSpec(s, read),
  readRecord: (r) => readSelfInstructRecord(r),
  recordFeatures: {
    ...RECORD_BASE,
    shownSeedIds: list(str),
    shownGenerated: list(str),
    topic: opt(str),
    raw: str,
    finish: str,
    proposed: list(str),
    kept: list(struct({ id: str, text: str, similarity: float, nearest: opt(str) })),
    dropped: list(struct({ text: str, reason: str, similarity: opt(float), nearest: opt(str) })),
    ...RECORD_TAIL,
  },

  facts: (record) => promptMakingFacts(`Batch ${record.index + 1}${record.topic ? ` · ${record.topic}` : ''}`),
  finishes: (record) => [record.finish],
  texts: (record) => [record.raw, ...record.proposed],
  parts: (record) => [record.raw],
  madePrompts: {
    noun: 'self-instruct',
    hasOriginals: false,
    emptyReason: 'the run kept no prompts.',
    collect: (records, from) => collectSelfInstructPrompts(records).map((p) => ({ ...p, source: `self-instruct, ${from}: ${p.source}` })),
  },
};
