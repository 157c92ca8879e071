/**
 * Adding prompts to a set from pasted text or a TXT / CSV / JSONL / JSON file. Parsing runs in the
 * worker; the preview lists counts, removed duplicates and bad lines by number, and lets the user
 * pick the CSV column or the JSON field before anything is added.
 */
import type { PromptImportOptions, PromptImportResult } from '../core/imports/prompts';
import { parseTags } from '../core/library-edit';
import type { ImportFailure } from '../worker/imports';
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
  result = $state.raw<PromptImportResult | null>(null);
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
      const outcome = await this.library.importPrompts(input, this.options(name));
      if (gen !== this.generation) return; // a newer preview is on its way
      this.result = outcome.ok ? outcome.value : null;
      this.failure = outcome.ok ? null : outcome.error;
    } finally {
      if (gen === this.generation) this.busy = false;
    }
  }

  private options(name: string): PromptImportOptions {
    const opts: PromptImportOptions = {
      file: name,
      idPrefix: `i${Date.now().toString(36)}-`,
      existing: this.editor.set.prompts.map((p) => p.text),
      maxErrors: 200,
      trim: this.trim,
    };
    if (name === PASTED) opts.format = 'text';
    if (this.column !== '') opts.column = Number(this.column);
    if (this.field !== '') opts.field = this.field;
    return opts;
  }

  /** Adds the previewed prompts to the set. */
  confirm(): void {
    const result = this.result;
    if (!result) return;
    const extra = parseTags(this.tags);
    const items = extra.length ? result.prompts.map((p) => ({ ...p, tags: [...new Set([...(p.tags ?? []), ...extra])] })) : result.prompts;
    const { added, skipped } = this.editor.append(items);
    if (this.mode === 'paste') this.pasted = '';
    this.clear();
    this.file = null;
    const also = skipped ? ` (${skipped} already in the set)` : '';
    this.done = `Added ${added} prompt${added === 1 ? '' : 's'}${also}.`;
  }

  cancel(): void {
    this.clear();
  }

  private clear(): void {
    this.done = null;
    this.generation++;
    this.busy = false;
    this.result = null;
    this.failure = null;
  }
}
