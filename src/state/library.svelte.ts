/**
 * The user's constitutions and prompt sets (built-ins first, read-only), shared by the Library tab
 * and the run forms. Lists are raw state: a prompt set may hold many thousands of prompts, which
 * must not become thousands of reactive proxies. Imports are parsed in the worker.
 */
import { builtinConstitutions } from '../core/builtins/constitution';
import { builtinPromptSets } from '../core/builtins/prompts';
import { toUserError, type UserError } from '../core/errors';
import type { ConstitutionImportOptions } from '../core/imports/constitution';
import type { PromptImportOptions } from '../core/imports/prompts';
import { blankConstitution, blankPromptSet, copyConstitution, copyName, copyPromptSet, nameFromFileName, uniqueName } from '../core/library-edit';
import { recipeOfRun } from '../core/recipes/index';
import { promptSetFromRun } from '../core/recipes/made-prompts';
import type { Constitution, PromptItem, PromptSet } from '../core/types';
import type { Run } from '../core/run';
import {
  deleteConstitution, deletePromptSet, listConstitutions, listPromptSets, readRecords, saveConstitution, savePromptSet,
} from '../storage';
import { storeUnsaved } from '../storage/unsaved';
import type { ImportInput, ImportOutcome, PromptImportPreview, PromptImportTarget, PromptSetHead, PromptsAdded } from '../worker/imports';
import type { Pipeline } from './worker-client';

export interface OpenEditor {
  flush(): Promise<void>;
  replaceWith(c: Constitution): void;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Prompts per slice when a set is read back from the worker: each slice copies in a few milliseconds. */
const SLICE = 1_000;

function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export class LibraryState {
  storedConstitutions = $state.raw<Constitution[]>([]);
  storedPromptSets = $state.raw<PromptSet[]>([]);
  loaded = $state(false);
  error = $state<UserError | null>(null);

  readonly constitutions = $derived<Constitution[]>([...builtinConstitutions, ...this.storedConstitutions]);
  readonly promptSets = $derived<PromptSet[]>([...builtinPromptSets, ...this.storedPromptSets]);

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
      const [constitutions, sets] = await Promise.all([listConstitutions(), listPromptSets()]);
      this.storedConstitutions = constitutions;
      this.storedPromptSets = sets;
    } catch (error) {
      this.error = toUserError(error);
    } finally {
      this.loaded = true;
    }
  }

  constitution(id: string): Constitution | undefined {
    return this.constitutions.find((c) => c.id === id);
  }

  promptSet(id: string): PromptSet | undefined {
    return this.promptSets.find((p) => p.id === id);
  }

  /** A plain copy of the first `count` prompts of a set, for a run spec (never a reactive proxy). */
  firstPrompts(setId: string, count: number): Pick<PromptSet, 'id' | 'name' | 'prompts'> {
    const set = this.promptSet(setId);
    if (!set) throw new Error('Choose a prompt set.');
    const n = Math.max(0, Math.min(Math.floor(count) || 0, set.prompts.length));
    return { id: set.id, name: set.name, prompts: structuredClone(set.prompts.slice(0, n)) };
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
    this.storedPromptSets = [...this.storedPromptSets.filter((x) => x.id !== saved.id), saved].sort(byName);
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
    return { added, set: await this.readBack(added.set) };
  }

  /** A new prompt set from a file, named after it ("my-prompts.csv" → "my-prompts", "my-prompts (2)" on a clash). */
  async importPromptSet(file: File): Promise<ImportOutcome<{ preview: PromptImportPreview; set: PromptSet | null }>> {
    const outcome = await this.previewPrompts(file, { file: file.name, idPrefix: 'p', maxErrors: 200 });
    if (!outcome.ok) return outcome;
    const preview = outcome.value;
    if (preview.count === 0) {
      this.dropPromptImport(preview.importId);
      return { ok: true, value: { preview, set: null } };
    }
    const name = uniqueName(nameFromFileName(file.name), this.promptSets.map((p) => p.name));
    const { set } = await this.addPrompts(preview.importId, { kind: 'new', id: newId('prompts'), name }, []);
    return { ok: true, value: { preview, set } };
  }

  private async readBack(head: PromptSetHead): Promise<PromptSet> {
    const prompts: PromptItem[] = [];
    for (let from = 0; from < head.count; from += SLICE) {
      for (const p of await this.pipeline.readPromptSlice(head.id, head.updatedAt, from, SLICE)) prompts.push(p);
      // A task boundary between slices lets the page draw and its collector run in small steps.
      if (from > 0 && from % (SLICE * 10) === 0) await new Promise((r) => setTimeout(r, 0));
    }
    const { count: _count, ...rest } = head;
    const set: PromptSet = { ...rest, prompts };
    if (!this.deleted.has(set.id)) this.storedPromptSets = [...this.storedPromptSets.filter((x) => x.id !== set.id), set].sort(byName);
    return set;
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
