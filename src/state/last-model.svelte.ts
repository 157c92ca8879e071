import { cachedCopyOf, readRememberedModel } from '../core/engines/last-model';
import { modelLabel, type ModelRef } from '../core/types';
import type { CachedModel } from '../worker/pipeline.worker';

/** What this needs of the engine state (kept narrow: the engine state holds one of these). */
interface Engine {
  readonly loaded: ModelRef | null;
  readonly loading: unknown;
  readonly cached: readonly CachedModel[];
  load(ref: ModelRef): Promise<boolean>;
  cancel(): void;
}

const LAST_KEY = 'cai-lab:last-model';
const AUTO_KEY = 'cai-lab:auto-load';

/** What the page says about loading the last model again on this visit. */
export type AutoLoadNote =
  | { kind: 'loading' | 'loaded'; label: string }
  | { kind: 'gone'; label: string }
  | { kind: 'waiting'; label: string };

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused (private mode): nothing remembered
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage refused: the choice lasts for this visit */
  }
}

/**
 * Remembers the model loaded last and, when the page opens, loads it again if an engine's cache
 * still holds it. Only cached models qualify, so nothing is downloaded or sent without a click.
 */
export class LastModel {
  /** The user's setting: load the last model when the page opens (on unless turned off). */
  enabled = $state(read(AUTO_KEY) !== 'off');
  note = $state<AutoLoadNote | null>(null);

  constructor(private readonly engine: Engine) {}

  remember(ref: ModelRef): void {
    write(LAST_KEY, JSON.stringify(ref));
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    write(AUTO_KEY, on ? 'on' : 'off');
    if (!on && this.note?.kind === 'loading') this.engine.cancel();
    if (!on) this.note = null;
  }

  /**
   * Called once the engine and the runs are known. `runWaiting`: a run is going (maybe in another
   * tab) or paused; it loads its own model, so nothing is loaded here.
   */
  async startUp(runWaiting: boolean): Promise<void> {
    const ref = readRememberedModel(read(LAST_KEY));
    if (!ref || !this.enabled || this.engine.loaded || this.engine.loading) return;
    const label = modelLabel(ref);
    const copy = cachedCopyOf(ref, this.engine.cached);
    if (!copy) return void (this.note = { kind: 'gone', label });
    if (runWaiting) return void (this.note = { kind: 'waiting', label });
    this.note = { kind: 'loading', label };
    const ok = await this.engine.load(copy.ref);
    // A Stop, a switch or "Don't load automatically" while loading ends the note's story.
    if (this.note?.kind !== 'loading') return;
    this.note = ok ? { kind: 'loaded', label } : null;
  }

  /** The user loads another model: the note about the last one no longer applies. */
  dismiss(): void {
    this.note = null;
  }
}
