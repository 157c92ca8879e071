/**
 * One prompt set open in the editor. The set is raw state replaced on each edit (a set can hold
 * hundreds of thousands of prompts: no deep proxies), shown a page at a time, saved as you type.
 */
import { parseTags } from '../core/library-edit';
import type { PromptItem, PromptSet } from '../core/types';
import { AutoSave } from './autosave.svelte';
import { dropUnsaved, keepUnsaved } from '../storage/unsaved';
import type { LibraryState } from './library.svelte';

/** Rows drawn at once: each is a text box, a tags box and a button, so a page lays out within a frame. */
export const PAGE_SIZE = 25;

export class PromptSetEditor {
  set: PromptSet;
  page = $state(0);
  readonly readOnly: boolean;
  readonly saver: AutoSave<PromptSet>;

  readonly pageCount = $derived.by(() => Math.max(1, Math.ceil(this.set.prompts.length / PAGE_SIZE)));
  /** The prompts on the current page, with their position in the whole set. */
  readonly visible = $derived.by(() => {
    const start = Math.min(this.page, this.pageCount - 1) * PAGE_SIZE;
    return this.set.prompts.slice(start, start + PAGE_SIZE).map((prompt, k) => ({ prompt, index: start + k }));
  });

  constructor(source: PromptSet, library: LibraryState) {
    this.set = $state.raw(source);
    this.readOnly = source.builtin === true;
    this.saver = new AutoSave((p) => library.savePromptSet(p), {
      keep: (p) => keepUnsaved('promptset', p.id, p),
      drop: () => dropUnsaved('promptset', source.id),
    });
  }

  close(): Promise<void> {
    return this.saver.flush();
  }

  rename(name: string): void {
    this.change({ ...this.set, name });
  }

  updateText(index: number, text: string): void {
    this.updatePrompt(index, { text });
  }

  updateTags(index: number, tags: string): void {
    const list = parseTags(tags);
    const p = { ...this.set.prompts[index] };
    if (list.length) p.tags = list;
    else delete p.tags;
    this.replace(index, p);
  }

  remove(index: number): void {
    const prompts = this.set.prompts.filter((_, i) => i !== index);
    this.change({ ...this.set, prompts });
    this.page = Math.min(this.page, Math.max(0, Math.ceil(prompts.length / PAGE_SIZE) - 1));
  }

  /** Shows the set as it was just written elsewhere (prompts added in the worker); nothing to save. */
  reload(set: PromptSet): void {
    this.set = set;
  }

  goTo(page: number): void {
    this.page = Math.max(0, Math.min(this.pageCount - 1, page));
  }

  private updatePrompt(index: number, patch: Partial<PromptItem>): void {
    this.replace(index, { ...this.set.prompts[index], ...patch });
  }

  private replace(index: number, prompt: PromptItem): void {
    const prompts = this.set.prompts.slice();
    prompts[index] = prompt;
    this.change({ ...this.set, prompts });
  }

  private change(next: PromptSet): void {
    if (this.readOnly) return;
    this.set = next;
    this.saver.schedule(() => this.set);
  }
}
