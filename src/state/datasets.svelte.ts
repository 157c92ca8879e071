/**
 * The Datasets tab: every stored dataset (one per run, plus imports and merges) with its review
 * counts and approximate size, storage use, deleting, and the dataset that is open. Counts are
 * scanned in the background, one dataset at a time, and kept per run until its log changes.
 */
import { approxBytes } from '../core/datasets/info';
import type { ReviewCounts } from '../core/dataset-stats';
import { toUserError, type UserError } from '../core/errors';
import type { Run } from '../core/run';
import { deleteRun, getRun, listRuns, sampleSize, setRecordCount, storageEstimate } from '../storage';
import { scanDataset, summarizeRange, type SummarySource } from '../datasets/index-build';
import type { Pipeline } from './worker-client';
import { OpenDataset } from './open-dataset.svelte';

/** A dataset's counts and size, and the log state they were read from. */
interface Facts {
  counts: ReviewCounts;
  bytes: number;
  stamp: string;
  /** Stored records that cannot be read (damaged chunks or records); absent until scanned. */
  unreadable?: number;
}

const stampOf = (run: Run) => `${run.recordCount}:${run.updatedAt}`;

export class DatasetsState {
  /**
   * Who summarises an opened dataset's records after its first rows: the worker where there is one.
   * The page summarising every other piece itself opened 100,000 records no faster here, and the
   * records it decoded made collections of up to 23 ms on its thread; with the worker alone the
   * page's longest task fell from 21–29 ms of CPU to 10–11 (scripts/bench-longtasks.mjs).
   */
  private readonly sources: SummarySource[];

  /** `onChange`: datasets were added or deleted here (the runs list elsewhere should refresh). */
  constructor(
    private readonly pipeline?: Pipeline,
    private readonly onChange: () => void = () => undefined,
  ) {
    this.sources = pipeline ? [(runId, from, count) => pipeline.summarizeRange(runId, from, count)] : [summarizeRange];
  }

  runs = $state.raw<Run[]>([]);
  facts = $state.raw<Record<string, Facts>>({});
  estimate = $state.raw<{ usage: number; quota: number } | null>(null);
  open = $state.raw<OpenDataset | null>(null);
  error = $state<UserError | null>(null);
  loaded = $state(false);
  private scan: AbortController | null = null;

  async refresh(): Promise<void> {
    try {
      this.runs = await listRuns();
      this.estimate = await storageEstimate();
      this.loaded = true;
      void this.scanAll();
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  /** Counts and sizes of datasets whose log changed since last read; one at a time, newest first. */
  private async scanAll(): Promise<void> {
    if (this.scan) return;
    const scan = (this.scan = new AbortController());
    try {
      for (let run = this.nextStale(); run && !scan.signal.aborted; run = this.nextStale()) {
        const [{ counts, unreadable }, sample] = await Promise.all([scanDataset(run.id, scan.signal), sampleSize(run.id)]);
        const counted = await this.recount(run, counts.total);
        this.setFacts(run.id, { counts, bytes: approxBytes(sample.bytes, sample.records, counts.total), stamp: stampOf(counted), unreadable });
      }
    } catch (error) {
      if (!scan.signal.aborted) console.warn('Could not count a dataset:', error);
    } finally {
      if (this.scan === scan) this.scan = null;
    }
  }

  /** An opened dataset needs every read it can get: the background counting waits. */
  private stopScan(): void {
    this.scan?.abort();
    this.scan = null;
  }

  private nextStale(): Run | undefined {
    return this.runs.find((r) => this.facts[r.id]?.stamp !== stampOf(r) && this.open?.run.id !== r.id);
  }

  /**
   * The log is the one source of "how many records": a stored count that disagrees with what was
   * just read from the log is set to it, here and in storage, so every list and export agrees.
   */
  private async recount(run: Run, total: number): Promise<Run> {
    if (run.recordCount === total) return run;
    await setRecordCount(run.id, total);
    const counted = (await getRun(run.id)) ?? { ...run, recordCount: total };
    this.runs = this.runs.map((r) => (r.id === run.id ? counted : r));
    if (this.open?.run.id === run.id) this.open.run = counted;
    this.onChange();
    return counted;
  }

  private setFacts(runId: string, facts: Facts): void {
    this.facts = { ...this.facts, [runId]: facts };
  }

  /** The open dataset reports its counts as it changes them, so the list never shows stale ones. */
  private onCounts = (run: Run, counts: ReviewCounts, bytes: number) => {
    void this.recount(run, counts.total).then((counted) => this.setFacts(run.id, { counts, bytes: bytes || this.facts[run.id]?.bytes || 0, stamp: stampOf(counted) }))
      .catch((error: unknown) => (this.error = toUserError(error)));
  };

  async openDataset(runId: string): Promise<void> {
    this.error = null;
    const run = (await getRun(runId)) ?? this.runs.find((r) => r.id === runId);
    if (!run) return;
    this.stopScan();
    this.open?.dispose();
    this.open = new OpenDataset(run, this.onCounts, this.sources);
    void this.open.load();
  }

  /** A dataset was imported or merged into being. */
  async added(): Promise<void> {
    await this.refresh();
    this.onChange();
  }

  close(): void {
    this.open?.dispose();
    this.open = null;
    void this.refresh();
  }

  async remove(runId: string): Promise<void> {
    this.error = null;
    try {
      if (this.open?.run.id === runId) this.close();
      // The worker owns the running run: it stops it first, or refuses one another tab is running.
      await (this.pipeline ? this.pipeline.deleteRun(runId) : deleteRun(runId));
      const { [runId]: _gone, ...rest } = this.facts;
      this.facts = rest;
      await this.refresh();
      this.onChange();
    } catch (error) {
      this.error = toUserError(error);
    }
  }
}
