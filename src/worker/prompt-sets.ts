/**
 * Large prompt sets are handled in the worker: an import is parsed and held here, "Add" merges it
 * into the stored set and writes it here, and the page reads a set back a slice at a time. So no
 * step copies, merges or writes hundreds of thousands of prompts on the page's thread.
 */
import { importPrompts, type PromptImportOptions, type PromptImportResult } from '../core/imports/prompts';
import { appendPrompts, blankPromptSet, promptSetHead } from '../core/library-edit';
import type { PromptItem, PromptSet } from '../core/types';
import { getPromptSet, listPromptSets, savePromptSet } from '../storage';
import { attempt, bytesOf, type ImportInput, type ImportOutcome, type PromptImportPreview, type PromptImportTarget, type PromptSetHead, type PromptsAdded } from './imports';

export const PREVIEW_ROWS = 5;
/** Parsed imports kept for "Add" (one per open form is the usual case; older ones are dropped). */
const HOLD = 4;

const held = new Map<string, PromptImportResult>();
let counter = 0;
/** The set last written or read here: the page's slice-by-slice reads reuse it rather than reading it again. */
let recent: PromptSet | null = null;

/**
 * The heads of every stored set, read here: the page keeps heads only, so a set of half a million
 * prompts is never decoded on its thread when the page opens.
 */
export async function listPromptSetHeads(): Promise<PromptSetHead[]> {
  return (await listPromptSets()).map(promptSetHead);
}

async function storedSet(id: string): Promise<PromptSet> {
  const set = await getPromptSet(id);
  if (!set) throw new Error('The prompt set is no longer stored (was it deleted?).');
  return set;
}

/**
 * Parses a prompt file (or pasted text) and holds the result. With `intoSetId`, prompts already in
 * that stored set count as duplicates.
 */
export function previewPromptImport(input: ImportInput, opts: PromptImportOptions, intoSetId?: string): Promise<ImportOutcome<PromptImportPreview>> {
  return attempt(opts.file, async () => {
    const existing = intoSetId === undefined ? opts.existing : (await storedSet(intoSetId)).prompts.map((p) => p.text);
    const result = importPrompts(await bytesOf(input), { ...opts, existing });
    const importId = `prompt-import-${++counter}`;
    held.set(importId, result);
    for (const id of held.keys()) if (held.size > HOLD) held.delete(id);
    const { prompts, ...rest } = result;
    return { ...rest, importId, count: prompts.length, sample: prompts.slice(0, PREVIEW_ROWS) };
  });
}

export function dropPromptImport(importId: string): void {
  held.delete(importId);
}

/** Adds held prompts (with extra tags) to a stored set or a new one, writes it, and forgets the import. */
export async function addPromptImport(importId: string, target: PromptImportTarget, extraTags: string[]): Promise<PromptsAdded> {
  const result = held.get(importId);
  if (!result) throw new Error('The previewed prompts are no longer held: choose the file again.');
  const base = target.kind === 'into' ? await storedSet(target.setId) : blankPromptSet(target.id, target.name, Date.now());
  const items = extraTags.length === 0 ? result.prompts : result.prompts.map((p) => ({ ...p, tags: [...new Set([...(p.tags ?? []), ...extraTags])] }));
  const { prompts, skipped } = appendPrompts(base.prompts, items);
  const saved = await savePromptSet({ ...base, prompts });
  held.delete(importId);
  recent = saved;
  return { added: prompts.length - base.prompts.length, skipped, set: promptSetHead(saved) };
}

/** Prompts `from` … `from + count` of a stored set, as last written (`updatedAt` names the version). */
export async function readPromptSlice(setId: string, updatedAt: number, from: number, count: number): Promise<PromptItem[]> {
  if (recent?.id !== setId || recent.updatedAt !== updatedAt) recent = await storedSet(setId);
  if (recent.updatedAt !== updatedAt) throw new Error('The prompt set changed while it was being read: open it again.');
  return recent.prompts.slice(from, from + count);
}
