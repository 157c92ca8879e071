/**
 * The export form of an open dataset: formats, split, card (with the license, languages and
 * sources, remembered with the dataset), one .zip or separate files, and where they go (a place
 * the user picks, where the browser can write files, or the downloads folder); then the running
 * export with its progress and a Cancel.
 */
import { FORMAT_LABELS, downloadPrefix, exportFolderName, formatsFor, zipFileName, type ExportFormat, type ExportOptions } from '../core/datasets/export-plan';
import { DEFAULT_CARD_SETTINGS, cardSettingsProblems, listItems, type CardSettings } from '../core/formats/card-settings';
import { saveCardSettings } from '../storage';
import { testIds } from '../core/formats/split';
import { toUserError, type UserError } from '../core/errors';
import { runExport, type ExportProgress, type ExportResult } from '../datasets/export';
import { exportRows, type RowSource } from '../datasets/rows';
import { canPickFiles, downloadsTarget, folderTarget, zipDownloadTarget, zipFileTarget, type ExportTarget } from '../datasets/export-targets';
import type { OpenDataset } from './open-dataset.svelte';

export type Destination = 'pick' | 'downloads';

export class DatasetExportState {
  /** Ticked formats; those the dataset has no rows for are ignored. */
  chosen = $state<ExportFormat[]>(['sft', 'preference']);
  split = $state(false);
  testRatio = $state(0.1);
  seed = $state(42);
  card = $state(true);
  /** TRL RewardTrainer's margin column on preference rows. */
  margin = $state(false);
  /** CAI rows in Hugging Face's train_sft / train_prefs layout. */
  caiHalves = $state(false);
  /** The card's license, its name when "other", and the languages and source datasets as typed (comma lists). */
  license = $state(DEFAULT_CARD_SETTINGS.license);
  licenseName = $state('');
  languages = $state(DEFAULT_CARD_SETTINGS.languages.join(', '));
  sources = $state('');
  /** What is wrong with the card choices; an export waits until they are right. */
  readonly settingsProblems = $derived(cardSettingsProblems(this.settings()));
  zip = $state(false);
  destination = $state<Destination>(canPickFiles() ? 'pick' : 'downloads');
  progress = $state<ExportProgress | null>(null);
  result = $state<ExportResult | null>(null);
  error = $state<UserError | null>(null);
  readonly canPick = canPickFiles();

  readonly available = $derived.by(() => formatsFor(this.dataset.kinds));
  readonly formats = $derived.by(() => this.available.filter((f) => this.chosen.includes(f)));
  readonly running = $derived(this.progress !== null);
  readonly labels = FORMAT_LABELS;
  private controller: AbortController | null = null;

  /** `rowSources` make the rows: this page, and the pipeline worker alongside where there is one. The card choices start as the dataset's. */
  constructor(
    private readonly dataset: OpenDataset,
    private readonly rowSources: readonly RowSource[] = [exportRows],
  ) {
    const saved = dataset.run.card ?? DEFAULT_CARD_SETTINGS;
    this.license = saved.license;
    this.licenseName = saved.licenseName ?? '';
    this.languages = saved.languages.join(', ');
    this.sources = saved.sourceDatasets.join(', ');
  }

  /** The card choices as typed. */
  settings(): CardSettings {
    const settings: CardSettings = { license: this.license, languages: listItems(this.languages), sourceDatasets: listItems(this.sources) };
    if (this.license === 'other') settings.licenseName = this.licenseName.trim();
    return settings;
  }

  /** Keeps the card choices with the dataset, once they are valid (called as each field changes). */
  async saveSettings(): Promise<void> {
    const settings = this.settings();
    if (cardSettingsProblems(settings).length) return;
    try {
      this.dataset.run = await saveCardSettings(this.dataset.run.id, settings);
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  private options(): ExportOptions {
    return {
      // Until every record is summarised the kinds may be incomplete: then the trace has every recipe's columns.
      ...(this.dataset.loaded ? { recipes: [...this.dataset.kinds] } : {}),
      ...(this.margin ? { margin: true } : {}),
      ...(this.caiHalves ? { caiHalves: { seed: Math.trunc(this.seed) } } : {}),
    };
  }

  toggle(format: ExportFormat, on: boolean): void {
    this.chosen = on ? [...new Set([...this.chosen, format])] : this.chosen.filter((f) => f !== format);
  }

  /** Separate downloads carry the dataset's name; files in a zip or a picked folder do not need it. */
  private prefix(): string {
    return this.zip || this.destination === 'pick' ? '' : downloadPrefix(this.dataset.run);
  }

  /** Must run straight from the click: the file and folder pickers need the user's gesture. */
  private target(): Promise<ExportTarget> | ExportTarget {
    const zipName = zipFileName(this.dataset.run);
    if (this.destination === 'pick') return this.zip ? zipFileTarget(zipName) : folderTarget(exportFolderName(this.dataset.run));
    return this.zip ? zipDownloadTarget(zipName) : downloadsTarget();
  }

  private testSplit() {
    if (!this.split) return null;
    const options = { seed: Math.trunc(this.seed), testRatio: Math.min(1, Math.max(0, this.testRatio)) };
    const ids = this.dataset.summaries.filter((s) => s.review !== 'rejected' && !s.failed).map((s) => s.id);
    return { ...options, testIds: testIds(ids, options) };
  }

  async start(): Promise<void> {
    if (this.running || this.formats.length === 0 || (this.card && this.settingsProblems.length)) return;
    this.error = null;
    this.result = null;
    let target: ExportTarget;
    try {
      target = await this.target();
    } catch (error) {
      // Closing the picker is not an error worth a message.
      if ((error as { name?: string }).name !== 'AbortError') this.error = toUserError(error);
      return;
    }
    const controller = (this.controller = new AbortController());
    this.progress = { file: '', fileNo: 0, files: 0, done: 0, total: 0, bytes: 0 };
    try {
      const request = {
        run: this.dataset.run,
        formats: this.formats,
        split: this.testSplit(),
        card: this.card,
        prefix: this.prefix(),
        counts: this.dataset.counts,
        ...(this.dataset.figures ? { preference: this.dataset.figures } : {}),
        records: this.dataset.summaries.length,
        sources: this.rowSources,
        options: this.options(),
        settings: this.settings(),
      };
      this.result = await runExport(request, target, (p) => (this.progress = p), controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) this.error = toUserError(error);
    } finally {
      this.progress = null;
      this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }
}
