/**
 * One open dataset: its record summaries (raw state: 100,000 plain objects, never proxied), the
 * filters and text search over them, the selected record read in full, and its review. Reviews
 * are written to storage first and shown after, so what the screen says is what is stored.
 */
import { NO_FILTER, filterPositions, type DatasetFilter } from '../core/datasets/filter';
import { datasetPlots } from '../core/datasets/plots';
import { bulkReview, canEdit, currentText, reviewAction } from '../core/datasets/review-edit';
import { summarize, type RecordSummary } from '../core/datasets/summary';
import { SummaryTally } from '../core/datasets/tally';
import type { ReviewCounts } from '../core/dataset-stats';
import { toUserError, type UserError } from '../core/errors';
import type { Review } from '../core/types';
import type { Run, RunRecord } from '../core/run';
import { CHUNK_SIZE, describeLoss, readRecordAt, reviewMany, updateRecordReview } from '../storage';
import { loadSummaries, searchRecords, type SummarySource } from '../datasets/index-build';

export type BulkAction = 'accept' | 'reject' | 'clear';

const SEARCH_DELAY_MS = 250;

/** Where record `index` sits in a list sorted by index (`indexAt(i)` reads entry i), or -1. */
function search(length: number, indexAt: (i: number) => number, index: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = indexAt(mid);
    if (at === index) return mid;
    if (at < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class OpenDataset {
  summaries = $state.raw<RecordSummary[]>([]);
  loaded = $state(false);
  /** ms until the first rows were shown, and until every record was listed. */
  firstRowsMs = $state<number | null>(null);
  loadMs = $state<number | null>(null);
  filter = $state<DatasetFilter>({ ...NO_FILTER });
  query = $state('');
  textMatches = $state.raw<ReadonlySet<number> | null>(null);
  searching = $state(false);
  selectedIndex = $state<number | null>(null);
  record = $state.raw<RunRecord | null>(null);
  editing = $state(false);
  draft = $state('');
  busy = $state<string | null>(null);
  error = $state<UserError | null>(null);

  readonly visible = $derived(filterPositions(this.summaries, this.filter, this.textMatches));
  readonly cursor = $derived(
    this.selectedIndex === null ? -1 : search(this.visible.length, (i) => this.summaries[this.visible[i]!]!.index, this.selectedIndex),
  );
  /** Counts, figures, principles, kinds and losses of `summaries`, updated with it (never a pass over all of them). */
  #tally = new SummaryTally(CHUNK_SIZE);
  private facts = $state.raw(this.#tally.facts());
  readonly counts = $derived(this.facts.counts);
  readonly figures = $derived(this.facts.figures);
  readonly principles = $derived(this.facts.principles);
  readonly kinds = $derived(this.facts.kinds);
  /** Records that could not be read, chunk by chunk, in words ("100 records in chunk 1 could not be read (…)"). */
  readonly losses = $derived(this.facts.losses.map(describeLoss));
  /** Computed only while the plots are on screen (a derived is lazy). */
  readonly plots = $derived(datasetPlots(this.summaries));

  private controller = new AbortController();
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchController: AbortController | null = null;
  private recordToken = 0;

  constructor(
    public run: Run,
    private readonly onCounts: (run: Run, counts: ReviewCounts, bytes: number) => void = () => undefined,
    private readonly sources?: readonly SummarySource[],
  ) {}

  async load(): Promise<void> {
    const started = performance.now();
    const list: RecordSummary[] = [];
    // Every new list recomputes the filters, counts and plots over all of it: shown each time the
    // list has doubled (and at the end), that is ~log2(n) recomputes, not one per batch.
    let shown = 0;
    try {
      await loadSummaries(
        this.run.id,
        (batch) => {
          for (const summary of batch) list.push(summary);
          this.#tally.addAll(batch);
          if (list.length >= shown * 2) {
            this.#show(list.slice());
            shown = list.length;
          }
          if (this.firstRowsMs === null) {
            this.firstRowsMs = performance.now() - started;
            if (list.length) void this.select(list[0]!.index);
          }
        },
        { signal: this.controller.signal, sources: this.sources },
      );
      if (shown !== list.length) this.#show(list);
      this.loadMs = performance.now() - started;
      this.loaded = true;
      this.onCounts(this.run, this.counts, 0);
    } catch (error) {
      if (!this.controller.signal.aborted) this.error = toUserError(error);
    }
  }

  /** A new list of summaries, with the tally already holding every one of them. */
  #show(list: RecordSummary[]): void {
    this.summaries = list;
    this.facts = this.#tally.facts();
  }

  dispose(): void {
    this.controller.abort();
    this.searchController?.abort();
    clearTimeout(this.searchTimer);
  }

  setFilter(patch: Partial<DatasetFilter>): void {
    this.filter = { ...this.filter, ...patch };
    this.keepSelection();
  }

  /** Debounced: the search runs once typing pauses. */
  setQuery(query: string): void {
    this.query = query;
    clearTimeout(this.searchTimer);
    this.searchController?.abort();
    if (!query.trim()) {
      this.textMatches = null;
      this.searching = false;
      this.keepSelection();
      return;
    }
    this.searchTimer = setTimeout(() => void this.search(query), SEARCH_DELAY_MS);
  }

  private async search(query: string): Promise<void> {
    const controller = (this.searchController = new AbortController());
    this.searching = true;
    try {
      // The last report holds every match.
      const onProgress = (matches: ReadonlySet<number>) => (this.textMatches = new Set(matches));
      await searchRecords(this.run.id, query, onProgress, controller.signal);
      this.keepSelection();
    } catch (error) {
      if (!controller.signal.aborted) this.error = toUserError(error);
    } finally {
      if (this.searchController === controller) this.searching = false;
    }
  }

  /** After the visible rows change, the selection stays on its record or moves to the first row. */
  private keepSelection(): void {
    if (this.cursor >= 0) return;
    const first = this.visible[0];
    void this.select(first === undefined ? null : this.summaries[first]!.index);
  }

  async select(index: number | null): Promise<void> {
    if (this.editing) this.cancelEdit();
    this.selectedIndex = index;
    const token = ++this.recordToken;
    if (index === null) return void (this.record = null);
    try {
      const record = (await readRecordAt(this.run.id, index)) ?? null;
      if (token === this.recordToken) this.record = record;
    } catch (error) {
      if (token === this.recordToken) (this.record = null), (this.error = toUserError(error));
    }
  }

  selectPosition(position: number): void {
    const at = this.visible[position];
    if (at !== undefined) void this.select(this.summaries[at]!.index);
  }

  /** Moves the selection; from a record the filter no longer shows, to its neighbour in that direction. */
  move(delta: number): void {
    const n = this.visible.length;
    if (n === 0) return;
    let from = this.cursor;
    if (from < 0) {
      const after = this.firstAfter(this.selectedIndex ?? -1);
      from = delta > 0 ? after - 1 : after;
    }
    this.selectPosition(Math.min(n - 1, Math.max(0, from + delta)));
  }

  /** The first visible position whose record index is above `index` (n when none is). */
  private firstAfter(index: number): number {
    let lo = 0;
    let hi = this.visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.summaries[this.visible[mid]!]!.index <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get canEdit(): boolean {
    return this.record !== null && canEdit(this.record);
  }

  /** The record on screen, once it is the selected one (reading it takes a moment after a move). */
  private get shown(): RunRecord | null {
    return this.record && this.record.index === this.selectedIndex ? this.record : null;
  }

  startEdit(): void {
    if (!this.shown || !canEdit(this.shown)) return;
    this.draft = currentText(this.shown) ?? '';
    this.editing = true;
  }

  cancelEdit(): void {
    this.editing = false;
    this.draft = '';
  }

  async review(state: Review['state']): Promise<void> {
    const record = this.shown;
    if (!record || this.busy || (state === 'edited' && !this.editing)) return;
    this.error = null;
    if (state === 'edited' && !this.draft.trim()) {
      this.error = { name: 'EmptyEdit', message: 'An edited answer cannot be empty.', hint: 'Write the answer you want, or reject the record instead.' };
      return;
    }
    try {
      const review = reviewAction(record, state, state === 'edited' ? this.draft : undefined);
      const saved = await updateRecordReview(this.run.id, record.index, review);
      if (this.record?.index === saved.index) this.record = saved;
      this.editing = false;
      this.replaceSummary(summarize(saved));
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  private replaceSummary(summary: RecordSummary): void {
    const at = search(this.summaries.length, (i) => this.summaries[i]!.index, summary.index);
    if (at < 0) return;
    const old = this.summaries[at]!;
    const next = this.summaries.slice();
    next[at] = { ...summary, principles: old.principles };
    this.#tally.replace(old, next[at]);
    this.#show(next);
    this.onCounts(this.run, this.counts, 0);
  }

  /** What a bulk action on the current filter would change: records to write. */
  bulkChanges(action: BulkAction): Map<number, Review | undefined> {
    const changes = new Map<number, Review | undefined>();
    for (const position of this.visible) {
      const s = this.summaries[position]!;
      if (s.failed) continue;
      const review = bulkReview(s, action);
      if (review !== 'skip') changes.set(s.index, review);
    }
    return changes;
  }

  async bulk(action: BulkAction): Promise<void> {
    const changes = this.bulkChanges(action);
    if (changes.size === 0 || this.busy) return;
    this.busy = `Saving ${changes.size} reviews…`;
    try {
      await reviewMany(this.run.id, changes, (done) => (this.busy = `Saved ${done} of ${changes.size} reviews…`));
      await this.reload();
    } catch (error) {
      this.error = toUserError(error);
    } finally {
      this.busy = null;
    }
  }

  /** Reads every summary again (after a bulk action), keeping filters, search and selection. */
  private async reload(): Promise<void> {
    const keep = this.selectedIndex;
    let list: RecordSummary[] = [];
    await loadSummaries(this.run.id, (batch) => void (list = list.concat(batch)), { signal: this.controller.signal, sources: this.sources });
    this.#tally = new SummaryTally(CHUNK_SIZE);
    this.#tally.addAll(list);
    this.#show(list);
    this.onCounts(this.run, this.counts, 0);
    await this.select(keep);
  }
}
