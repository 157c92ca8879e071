import { toUserError, type UserError } from '../core/errors';

/**
 * What a library list needs besides its items: which one is open, which one waits for a delete
 * confirmation, and the error of the last action. Shared by the constitution and prompt-set lists.
 */
export class LibrarySelection<T extends { id: string; name: string }> {
  selectedId = $state<string | null>(null);
  pendingDelete = $state<{ id: string; name: string } | null>(null);
  error = $state<UserError | null>(null);

  constructor(private readonly remove: (id: string) => Promise<unknown>) {}

  /** Runs a library action; an item it returns (created, duplicated) is opened. */
  async act(body: () => Promise<T | void>): Promise<void> {
    this.error = null;
    try {
      const item = await body();
      if (item) this.selectedId = item.id;
    } catch (e) {
      this.error = toUserError(e);
    }
  }

  askDelete(item: T): void {
    this.pendingDelete = { id: item.id, name: item.name };
  }

  confirmDelete(): void {
    const target = this.pendingDelete;
    this.pendingDelete = null;
    if (!target) return;
    if (this.selectedId === target.id) this.selectedId = null;
    void this.act(async () => void (await this.remove(target.id)));
  }
}
