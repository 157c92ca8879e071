/**
 * Saves what the user types after a short pause (debounced), one save at a time and in order, and
 * says where it stands ("saving…", "saved", or why it failed) for the indicator next to the editor.
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'failed';

export const SAVE_DELAY_MS = 400;

export class AutoSave<T> {
  status = $state<SaveStatus>('saved');
  error = $state<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private next: (() => T) | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: (value: T) => Promise<unknown>,
    private readonly delay = SAVE_DELAY_MS,
  ) {}

  /** Saves `read()` once the user has paused for `delay` ms; later calls replace earlier ones. */
  schedule(read: () => T): void {
    this.next = read;
    this.status = 'pending';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  /** Saves a pending change now (when the editor closes); resolves once every save has settled. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const read = this.next;
    this.next = null;
    if (read) {
      const value = read();
      this.chain = this.chain.then(() => this.write(value));
    }
    return this.chain;
  }

  private async write(value: T): Promise<void> {
    this.status = 'saving';
    try {
      await this.save(value);
      this.error = null;
      if (!this.next) this.status = 'saved';
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    }
  }
}
