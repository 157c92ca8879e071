/** The Magpie recipe as the rest of the app sees it (see ../recipe.ts). */
import { isExcluded } from '../../formats/review';
import type { SftRow } from '../../formats/sft';
import { countWords } from '../../text';
import type { Review } from '../../types';
import { promptMakingFacts, type Recipe } from '../recipe';
import { float, opt, str, struct } from '../../formats/features';
import { RECORD_BASE, RECORD_TAIL } from '../record-features';
import { DROP_LABELS } from './filters';
import { collectMagpiePrompts } from './make';
import { readMagpieRecord, readMagpieSpec } from './restore';
import type { MagpieRecord, MagpieSpec } from './types';

/** The answer an export carries: the reviewer's edit when there is one. */
function currentAnswer(record: MagpieRecord): string | null {
  if (record.drop || record.answer === undefined) return null;
  const review = record.review;
  return review?.state === 'edited' && review.editedText != null ? review.editedText : record.answer;
}

function* magpieSftRows(records: readonly MagpieRecord[]): Generator<SftRow> {
  for (const record of records) {
    const answer = currentAnswer(record);
    if (answer === null || isExcluded(record)) continue;
    yield { messages: [{ role: 'user', content: record.prompt }, { role: 'assistant', content: answer }] };
  }
}

function templateSaid(spec: MagpieSpec): string {
  return spec.template.kind === 'family' ? `${spec.template.family} family (picked)` : "the model's own";
}

export const magpie: Recipe<MagpieSpec, MagpieRecord> = {
  id: 'magpie',
  // Each sample is filtered against the prompts kept before it.
  sequential: true,
  label: () => 'Magpie prompts',
  models: (spec) => [spec.model],
  total: (spec) => spec.samples,
  itemText: (spec, index) => `Sample ${index + 1} of ${spec.samples}`,
  constitutionName: () => undefined,
  settings: ({ reference, template, ...settings }) => ({
    ...settings,
    template: template.kind === 'family' ? template : { kind: 'model', source: template.source.kind },
    reference: reference ? { name: reference.name, prompts: reference.prompts.length } : null,
  }),
  cardRun: (name, spec) => ({
    name,
    recipe: spec.recipe,
    seed: spec.seed,
    models: [{ role: `user turns (template: ${templateSaid(spec)})${spec.answers ? ' and answers' : ''}`, model: spec.model }],
    sampling: spec.answers ? [spec.sampling, spec.answers.sampling] : [spec.sampling],
    ...(spec.reference ? { promptSet: { name: spec.reference.name, size: spec.reference.prompts.length } } : {}),
  }),
  readSpec: (s, read) => readMagpieSpec(s, read),
  readRecord: (r) => readMagpieRecord(r),
  recordFeatures: {
    ...RECORD_BASE,
    steering: struct({ system: str, topic: opt(str), persona: opt(str) }),
    preQuery: str,
    raw: str,
    finish: str,
    prompt: str,
    drop: opt(struct({ reason: str, detail: str, similarity: opt(float), nearest: opt(str) })),
    answer: opt(str),
    answerFinish: opt(str),
    ...RECORD_TAIL,
  },

  // A dropped sample is not a failure: it is listed with why the filters dropped it.
  facts: (record) => ({
    ...promptMakingFacts(record.drop ? `Dropped (${DROP_LABELS[record.drop.reason]}): ${record.raw || '(empty)'}` : record.prompt),
    lengthAfter: record.answer === undefined ? -1 : countWords(record.answer),
  }),
  principleUses: () => [],
  finishes: (record) => [record.finish, ...(record.answerFinish ? [record.answerFinish] : [])],
  texts: (record) => [record.raw, record.prompt, ...(record.answer ? [record.answer] : []), ...(record.review?.editedText ? [record.review.editedText] : [])],
  parts: (record) => [record.prompt || record.raw, record.answer ?? ''],
  editableText: (record) => (record.drop ? null : (record.answer ?? null)),
  currentText: currentAnswer,
  review: (record, state, editedText): Review => {
    if (state !== 'edited') return { state };
    if (record.drop || record.answer === undefined) throw new Error('this record has no answer to edit');
    if (editedText == null) throw new Error('an edited review needs the edited text');
    return editedText === record.answer ? { state: 'accepted' } : { state, editedText };
  },
  madePrompts: {
    noun: 'Magpie',
    hasOriginals: false,
    emptyReason: 'every sample was dropped by the filters (see the counts above).',
    collect: (records, from) => collectMagpiePrompts(records).map((p) => ({ ...p, source: `Magpie, ${from}: ${p.source}` })),
  },
  quickDownloads: [{ id: 'sft', label: 'SFT JSONL (prompts with answers)', format: 'sft' }],
  rows: { sft: magpieSftRows },
};
