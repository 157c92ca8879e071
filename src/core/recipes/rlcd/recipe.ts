/** The RLCD (contrastive pairs) recipe as the rest of the app sees it (see ../recipe.ts). */
import { ktoFromPairs, madePair, type PreferenceRow } from '../../formats/preference';
import { isExcluded } from '../../formats/review';
import type { Review } from '../../types';
import { constitutionCardRun, constitutionRun } from '../constitution-run';
import type { Recipe } from '../recipe';
import { bool, float, list, opt, str, struct } from '../../formats/features';
import { ORDER, isRow, lettersIn, lettersOut, mapOrderList, type Row } from '../judge-features';
import { PROMPT_RECORD_BASE, RECORD_TAIL } from '../record-features';

function judgeOrders(row: Row, change: (lp: unknown) => unknown): Row {
  return isRow(row.judge) ? { ...row, judge: { ...row.judge, orders: mapOrderList(row.judge.orders, change) } } : row;
}
import { readRlcdRecord, readRlcdSpec } from './restore';
import type { RlcdRecord, RlcdSpec } from './types';

function chosenText(record: RlcdRecord): string {
  const review = record.review;
  return review?.state === 'edited' && review.editedText != null ? review.editedText : record.positive;
}

/**
 * Positive answer chosen, negative rejected: the construction label. The instructions are not part
 * of the rows: the model being trained sees the plain prompt. Failed and rejected records are left out.
 */
export function* rlcdPairs(records: readonly RlcdRecord[]): Generator<PreferenceRow> {
  for (const record of records) {
    if (isExcluded(record)) continue;
    // Chosen by construction: the judge's optional check is in the trace, not in the scores.
    yield madePair(record.prompt, chosenText(record), record.negative);
  }
}

export const rlcd: Recipe<RlcdSpec, RlcdRecord> = {
  id: 'rlcd',
  label: () => 'Contrastive pairs (RLCD)',
  ...constitutionRun,
  cardRun: (name, spec) => ({
    ...constitutionCardRun(name, spec, spec.judge ? 'contrastive answers and the check judge' : 'contrastive answers'),
    candidates: 'one answer under the principle’s positive instruction (chosen by construction) and one under its negative instruction (rejected)',
  }),
  readSpec: (s, read) => readRlcdSpec(s, read),
  readRecord: (r, read) => readRlcdRecord(r, read),
  recordFeatures: {
    ...PROMPT_RECORD_BASE,
    principleId: str,
    principleName: str,
    positiveInstruction: str,
    negativeInstruction: str,
    positive: str,
    positiveFinish: str,
    negative: str,
    negativeFinish: str,
    judge: opt(struct({ orders: list(ORDER), pPositive: float, agrees: bool, consistent: bool })),
    error: opt(str),
    ...RECORD_TAIL,
  },
  // The judge's letter probabilities go out as {A, B}, like the preference recipe's (see judge-features.ts).
  trace: {
    out: (record) => judgeOrders(record as unknown as Row, lettersOut),
    in: (row) => judgeOrders(row, lettersIn),
  },

  facts: (record) => ({
    title: record.prompt,
    principles: [record.principleName],
    pAnswer1: record.judge?.pPositive ?? null,
    consistent: record.judge?.consistent ?? null,
    paired: !record.error,
    failed: Boolean(record.error),
    unchanged: false,
    lengthBefore: -1,
    lengthAfter: -1,
  }),
  principleUses: (record) => [{ id: record.principleId, name: record.principleName }],
  finishes: (record) => [record.positiveFinish, record.negativeFinish],
  texts: (record) => [record.prompt, record.positive, record.negative, ...(record.review?.editedText ? [record.review.editedText] : [])],
  parts: (record) => [record.prompt, record.positive, record.negative],
  editableText: (record) => (record.error ? null : record.positive),
  currentText: (record) => (record.error ? null : chosenText(record)),
  review: (record, state, editedText): Review => {
    if (state !== 'edited') return { state };
    if (editedText == null) throw new Error('an edited review needs the edited text');
    return editedText === record.positive ? { state: 'accepted' } : { state, editedText };
  },
  answerPair: (r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: chosenText(r), answerB: r.negative }),
  quickDownloads: [
    { id: 'preference', label: 'Preference JSONL (TRL)', format: 'preference' },
    { id: 'kto', label: 'KTO JSONL', format: 'kto' },
  ],
  rows: {
    preference: rlcdPairs,
    kto: (records) => ktoFromPairs(rlcdPairs(records)),
  },
};
