/**
 * Column types shared by the stored records of every recipe, for the full-trace export (see
 * formats/features.ts): each recipe declares its record's shape with these pieces.
 */
import { float, int, opt, str, struct, type Fields } from '../formats/features';

export const USAGE = struct({ promptTokens: int, completionTokens: int, ms: float });

export const REVIEW = opt(struct({ state: str, editedText: opt(str) }));

/** What every record carries. */
export const RECORD_BASE: Fields = { schemaVersion: int, id: str, runId: str, recipe: str, index: int };

/** Records made from one prompt of the run. */
export const PROMPT_RECORD_BASE: Fields = { ...RECORD_BASE, promptId: str, prompt: str };

/** Marks an import leaves on a record of any recipe (formats/dataset-import.ts). */
export const IMPORT_MARKS: Fields = { source: opt(str), scores: opt(struct({ chosen: opt(float), rejected: opt(float) })) };

/** The fields every record ends with. */
export const RECORD_TAIL: Fields = { usage: USAGE, review: REVIEW, createdAt: int };
