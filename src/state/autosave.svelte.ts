/**
 * Saves what the user types after a short pause (debounced), one save at a time and in order, and
 * says where it stands ("saving…", "saved", or why it failed) for the indicator next to the editor.
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'failed';

export const SAVE_DELAY_MS = 400;

/** Savers holding an edit that is not written yet. */
const waiting = new Set<AutoSave<unknown>>();
let listening = false;

/**
 * A tab that is closed, reloaded or hidden (a phone switching apps, where it may be killed
 * unannounced) writes pending edits at once instead of after the pause: `pagehide` and a hidden
 * `visibilitychange` are the last events a page reliably gets.
 */
function flushOnLeave(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const flushAll = () => {
    for (const saver of waiting) void saver.flush();
  };
  window.addEventListener('pagehide', flushAll);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushAll();
  });
}

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
    waiting.add(this as AutoSave<unknown>);
    flushOnLeave();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  /** Saves a pending change now (when the editor closes); resolves once every save has settled. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const read = this.next;
    this.next = null;
    waiting.delete(this as AutoSave<unknown>);
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
