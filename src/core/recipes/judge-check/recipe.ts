/** The judge check as the rest of the app sees it (see ../recipe.ts): it makes no training rows. */
import { int } from '../../formats/features';
import { plural } from '../../text';
import { PREFERENCE_RECORD_FEATURES, preferenceTrace } from '../preference/recipe';
import type { PreferenceRecord } from '../preference/types';
import { onePerPrompt, type Recipe } from '../recipe';
import { readJudgeCheckRecord, readJudgeCheckSpec } from './restore';
import type { JudgeCheckRecord, JudgeCheckSpec } from './types';

export const judgeCheck: Recipe<JudgeCheckSpec, JudgeCheckRecord> = {
  id: 'judge-check',
  label: () => 'Judge check (against human labels)',
  models: (spec) => [spec.judge.model],
  ...onePerPrompt,
  constitutionName: (spec) => spec.constitution.name,
  settings: ({ prompts: _prompts, ...settings }) => ({
    ...settings,
    constitution: { id: settings.constitution.id, name: settings.constitution.name },
    source: { name: settings.source.name, pairs: settings.source.pairs.length },
  }),
  cardRun: (name, spec) => ({
    name,
    recipe: spec.recipe,
    seed: spec.seed,
    constitution: { name: spec.constitution.name, principles: spec.constitution.principles },
    promptSet: { name: spec.promptSetName, size: spec.prompts.length },
    models: [{ role: 'judge', model: spec.judge.model }],
    sampling: [],
    candidates: `${plural(spec.source.pairs.length, 'human-labelled pair')} from "${spec.source.name}"`,
    judge: { mode: spec.judge.mode, principlesPerComparison: spec.judge.principlesPerComparison, tieMargin: spec.judge.tieMargin },
  }),
  readSpec: (s, read) => readJudgeCheckSpec(s, read),
  readRecord: (r, read) => readJudgeCheckRecord(r, read),
  // A judged pair like a preference record, plus what people preferred.
  recordFeatures: { ...PREFERENCE_RECORD_FEATURES, humanBetter: int },
  trace: { out: (record) => preferenceTrace.out(record as unknown as PreferenceRecord), in: preferenceTrace.in },

  facts: (record) => ({
    title: record.prompt,
    principles: record.judgements.map((j) => j.principleName),
    pAnswer1: record.label.pAnswer1,
    consistent: record.positionConsistent,
    paired: false,
    failed: false,
    unchanged: false,
    lengthBefore: -1,
    lengthAfter: -1,
  }),
  principleUses: (record) => record.judgements.map((j) => ({ id: j.principleId, name: j.principleName })),
  finishes: (record) => record.candidates.map((c) => c.finishReason),
  texts: (record) => [record.prompt, ...record.candidates.map((c) => c.text)],
  parts: (record) => [record.prompt, record.candidates[0].text, record.candidates[1].text],
  // A check measures the judge: there is no answer of the model's own to edit or export.
  editableText: () => null,
  currentText: () => null,
  review: (_record, state) => {
    if (state === 'edited') throw new Error('a judge check has no answer to edit');
    return { state };
  },
  answerPair: (r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: r.candidates[0].text, answerB: r.candidates[1].text }),
  rows: {},
};
