/**
 * One constitution open in the editor: a deep reactive draft that is saved as the user types
 * (debounced), plus the edits that are more than a field change (add, remove, reorder).
 * Built-ins open read-only: nothing is ever saved for them.
 */
import { blankExample, blankPrinciple, constitutionIssues, moved, nextId } from '../core/library-edit';
import type { ChatMessage, Constitution } from '../core/types';
import { AutoSave } from './autosave.svelte';
import { dropUnsaved, keepUnsaved } from '../storage/unsaved';
import type { LibraryState } from './library.svelte';

export class ConstitutionEditor {
  draft: Constitution;
  readonly readOnly: boolean;
  readonly saver: AutoSave<Constitution>;
  readonly issues = $derived.by(() => constitutionIssues(this.draft));
  readonly enabledCount = $derived.by(() => this.draft.principles.filter((p) => p.enabled).length);

  private lastJson: string;
  private readonly stopWatching: () => void;
  private readonly detach: () => void;

  constructor(source: Constitution, library: LibraryState) {
    this.draft = $state(structuredClone(source));
    this.readOnly = source.builtin === true;
    this.saver = new AutoSave((c) => library.saveConstitution(c), {
      keep: (c) => keepUnsaved('constitution', c.id, c),
      drop: () => dropUnsaved('constitution', source.id),
    });
    this.lastJson = JSON.stringify(source);
    // Every field is bound to the draft; any change to it (deeply) schedules a save.
    this.stopWatching = $effect.root(() => {
      $effect(() => {
        const json = JSON.stringify(this.draft);
        if (json === this.lastJson || this.readOnly) return;
        this.lastJson = json;
        this.saver.schedule(() => $state.snapshot(this.draft) as Constitution);
      });
    });
    this.detach = library.attachEditor(source.id, this);
  }

  flush(): Promise<void> {
    return this.saver.flush();
  }

  /** The stored constitution changed elsewhere (an import merged into it): show that, save nothing. */
  replaceWith(c: Constitution): void {
    this.lastJson = JSON.stringify(c);
    this.draft = structuredClone(c);
  }

  /** Stops watching and saves a pending change at once. */
  close(): Promise<void> {
    this.stopWatching();
    this.detach();
    return this.saver.flush();
  }

  issue(key: string): string | undefined {
    return this.issues[key];
  }

  addPrinciple(): string {
    const p = blankPrinciple(nextId('p', this.draft.principles));
    this.draft.principles.push(p);
    return p.id;
  }

  removePrinciple(i: number): void {
    this.draft.principles.splice(i, 1);
  }

  movePrinciple(i: number, delta: number): void {
    this.draft.principles = moved($state.snapshot(this.draft.principles), i, delta);
  }

  setAllEnabled(enabled: boolean): void {
    for (const p of this.draft.principles) p.enabled = enabled;
  }

  addExample(): void {
    this.draft.fewShot.push(blankExample(nextId('fs', this.draft.fewShot)));
  }

  removeExample(i: number): void {
    this.draft.fewShot.splice(i, 1);
  }

  addMessage(exampleIndex: number): void {
    const messages = this.draft.fewShot[exampleIndex].messages;
    const last = messages[messages.length - 1]?.role;
    const role: ChatMessage['role'] = last === 'user' || last === 'system' ? 'assistant' : 'user';
    messages.push({ role, content: '' });
  }

  removeMessage(exampleIndex: number, i: number): void {
    this.draft.fewShot[exampleIndex].messages.splice(i, 1);
  }
}
