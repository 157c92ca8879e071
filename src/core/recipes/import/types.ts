/**
 * Datasets that were not generated here: an imported JSONL file, or several datasets merged (and
 * deduplicated) into one. They are stored as runs like any other, so the datasets screen, reviews
 * and exports treat every dataset alike; their spec only says where the records came from.
 */

/** What a full-trace line said about the run it came from (kept small: no prompts, no principles). */
export interface DatasetSource {
  id: string;
  name: string;
  recipe: string;
  /** Model label(s), e.g. "stories260K.gguf". */
  model?: string;
  constitution?: string;
  /**
   * The whole `run` object of the trace lines (seed, sampling, rounds, model, constitution…), kept
   * as the file gave it so a re-exported trace describes the original run, not the import.
   */
  settings?: Record<string, unknown>;
}

export type ImportedFormat = 'trace' | 'cai' | 'sft' | 'preference' | 'merge';

export interface ImportSpec {
  recipe: 'import';
  /** The file's format, or 'merge' for datasets combined here. */
  format: ImportedFormat;
  /** The imported file's name; for a merge, the names of the merged datasets. */
  fileName: string;
  /** Records stored when the import finished. */
  records: number;
  /** Runs the records were made by, where the file said (full trace) or the merge knew. */
  sources: DatasetSource[];
  /** Lines of the file that could not be read, reported to the user at import time. */
  skippedLines: number;
  /** Duplicates dropped while merging. */
  droppedDuplicates: number;
}
