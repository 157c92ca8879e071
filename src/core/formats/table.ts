/**
 * The export formats, one entry each: the label the export panel shows, the tags and the line
 * description the dataset card gives. Which records give rows in a format is each recipe's part
 * (`rows` in core/recipes/<id>/recipe.ts); the full trace fits every record. Entries are in the order
 * exports list and write them.
 */
export interface ExportFormatEntry {
  label: string;
  /** Hub tags the card adds when an export holds this format. */
  tags: readonly string[];
  /** What each line holds, for the card. */
  fields: string;
}

export const EXPORT_FORMATS = {
  sft: {
    label: 'TRL SFT (messages)',
    tags: ['sft'],
    fields:
      'Each line is `{"messages": [user, assistant]}` (TRL conversational SFT); the assistant turn is the final revision.',
  },
  preference: {
    label: 'TRL preference (prompt, chosen, rejected)',
    tags: ['dpo', 'preference'],
    fields:
      'Each line has `prompt`, `chosen` and `rejected` as lists of `{role, content}` (TRL conversational preference), with `score_chosen`/`score_rejected` where known.',
  },
  kto: {
    label: 'KTO (prompt, completion, label)',
    tags: ['kto'],
    fields:
      'Each line has `prompt`, `completion` (lists of `{role, content}`) and a boolean `label` (TRL unpaired preference).',
  },
  cai: {
    label: 'Hugging Face CAI columns',
    tags: ['sft', 'dpo'],
    fields:
      'Columns follow the Hugging Face CAI datasets: `init_prompt`, `init_response`, `critic_prompt`, `critic_response`, `revision_prompt`, `revision_response` and `prompt` are strings (first critique round); `messages`, `chosen` (final answer) and `rejected` (initial answer) are lists of `{role, content}`.',
  },
  trace: {
    label: 'Full trace (re-imports exactly)',
    tags: ['critique-revision'],
    fields:
      'Each line is a complete stored record (prompt, initial answer, every critique round, final answer, usage, review) plus a `run` object; the app re-imports it exactly.',
  },
} as const satisfies Record<string, ExportFormatEntry>;

/** A new format is a new entry above; the id type follows from it. */
export type ExportFormatId = keyof typeof EXPORT_FORMATS;

export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormatId[];
