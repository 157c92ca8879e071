/** The critique → revision recipe as the rest of the app sees it (see ../recipe.ts). */
import { caiRows } from '../../formats/cai-columns';
import { ktoFromPairs, revisionPairs } from '../../formats/preference';
import { effectiveFinal, reviewFor } from '../../formats/review';
import { sftRows } from '../../formats/sft';
import { list, opt, str, struct } from '../../formats/features';
import { countWords } from '../../text';
import { PROMPT_RECORD_BASE, RECORD_TAIL } from '../record-features';
import { constitutionCardRun, constitutionRun } from '../constitution-run';
import type { Recipe } from '../recipe';
import { readCritiqueRecord, readCritiqueSpec } from './restore';
import type { CritiqueRecord, CritiqueRevisionSpec } from './types';

export const critiqueRevision: Recipe<CritiqueRevisionSpec, CritiqueRecord> = {
  id: 'critique-revision',
  label: () => 'Critique → revision',
  ...constitutionRun,
  cardRun: (name, spec) => ({ ...constitutionCardRun(name, spec, 'answers, critiques and revisions'), rounds: spec.rounds }),
  readSpec: readCritiqueSpec,
  readRecord: readCritiqueRecord,
  recordFeatures: {
    ...PROMPT_RECORD_BASE,
    initial: str,
    initialFinish: str,
    rounds: list(struct({ principleId: str, principleName: str, critiqueRequest: str, critique: str, revisionRequest: str, revision: str, critiqueFinish: str, revisionFinish: str })),
    final: str,
    error: opt(str),
    ...RECORD_TAIL,
  },

  facts: (record) => ({
    title: record.prompt,
    principles: record.rounds.map((r) => r.principleName),
    pAnswer1: null,
    consistent: null,
    paired: false,
    failed: Boolean(record.error),
    unchanged: record.rounds.length > 0 && record.final.trim() === record.initial.trim(),
    lengthBefore: countWords(record.initial),
    lengthAfter: countWords(effectiveFinal(record)),
  }),
  principleUses: (record) => record.rounds.map((r) => ({ id: r.principleId, name: r.principleName })),
  finishes: (record) => [record.initialFinish, ...record.rounds.flatMap((x) => [x.critiqueFinish, x.revisionFinish])],
  texts: (record) => {
    const edit = record.review?.editedText;
    return [record.prompt, record.initial, record.final, ...record.rounds.flatMap((r) => [r.critique, r.revision]), ...(edit ? [edit] : [])];
  },
  parts: (record) => [record.prompt, effectiveFinal(record)],
  editableText: (record) => (record.error ? null : record.final),
  currentText: (record) => (record.error ? null : effectiveFinal(record)),
  review: reviewFor,
  // Final answer (after review edits) against the initial one.
  answerPair: (r) => ({ promptId: r.promptId, prompt: r.prompt, answerA: effectiveFinal(r), answerB: r.initial }),
  quickDownloads: [
    { id: 'sft', label: 'SFT JSONL', format: 'sft' },
    // A critique run's preference rows are its revision-beats-initial pairs.
    { id: 'revision-pairs', label: 'Revision-vs-initial pairs JSONL', format: 'preference' },
  ],
  rows: {
    sft: sftRows,
    // The recipe's own premise: the revision beats the first answer (no judge, so no scores).
    preference: revisionPairs,
    kto: (records) => ktoFromPairs(revisionPairs(records)),
    cai: caiRows,
  },
};
