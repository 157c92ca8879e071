/** The CLAIR (minimal-edit pairs) recipe as the rest of the app sees it (see ../recipe.ts). */
import { ktoFromPairs, madePair, type PreferenceRow } from '../../formats/preference';
import { isExcluded } from '../../formats/review';
import { countWords } from '../../text';
import type { Review } from '../../types';
import { constitutionCardRun, constitutionRun } from '../constitution-run';
import type { Recipe } from '../recipe';
import { float, opt, str, struct } from '../../formats/features';
import { PROMPT_RECORD_BASE, RECORD_TAIL } from '../record-features';
import { readClairRecord, readClairSpec } from './restore';
import type { ClairRecord, ClairSpec } from './types';

/** The chosen text an export carries: the reviewer's edit of the revision when there is one. */
function chosenText(record: ClairRecord): string {
  const review = record.review;
  return review?.state === 'edited' && review.editedText != null ? review.editedText : record.revision;
}

/** Revision chosen, first answer rejected; dropped (no-op, rewrite), failed and rejected pairs are left out. */
function* clairPairs(records: readonly ClairRecord[]): Generator<PreferenceRow> {
  for (const record of records) {
    if (record.dropReason || isExcluded(record)) continue;
    yield madePair(record.prompt, chosenText(record), record.answer);
  }
}

export const clair: Recipe<ClairSpec, ClairRecord> = {
  id: 'clair',
  label: () => 'Minimal-edit pairs (CLAIR)',
  ...constitutionRun,
  cardRun: (name, spec) => ({
    ...constitutionCardRun(name, spec, 'answers and minimal revisions'),
    candidates: `answer vs its minimal revision under one drawn principle; pairs with edit distance below ${spec.minDistance} or above ${spec.maxDistance} dropped`,
  }),
  readSpec: (s, read) => readClairSpec(s, read),
  readRecord: (r, read) => readClairRecord(r, read),
  recordFeatures: {
    ...PROMPT_RECORD_BASE,
    principleId: str,
    principleName: str,
    answer: str,
    answerFinish: str,
    revisionRequest: str,
    revision: str,
    revisionFinish: str,
    distance: float,
    independent: opt(struct({ text: str, finish: str, distance: float })),
    dropReason: opt(str),
    error: opt(str),
    ...RECORD_TAIL,
  },

  facts: (record) => ({
    title: record.prompt,
    principles: [record.principleName],
    pAnswer1: null,
    consistent: null,
    paired: !record.dropReason && !record.error,
    failed: Boolean(record.error),
    unchanged: record.dropReason === 'no-op',
    lengthBefore: countWords(record.answer),
    lengthAfter: countWords(chosenText(record)),
  }),
  principleUses: (record) => [{ id: record.principleId, name: record.principleName }],
  finishes: (record) => [record.answerFinish, record.revisionFinish, ...(record.independent ? [record.independent.finish] : [])],
  texts: (record) => [record.prompt, record.answer, record.revision, ...(record.review?.editedText ? [record.review.editedText] : [])],
  parts: (record) => [record.prompt, record.answer, record.revision],
  editableText: (record) => (record.error ? null : record.revision),
  currentText: (record) => (record.error ? null : chosenText(record)),
  review: (record, state, editedText): Review => {
    if (state !== 'edited') return { state };
    if (editedText == null) throw new Error('an edited review needs the edited text');
    return editedText === record.revision ? { state: 'accepted' } : { state, editedText };
  },
  answerPair: (r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: chosenText(r), answerB: r.answer }),
  quickDownloads: [
    { id: 'preference', label: 'Preference JSONL (TRL)', format: 'preference' },
    { id: 'kto', label: 'KTO JSONL', format: 'kto' },
  ],
  rows: {
    preference: clairPairs,
    kto: (records) => ktoFromPairs(clairPairs(records)),
  },
};
