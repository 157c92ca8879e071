/** The back-translation recipe as the rest of the app sees it (see ../recipe.ts). */
import { readBackTranslateRecord, readBackTranslateSpec } from '../augment/restore';
import { onePerPrompt, promptMaking, promptMakingFacts, type Recipe } from '../recipe';
import { bool, float, list, opt, str, struct } from '../../formats/features';
import { PROMPT_RECORD_BASE, RECORD_TAIL } from '../record-features';
import { collectBackTranslatePrompts } from './make';
import type { BackTranslateRecord, BackTranslateSpec } from './types';

const MAX_SOURCE_QUOTE = 300;

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_SOURCE_QUOTE ? `${one.slice(0, MAX_SOURCE_QUOTE)}…` : one;
}

export const backTranslate: Recipe<BackTranslateSpec, BackTranslateRecord> = {
  ...promptMaking,
  id: 'back-translate',
  label: () => 'Back-translated prompts',
  models: (spec) => [spec.model],
  ...onePerPrompt,
  settings: ({ prompts: _prompts, ...settings }) => settings,
  cardRun: (name, spec) => ({ name, recipe: spec.recipe, seed: spec.seed, models: [{ role: 'generation', model: spec.model }], sampling: [spec.sampling] }),
  readSpec: (s, read) => readBackTranslateSpec(s, read),
  readRecord: (r) => readBackTranslateRecord(r),
  recordFeatures: {
    ...PROMPT_RECORD_BASE,
    translations: list(
      struct({ pivot: str, pivotText: str, backText: str, similarity: float, kept: bool, reason: opt(str), pivotFinish: str, backFinish: opt(str) }),
    ),
    ...RECORD_TAIL,
  },

  facts: (record) => promptMakingFacts(record.prompt),
  finishes: (record) => record.translations.flatMap((t) => [t.pivotFinish, t.backFinish]),
  texts: (record) => [record.prompt, ...record.translations.map((t) => t.backText)],
  parts: (record) => [record.prompt, ...record.translations.map((t) => t.backText)],
  madePrompts: {
    noun: 'back-translation',
    hasOriginals: true,
    emptyReason: 'no paraphrase was kept (tick "Include the original prompts" to keep those).',
    collect: (records, from, includeOriginals) => {
      const originals = new Map(records.map((r) => [r.promptId, r.prompt]));
      return collectBackTranslatePrompts(records, includeOriginals).map((p) => {
        if (p.source === 'original') return { ...p, source: `original prompt of back-translation, ${from}` };
        const promptId = p.id.slice(0, p.id.lastIndexOf('~'));
        return { ...p, source: `back-translation, ${from}: ${p.source}; original: "${quote(originals.get(promptId) ?? '')}"` };
      });
    },
  },
};
