/** The preference recipe (the model as judge) as the rest of the app sees it (see ../recipe.ts). */
import { ktoRows, preferenceRows } from '../../formats/preference';
import { bool, float, int, list, opt, str, struct, type Fields } from '../../formats/features';
import { ORDER, isRow, lettersIn, lettersOut, mapOrderList, type Row } from '../judge-features';
import { plural } from '../../text';
import { PROMPT_RECORD_BASE, RECORD_TAIL } from '../record-features';
import { onePerPrompt, type Recipe } from '../recipe';
import { runSettings } from '../constitution-run';
import { readPreferenceRecord, readPreferenceSpec } from './restore';
import type { PreferenceRecord, PreferenceSpec } from './types';

/** A judged pair's columns (the judge check's records have these too). */
export const PREFERENCE_RECORD_FEATURES: Fields = {
  ...PROMPT_RECORD_BASE,
  candidates: list(struct({ text: str, origin: str, temperature: opt(float), seed: opt(int), finishReason: opt(str) })),
  judgeModel: str,
  mode: str,
  tieMargin: float,
  judgements: list(struct({ principleId: str, principleName: str, comparison: str, orders: list(ORDER), pAnswer1: float, consistent: bool })),
  label: struct({ pAnswer1: float, verdict: str, basis: str }),
  chosen: str,
  rejected: str,
  lowConfidence: bool,
  positionConsistent: bool,
  ...RECORD_TAIL,
};

/** Each judgement's orders of a trace row with their letter probabilities changed by `change`. */
function mapOrders(row: Row, change: (lp: unknown) => unknown): Row {
  if (!Array.isArray(row.judgements)) return row;
  return { ...row, judgements: row.judgements.map((j: unknown) => (isRow(j) ? { ...j, orders: mapOrderList(j.orders, change) } : j)) };
}

/** Trace rows carry letter probabilities as `{A, B}` (see ../judge-features); the judge check's records too. */
export const preferenceTrace = {
  out: (record: PreferenceRecord): Row => mapOrders(record as unknown as Row, lettersOut),
  in: (row: Row): Row => mapOrders(row, lettersIn),
};

function editedChosen(record: PreferenceRecord): string | null {
  const r = record.review;
  return r?.state === 'edited' && r.editedText != null ? r.editedText : null;
}

function candidatesSaid(spec: PreferenceSpec): string {
  const { source } = spec;
  if (source.kind === 'sampled') return 'two answers sampled per prompt';
  if (source.kind === 'revision') return `initial answer vs final revision of the run "${source.runName}"`;
  return `${plural(source.pairs.length, 'pair')} imported from "${source.name}"`;
}

export const preference: Recipe<PreferenceSpec, PreferenceRecord> = {
  id: 'preference',
  label: () => 'Preference (AI judge)',
  models: (spec) => (spec.source.kind === 'sampled' ? [spec.source.model, spec.judge.model] : [spec.judge.model]),
  ...onePerPrompt,
  constitutionName: (spec) => spec.constitution.name,
  settings: (spec) => {
    const summary = runSettings(spec);
    const { source } = spec;
    return source.kind === 'imported' ? { ...summary, source: { kind: 'imported', name: source.name, pairs: source.pairs.length } } : summary;
  },
  cardRun: (name, spec) => {
    const { source, judge } = spec;
    const judgeModel = { role: 'judge', model: judge.model };
    return {
      name,
      recipe: spec.recipe,
      seed: spec.seed,
      constitution: { name: spec.constitution.name, principles: spec.constitution.principles },
      promptSet: { name: spec.promptSetName, size: spec.prompts.length },
      models: source.kind === 'sampled' ? [{ role: 'candidate answers', model: source.model }, judgeModel] : [judgeModel],
      sampling: source.kind === 'sampled' ? source.sampling : [],
      candidates: candidatesSaid(spec),
      judge: { mode: judge.mode, principlesPerComparison: judge.principlesPerComparison, tieMargin: judge.tieMargin },
      ...(spec.judgeCheck ? { judgeCheck: spec.judgeCheck } : {}),
    };
  },
  readSpec: (s, read) => readPreferenceSpec(s, read),
  readRecord: (r, read) => readPreferenceRecord(r, read),
  trace: preferenceTrace,
  recordFeatures: PREFERENCE_RECORD_FEATURES,

  facts: (record) => ({
    title: record.prompt,
    principles: record.judgements.map((j) => j.principleName),
    pAnswer1: record.label.pAnswer1,
    consistent: record.positionConsistent,
    paired: record.chosen !== null && record.rejected !== null,
    failed: false,
    unchanged: false,
    lengthBefore: -1,
    lengthAfter: -1,
  }),
  principleUses: (record) => record.judgements.map((j) => ({ id: j.principleId, name: j.principleName })),
  finishes: (record) => record.candidates.map((c) => c.finishReason),
  texts: (record) => {
    const edit = record.review?.editedText;
    return [record.prompt, ...record.candidates.map((c) => c.text), ...(edit ? [edit] : [])];
  },
  parts: (record) => [record.prompt, record.candidates[0].text, record.candidates[1].text],
  // Exports carry the chosen answer, so that is what a reviewer may edit.
  editableText: (record) => record.chosen,
  currentText: (record) => editedChosen(record) ?? record.chosen,
  review: (record, state, editedText) => {
    if (state !== 'edited') return { state };
    if (record.chosen === null) throw new Error('this record has no answer to edit');
    if (editedText == null) throw new Error('an edited review needs the edited text');
    return editedText === record.chosen ? { state: 'accepted' } : { state, editedText };
  },
  answerPair: (r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: r.candidates[0].text, answerB: r.candidates[1].text }),
  quickDownloads: [
    { id: 'preference', label: 'Preference JSONL (TRL)', format: 'preference', needsPairs: true },
    { id: 'kto', label: 'KTO JSONL', format: 'kto', needsPairs: true },
  ],
  rows: {
    preference: (records) => preferenceRows(records),
    kto: (records) => ktoRows(records),
  },
};
