/**
 * Importing a constitution file: parse it in the worker, show a preview (format, counts, warnings),
 * and only on confirmation save it. A comparison list can instead be merged into a chosen
 * constitution. Nothing stored changes until the user confirms.
 */
import type { ConstitutionFormat, ConstitutionImport } from '../core/imports/constitution';
import { copyName, uniqueName } from '../core/library-edit';
import type { Constitution } from '../core/types';
import type { ImportFailure } from '../worker/imports';
import type { LibraryState } from './library.svelte';

export const FORMAT_LABELS: Record<ConstitutionFormat, string> = {
  'cai-lab': "this app's own constitution file",
  'llm-swarm': 'Hugging Face llm-swarm constitution',
  'critique-map': 'CAI paper critique/revision prompts',
  'comparison-list': 'CAI paper comparison questions (a list)',
};

export class ConstitutionImportState {
  file = $state.raw<File | null>(null);
  preview = $state.raw<ConstitutionImport | null>(null);
  failure = $state.raw<ImportFailure | null>(null);
  busy = $state(false);
  /** Comparison lists only: '' imports them as their own constitution, else the id to merge into. */
  mergeInto = $state('');
  /** Said once a merge had to be made again (its target changed after the preview). */
  notice = $state<string | null>(null);
  /** The merge target's updatedAt when the preview was made. */
  private previewBase: number | undefined;

  readonly isComparisonList = $derived(this.preview?.format === 'comparison-list');
  readonly mergeTarget = $derived.by(() => (this.mergeInto ? this.library.constitution(this.mergeInto) : undefined));
  /** A constitution with the file's id exists already: the import is saved as a new one beside it. */
  readonly idTaken = $derived.by(() => !this.mergeInto && this.preview !== null && this.library.constitution(this.preview.constitution.id) !== undefined);

  constructor(private readonly library: LibraryState) {}

  async choose(file: File | undefined): Promise<void> {
    this.reset();
    if (!file) return;
    this.file = file;
    await this.parse();
  }

  async setMergeTarget(id: string): Promise<void> {
    this.mergeInto = id;
    await this.parse();
  }

  reset(): void {
    this.notice = null;
    this.file = null;
    this.preview = null;
    this.failure = null;
    this.mergeInto = '';
  }

  private async parse(): Promise<void> {
    const file = this.file;
    if (!file) return;
    this.busy = true;
    try {
      const target = this.mergeInto ? this.library.constitution(this.mergeInto) : undefined;
      const mergeInto = target ? ($state.snapshot(target) as Constitution) : undefined;
      this.previewBase = target?.updatedAt;
      const outcome = await this.library.importConstitution(file, { file: file.name, ...(mergeInto ? { mergeInto } : {}) });
      if (this.file !== file) return; // another file was chosen meanwhile
      this.preview = outcome.ok ? outcome.value : null;
      this.failure = outcome.ok ? null : outcome.error;
    } catch (error) {
      // The worker stopped while parsing: say so; choosing the file again retries.
      if (this.file === file) (this.preview = null), (this.failure = { message: `${file.name}: ${error instanceof Error ? error.message : String(error)}`, file: file.name });
    } finally {
      this.busy = false;
    }
  }

  /**
   * Saves a merge into a stored constitution. Edits pending in its editor are saved first; if they
   * changed it since the preview, the merge is made again from the saved copy (shown, not saved yet).
   */
  private async mergeSaved(c: Constitution, targetId: string): Promise<Constitution | null> {
    await this.library.flushEditor(targetId);
    const current = this.library.constitution(targetId);
    if (current && current.updatedAt !== this.previewBase) {
      await this.parse();
      this.notice = 'The constitution changed since the preview: the merge was made again from its saved copy. Check it and confirm.';
      return null;
    }
    return this.library.replaceConstitution(c);
  }

  /** Saves the previewed constitution; returns it (its id may be new), or null without a preview. */
  async confirm(): Promise<Constitution | null> {
    const preview = this.preview;
    if (!preview) return null;
    const names = this.library.constitutions.map((c) => c.name);
    let c = structuredClone(preview.constitution);
    const target = this.mergeTarget;
    if (target?.builtin) {
      // Built-ins never change: the merge becomes a new constitution.
      c = { ...c, id: this.library.freeConstitutionId(`${target.id}-merged`), name: uniqueName(copyName(target.name), names) };
    } else if (!target) {
      const id = this.library.freeConstitutionId(c.id);
      // A new constitution never takes a name already in the list ("Name (2)").
      c = { ...c, id, name: uniqueName(c.name, names) };
    }
    const saved = target && !target.builtin ? await this.mergeSaved(c, target.id) : await this.library.saveConstitution(c);
    if (!saved) return null;
    this.reset();
    return saved;
  }
}
