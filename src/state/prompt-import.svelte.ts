/**
 * Adding prompts to a set from pasted text or a TXT / CSV / JSONL / JSON file. Parsing runs in the
 * worker, which holds the parsed prompts; the preview lists counts, removed duplicates, bad lines
 * by number and the first prompts, and lets the user pick the CSV column or the JSON field. "Add"
 * merges and writes in the worker too; the page then reads the set back a slice at a time.
 */
import type { PromptImportOptions } from '../core/imports/prompts';
import { parseTags } from '../core/library-edit';
import type { ImportFailure, PromptImportPreview } from '../worker/imports';
import type { LibraryState } from './library.svelte';
import type { PromptSetEditor } from './prompt-set-editor.svelte';

export const PASTED = 'pasted text';

export class PromptImportState {
  mode = $state<'paste' | 'file'>('paste');
  pasted = $state('');
  file = $state.raw<File | null>(null);
  /** CSV column index (as a string for the select; '' = the app's guess). */
  column = $state('');
  /** JSONL field ('' = tried per row). */
  field = $state('');
  tags = $state('');
  /** Off by default: leading and trailing spaces can matter to a prompt (code, poetry, tests of the model). */
  trim = $state(false);
  result = $state.raw<PromptImportPreview | null>(null);
  failure = $state.raw<ImportFailure | null>(null);
  busy = $state(false);
  /** What the last confirmation did, for a short note. */
  done = $state<string | null>(null);

  private generation = 0;

  constructor(
    private readonly library: LibraryState,
    private readonly editor: PromptSetEditor,
  ) {}

  async chooseFile(file: File | undefined): Promise<void> {
    this.clear();
    this.file = file ?? null;
    this.column = '';
    this.field = '';
    if (file) await this.preview();
  }

  async previewPaste(): Promise<void> {
    this.clear();
    if (this.pasted.trim()) await this.preview();
  }

  /** CSV: parse again with this column ('' = the app's guess). */
  setColumn(column: string): Promise<void> {
    this.column = column;
    return this.preview();
  }

  /** Parse again with or without trimming each prompt's ends. */
  setTrim(trim: boolean): Promise<void> {
    this.trim = trim;
    return this.preview();
  }

  /** JSONL / JSON: parse again with this field ('' = tried per row). */
  setField(field: string): Promise<void> {
    this.field = field;
    return this.preview();
  }

  /** Parses the file (or the pasted text) again with the current column / field choice. */
  async preview(): Promise<void> {
    const input = this.mode === 'file' ? this.file : this.pasted;
    if (!input) return;
    const name = this.mode === 'file' && this.file ? this.file.name : PASTED;
    const gen = ++this.generation;
    this.busy = true;
    try {
      // Duplicates are counted against the stored set, so edits still waiting to be saved go first.
      await this.editor.saver.flush();
      const outcome = await this.library.previewPrompts(input, this.options(name), this.editor.set.id);
      if (gen !== this.generation) {
        if (outcome.ok) this.library.dropPromptImport(outcome.value.importId);
        return; // a newer preview is on its way
      }
      if (this.result) this.library.dropPromptImport(this.result.importId);
      this.result = outcome.ok ? outcome.value : null;
      this.failure = outcome.ok ? null : outcome.error;
    } catch (error) {
      // The worker stopped while parsing: say so; choosing the file again retries.
      if (gen === this.generation) (this.result = null), (this.failure = { message: `${name}: ${error instanceof Error ? error.message : String(error)}`, file: name });
    } finally {
      if (gen === this.generation) this.busy = false;
    }
  }

  private options(name: string): PromptImportOptions {
    const opts: PromptImportOptions = {
      file: name,
      idPrefix: `i${Date.now().toString(36)}-`,
      maxErrors: 200,
      trim: this.trim,
    };
    if (name === PASTED) opts.format = 'text';
    if (this.column !== '') opts.column = Number(this.column);
    if (this.field !== '') opts.field = this.field;
    return opts;
  }

  /** Adds the previewed prompts to the set (merged and written in the worker), then shows the set as written. */
  async confirm(): Promise<void> {
    const result = this.result;
    if (!result || this.busy) return;
    const gen = this.generation;
    this.busy = true;
    try {
      await this.editor.saver.flush();
      const { added, set } = await this.library.addPrompts(result.importId, { kind: 'into', setId: this.editor.set.id }, parseTags(this.tags));
      this.editor.reload(set);
      if (this.mode === 'paste') this.pasted = '';
      this.clear();
      this.file = null;
      const also = added.skipped ? ` (${added.skipped} already in the set)` : '';
      this.done = `Added ${added.added} prompt${added.added === 1 ? '' : 's'}${also}.`;
    } catch (error) {
      // Nothing was written (the set is written in one transaction): the preview stays to retry.
      if (gen === this.generation) this.failure = { message: `Could not add the prompts: ${error instanceof Error ? error.message : String(error)}`, file: this.mode === 'file' && this.file ? this.file.name : PASTED };
    } finally {
      if (gen === this.generation) this.busy = false;
    }
  }

  cancel(): void {
    this.clear();
  }

  private clear(): void {
    if (this.result) this.library.dropPromptImport(this.result.importId);
    this.done = null;
    this.generation++;
    this.busy = false;
    this.result = null;
    this.failure = null;
  }
}
