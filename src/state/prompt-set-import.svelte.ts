/**
 * "Import…" on the prompt-set list: a file becomes a new prompt set named after it, in one step.
 * Parsing, merging and writing happen in the worker; what was skipped (duplicates, bad lines by
 * number) is reported next to the list.
 */
import type { PromptSetHead } from '../core/types';
import type { ImportFailure, PromptImportPreview } from '../worker/imports';
import type { LibraryState } from './library.svelte';

export interface PromptSetImportReport {
  file: string;
  /** The new set's name; null when the file held no prompt to import. */
  name: string | null;
  preview: PromptImportPreview;
}

export class PromptSetFileImport {
  /** The file being read, while it is. */
  reading = $state<string | null>(null);
  failure = $state.raw<ImportFailure | null>(null);
  report = $state.raw<PromptSetImportReport | null>(null);

  constructor(
    private readonly library: LibraryState,
    private readonly opened: (set: PromptSetHead) => void,
  ) {}

  async choose(file: File | undefined): Promise<void> {
    if (!file || this.reading) return;
    this.dismiss();
    this.reading = file.name;
    try {
      const outcome = await this.library.importPromptSet(file);
      if (!outcome.ok) return void (this.failure = outcome.error);
      const { preview, set } = outcome.value;
      this.report = { file: file.name, name: set?.name ?? null, preview };
      if (set) this.opened(set);
    } catch (error) {
      // The worker stopped, or the write failed: nothing was stored; choosing the file again retries.
      this.failure = { message: `${file.name}: ${error instanceof Error ? error.message : String(error)}`, file: file.name };
    } finally {
      this.reading = null;
    }
  }

  dismiss(): void {
    this.failure = null;
    this.report = null;
  }
}
