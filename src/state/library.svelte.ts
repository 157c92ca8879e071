/**
 * The user's constitutions and prompt sets (built-ins first, read-only), shared by the Library tab
 * and the run forms. Of a stored prompt set the page keeps only its head (name, count): a set may
 * hold half a million prompts, and decoding them all on the page's thread when it opens blocked it
 * for about a second. The prompts are read from the worker a slice at a time when an editor opens
 * the set or a run takes some. Imports are parsed in the worker.
 */
import { builtinConstitutions } from '../core/builtins/constitution';
import { builtinPromptSets } from '../core/builtins/prompts';
import { toUserError, type UserError } from '../core/errors';
import type { ConstitutionImportOptions } from '../core/imports/constitution';
import type { PromptImportOptions } from '../core/imports/prompts';
import { blankConstitution, blankPromptSet, copyConstitution, copyName, copyPromptSet, nameFromFileName, promptSetHead, uniqueName } from '../core/library-edit';
import { recipeOfRun } from '../core/recipes/index';
import { promptSetFromRun } from '../core/recipes/made-prompts';
import type { Constitution, PromptItem, PromptSet, PromptSetHead } from '../core/types';
import type { Run } from '../core/run';
import {
  deleteConstitution, deletePromptSet, listConstitutions, readRecords, saveConstitution, savePromptSet, type DamagedItem, type DamagedKind,
} from '../storage';
import { storeUnsaved } from '../storage/unsaved';
import type { ImportInput, ImportOutcome, PromptImportPreview, PromptImportTarget, PromptsAdded } from '../worker/imports';
import type { Pipeline } from './worker-client';

export interface OpenEditor {
  flush(): Promise<void>;
  replaceWith(c: Constitution): void;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
const builtinHeads = builtinPromptSets.map(promptSetHead);

/** A head with its prompts read back: the set as stored (its count is the prompts' length). */
function setOf(head: PromptSetHead, prompts: PromptItem[]): PromptSet {
  const { count: _count, ...rest } = head;
  return { ...rest, prompts };
}

/** Prompts per slice when a set is read back from the worker: each slice copies in a few milliseconds. */
const SLICE = 1_000;

function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export class LibraryState {
  storedConstitutions = $state.raw<Constitution[]>([]);
  storedPromptSets = $state.raw<PromptSetHead[]>([]);
  loaded = $state(false);
  error = $state<UserError | null>(null);

  readonly constitutions = $derived<Constitution[]>([...builtinConstitutions, ...this.storedConstitutions]);
  readonly promptSets = $derived<PromptSetHead[]>([...builtinHeads, ...this.storedPromptSets]);

  /** Deleted ids: an editor's late autosave must not bring a deleted item back. */
  private readonly deleted = new Set<string>();

  /** Constitutions open in an editor: a change made elsewhere (an import merged into one) reloads it. */
  private readonly openEditors = new Map<string, OpenEditor>();

  constructor(private readonly pipeline: Pipeline) {}

  /** An editor registers while open; the returned function unregisters it. */
  attachEditor(id: string, editor: OpenEditor): () => void {
    this.openEditors.set(id, editor);
    return () => {
      if (this.openEditors.get(id) === editor) this.openEditors.delete(id);
    };
  }

  /** Saves the open editor's pending edits of this constitution now (before a change made elsewhere). */
  async flushEditor(id: string): Promise<void> {
    await this.openEditors.get(id)?.flush();
  }

  /** Saves a constitution changed outside its editor; an editor open on it shows the saved copy. */
  async replaceConstitution(c: Constitution): Promise<Constitution> {
    await this.flushEditor(c.id);
    const saved = await this.saveConstitution(c);
    this.openEditors.get(saved.id)?.replaceWith(saved);
    return saved;
  }

  async init(): Promise<void> {
    // Edits typed just before the page last went are stored before anything is listed.
    await storeUnsaved().catch(() => 0);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const [constitutions, sets] = await Promise.all([listConstitutions(), this.pipeline.listPromptSetHeads()]);
      this.storedConstitutions = constitutions;
      this.storedPromptSets = sets;
    } catch (error) {
      this.error = toUserError(error);
    } finally {
      this.loaded = true;
    }
  }

  /** Damaged stored items, looked for in the worker: reading every stored set whole is its job, not the page's. */
  listDamaged(kinds: readonly DamagedKind[]): Promise<DamagedItem[]> {
    return this.pipeline.listDamaged([...kinds]);
  }

  constitution(id: string): Constitution | undefined {
    return this.constitutions.find((c) => c.id === id);
  }

  promptSet(id: string): PromptSetHead | undefined {
    return this.promptSets.find((p) => p.id === id);
  }

  /** A whole set, for its editor: built-ins are at hand, a stored set is read from the worker in slices. */
  async loadPromptSet(id: string): Promise<PromptSet> {
    const head = this.promptSet(id);
    if (!head) throw new Error('The prompt set is no longer stored (was it deleted?).');
    return setOf(head, await this.readPrompts(head, head.count));
  }

  /** A plain copy of the first `count` prompts of a set, for a run spec (never a reactive proxy). */
  async firstPrompts(setId: string, count: number): Promise<Pick<PromptSet, 'id' | 'name' | 'prompts'>> {
    const head = this.promptSet(setId);
    if (!head) throw new Error('Choose a prompt set.');
    const n = Math.max(0, Math.min(Math.floor(count) || 0, head.count));
    return { id: head.id, name: head.name, prompts: await this.readPrompts(head, n) };
  }

  /** A plain copy of a constitution, for a run spec. */
  constitutionCopy(id: string): Constitution {
    const c = this.constitution(id);
    if (!c) throw new Error('Choose a constitution.');
    return structuredClone(c);
  }

  // Constitutions

  async saveConstitution(c: Constitution): Promise<Constitution> {
    if (c.builtin) throw new Error(`"${c.name}" is built in and cannot be changed: duplicate it to edit.`);
    if (this.deleted.has(c.id)) return c;
    const saved = await saveConstitution(c);
    this.storedConstitutions = [...this.storedConstitutions.filter((x) => x.id !== saved.id), saved].sort(byName);
    return saved;
  }

  createConstitution(): Promise<Constitution> {
    const name = uniqueName('New constitution', this.constitutions.map((c) => c.name));
    return this.saveConstitution(blankConstitution(newId('constitution'), name, Date.now()));
  }

  duplicateConstitution(c: Constitution): Promise<Constitution> {
    const name = uniqueName(copyName(c.name), this.constitutions.map((x) => x.name));
    return this.saveConstitution(copyConstitution(c, newId('constitution'), name, Date.now()));
  }

  async deleteConstitution(id: string): Promise<void> {
    this.deleted.add(id);
    await deleteConstitution(id);
    this.storedConstitutions = this.storedConstitutions.filter((c) => c.id !== id);
  }

  /** A free id for an imported constitution: its own when nothing uses it yet. */
  freeConstitutionId(id: string): string {
    return this.constitution(id) || this.deleted.has(id) ? newId('constitution') : id;
  }

  importConstitution(input: ImportInput, opts: ConstitutionImportOptions) {
    return this.pipeline.importConstitution(input, opts);
  }

  // Prompt sets

  async savePromptSet(p: PromptSet): Promise<PromptSet> {
    if (p.builtin) throw new Error(`"${p.name}" is built in and cannot be changed: duplicate it to edit.`);
    if (this.deleted.has(p.id)) return p;
    const saved = await savePromptSet(p);
    this.keepHead(promptSetHead(saved));
    return saved;
  }

  createPromptSet(): Promise<PromptSet> {
    const name = uniqueName('New prompt set', this.promptSets.map((p) => p.name));
    return this.savePromptSet(blankPromptSet(newId('prompts'), name, Date.now()));
  }

  duplicatePromptSet(p: PromptSet): Promise<PromptSet> {
    const name = uniqueName(copyName(p.name), this.promptSets.map((x) => x.name));
    return this.savePromptSet(copyPromptSet(p, newId('prompts'), name, Date.now()));
  }

  async deletePromptSet(id: string): Promise<void> {
    this.deleted.add(id);
    await deletePromptSet(id);
    this.storedPromptSets = this.storedPromptSets.filter((p) => p.id !== id);
  }

  /** Parses prompts in the worker, which holds them; `intoSetId` counts that stored set's prompts as duplicates. */
  previewPrompts(input: ImportInput, opts: PromptImportOptions, intoSetId?: string): Promise<ImportOutcome<PromptImportPreview>> {
    return this.pipeline.previewPromptImport(input, opts, intoSetId);
  }

  dropPromptImport(importId: string): void {
    void this.pipeline.dropPromptImport(importId).catch(() => undefined);
  }

  /** Adds held prompts in the worker (merged and written there), then reads the written set back in slices. */
  async addPrompts(importId: string, target: PromptImportTarget, extraTags: string[]): Promise<{ added: PromptsAdded; set: PromptSet }> {
    const added = await this.pipeline.addPromptImport(importId, target, extraTags);
    this.keepHead(added.set);
    return { added, set: setOf(added.set, await this.readPrompts(added.set, added.set.count)) };
  }

  /** A new prompt set from a file, named after it ("my-prompts.csv" → "my-prompts", "my-prompts (2)" on a clash). */
  async importPromptSet(file: File): Promise<ImportOutcome<{ preview: PromptImportPreview; set: PromptSetHead | null }>> {
    const outcome = await this.previewPrompts(file, { file: file.name, idPrefix: 'p', maxErrors: 200 });
    if (!outcome.ok) return outcome;
    const preview = outcome.value;
    if (preview.count === 0) {
      this.dropPromptImport(preview.importId);
      return { ok: true, value: { preview, set: null } };
    }
    const name = uniqueName(nameFromFileName(file.name), this.promptSets.map((p) => p.name));
    const added = await this.pipeline.addPromptImport(preview.importId, { kind: 'new', id: newId('prompts'), name }, []);
    this.keepHead(added.set);
    return { ok: true, value: { preview, set: added.set } };
  }

  private keepHead(head: PromptSetHead): void {
    if (!this.deleted.has(head.id)) this.storedPromptSets = [...this.storedPromptSets.filter((x) => x.id !== head.id), head].sort(byName);
  }

  /** The first `count` prompts of a set: a built-in's copied, a stored set's read from the worker. */
  private async readPrompts(head: PromptSetHead, count: number): Promise<PromptItem[]> {
    const builtin = builtinPromptSets.find((p) => p.id === head.id);
    if (builtin) return structuredClone(builtin.prompts.slice(0, count));
    const prompts: PromptItem[] = [];
    for (let from = 0; from < count; from += SLICE) {
      for (const p of await this.pipeline.readPromptSlice(head.id, head.updatedAt, from, Math.min(SLICE, count - from))) prompts.push(p);
      // A task boundary between slices lets the page draw and its collector run in small steps.
      if (from > 0 && from % (SLICE * 10) === 0) await new Promise((r) => setTimeout(r, 0));
    }
    return prompts;
  }

  /** A new prompt set from a finished self-instruct or back-translation run. */
  async saveRunAsPromptSet(run: Run, includeOriginals = false): Promise<PromptSet> {
    const records = await readRecords(run.id);
    const set = promptSetFromRun(run, records, { id: newId('prompts'), now: Date.now(), includeOriginals });
    if (set.prompts.length === 0) {
      throw new Error(recipeOfRun(run.spec)?.madePrompts?.emptyReason ?? 'the run kept no prompts.');
    }
    set.name = uniqueName(set.name, this.promptSets.map((p) => p.name));
    return this.savePromptSet(set);
  }
}
