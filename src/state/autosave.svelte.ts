/**
 * Saves what the user types after a short pause (debounced), one save at a time and in order, and
 * says where it stands ("saving…", "saved", or why it failed) for the indicator next to the editor.
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'failed';

export const SAVE_DELAY_MS = 400;

/** Savers holding an edit that is not confirmed written yet (waiting for the pause, or being written). */
const unconfirmed = new Set<AutoSave<unknown>>();
let listening = false;

/**
 * A tab that is closed, reloaded or hidden (a phone switching apps, where it may be killed
 * unannounced) hands its unconfirmed edits to the journal at once: leaving a page aborts the
 * IndexedDB writes it has in flight. `pagehide` and a hidden `visibilitychange` are the last
 * events a page reliably gets.
 */
function keepOnLeave(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const leave = () => {
    for (const saver of unconfirmed) saver.leave();
  };
  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
  });
}

export class AutoSave<T> {
  status = $state<SaveStatus>('saved');
  error = $state<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private next: (() => T) | null = null;
  /** The value being written, until the write is confirmed. */
  private writing: { value: T } | null = null;
  private kept = false;
  private chain: Promise<void> = Promise.resolve();

  /**
   * `journal`, where given, keeps the latest unconfirmed value synchronously as the page goes (see
   * storage/unsaved.ts) and forgets it once a later write is confirmed.
   */
  constructor(
    private readonly save: (value: T) => Promise<unknown>,
    private readonly journal?: { keep(value: T): void; drop(): void },
    private readonly delay = SAVE_DELAY_MS,
  ) {}

  /** Saves `read()` once the user has paused for `delay` ms; later calls replace earlier ones. */
  schedule(read: () => T): void {
    this.next = read;
    this.status = 'pending';
    unconfirmed.add(this as AutoSave<unknown>);
    keepOnLeave();
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

  /** The page is going: the newest edit not confirmed written goes to the journal, and a write is tried. */
  leave(): void {
    const pending = this.next;
    const value = pending ? pending() : this.writing?.value;
    if (value === undefined) return;
    this.journal?.keep(value);
    this.kept = true;
    if (pending) void this.flush();
  }

  private async write(value: T): Promise<void> {
    this.status = 'saving';
    this.writing = { value };
    try {
      await this.save(value);
      this.error = null;
      if (!this.next) {
        this.status = 'saved';
        unconfirmed.delete(this as AutoSave<unknown>);
        // Everything typed is written: a journal copy would only be older.
        if (this.kept) (this.journal?.drop(), (this.kept = false));
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    } finally {
      this.writing = null;
    }
  }
}
