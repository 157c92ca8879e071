/**
 * The export formats, one entry each: the label the export panel shows, the tags and the line
 * description the dataset card gives. Which records give rows in a format is each recipe's part
 * (`rows` in core/recipes/<id>/recipe.ts); the full trace fits every record. Entries are in the order
 * exports list and write them.
 */
import { bool, float, MESSAGES, str, type Fields } from './features';

export interface ExportFormatEntry {
  label: string;
  /** Hub tags the card adds when an export holds this format. */
  tags: readonly string[];
  /** What each line holds, for the card. */
  fields: string;
  /** Column types of every row (the trace's depend on the dataset: formats/trace.ts). */
  features: Fields;
}

export const EXPORT_FORMATS = {
  sft: {
    label: 'TRL SFT (messages)',
    tags: ['sft'],
    fields:
      'Each line is `{"messages": [user, assistant]}` (TRL conversational SFT); the assistant turn is the final revision.',
    features: { messages: MESSAGES },
  },
  preference: {
    label: 'TRL preference (prompt, chosen, rejected)',
    tags: ['dpo', 'preference'],
    fields:
      'Each line has `prompt`, `chosen` and `rejected` as lists of `{role, content}` (TRL conversational preference). ' +
      '`score_chosen` is the probability, from 0 to 1, that the AI judge gave to `chosen` being the better answer (averaged over both orders and the principles asked), and `score_rejected` is 1 − `score_chosen`: ' +
      'they are not 1–10 ratings as in some other datasets, and TRL’s trainers do not read them. Both are null where the pair has no such probability (pairs made from a revision, by construction, or decided by a letter alone). ' +
      'Pairs imported with ratings of their own (e.g. UltraFeedback’s 1–10) and not judged here keep those ratings in these two columns as they came.',
    features: { prompt: MESSAGES, chosen: MESSAGES, rejected: MESSAGES, score_chosen: float, score_rejected: float },
  },
  kto: {
    label: 'KTO (prompt, completion, label)',
    tags: ['kto'],
    fields:
      'Each line has `prompt`, `completion` (lists of `{role, content}`) and a boolean `label` (TRL unpaired preference).',
    features: { prompt: MESSAGES, completion: MESSAGES, label: bool },
  },
  cai: {
    label: 'Hugging Face CAI columns',
    tags: ['sft', 'dpo'],
    fields:
      'Columns follow the Hugging Face CAI datasets: `init_prompt`, `init_response`, `critic_prompt`, `critic_response`, `revision_prompt`, `revision_response` and `prompt` are strings (the critique columns from the first round; `revision_response` is the final answer, the text `chosen` holds); `messages`, `chosen` (final answer) and `rejected` (initial answer) are lists of `{role, content}`. Texts are trimmed.',
    features: {
      init_prompt: str,
      init_response: str,
      critic_prompt: str,
      critic_response: str,
      revision_prompt: str,
      revision_response: str,
      prompt: str,
      messages: MESSAGES,
      chosen: MESSAGES,
      rejected: MESSAGES,
    },
  },
  trace: {
    label: 'Full trace (re-imports exactly)',
    tags: ['critique-revision'],
    fields:
      'Each line is a complete stored record (prompt, initial answer, every critique round, final answer, usage, review) plus a `run` object; the app re-imports it exactly. ' +
      'Every line has the columns of every kind of record in the dataset, null where a record has no such field.',
    features: {},
  },
} as const satisfies Record<string, ExportFormatEntry>;

/** A new format is a new entry above; the id type follows from it. */
export type ExportFormatId = keyof typeof EXPORT_FORMATS;

export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormatId[];
