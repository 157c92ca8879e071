/**
 * The judge check's form: a file of human-labelled pairs, how many to check, and the judge settings
 * of a preference form (the same object, so "check this judge first" checks exactly that judge).
 */
import { defaultRunName } from '../core/run-name';
import { parsePairsFile, type LabelledPair, type PairError } from '../core/formats/pairs';
import { judgeCheckSpec } from '../core/recipes/judge-check/spec';
import type { JudgeCheckSpec } from '../core/recipes/judge-check/types';
import type { PreferenceForm } from './preference-form.svelte';
import type { RunsState } from './runs.svelte';

export class JudgeCheckForm {
  fileName = $state<string | null>(null);
  // Raw state: a big file must not become thousands of proxies.
  pairs = $state.raw<LabelledPair[]>([]);
  errors = $state.raw<PairError[]>([]);
  failure = $state<string | null>(null);
  /** How many labelled pairs to check, from the start of the file. */
  limit = $state(100);

  readonly labelled = $derived(this.pairs.filter((p) => p.better !== undefined).length);
  readonly blocker = $derived.by((): string | null => {
    if (this.runs.busy) return `A run is in progress${this.runs.activeId ? '' : ' in another tab'}: pause or finish it first.`;
    if (!this.prefs.judgeModel) return this.prefs.judgeChoice === 'loaded' ? 'Load a model first, or pick another judge model.' : 'Pick the judge model.';
    if (!this.fileName) return 'Choose a file of pairs people labelled.';
    if (this.labelled === 0) return `No pair in "${this.fileName}" says which answer people preferred.`;
    if (!(this.limit >= 1)) return 'Check at least 1 pair.';
    return null;
  });

  constructor(
    readonly prefs: PreferenceForm,
    private readonly runs: RunsState,
  ) {}

  /** Reads the file: bad lines (or items) are listed by number, good ones kept. */
  async importFile(file: File | undefined): Promise<void> {
    this.failure = null;
    this.fileName = file?.name ?? null;
    this.pairs = [];
    this.errors = [];
    if (!file) return;
    try {
      const { pairs, errors } = parsePairsFile(await file.text());
      this.pairs = pairs;
      this.errors = errors;
      this.limit = Math.min(100, Math.max(1, this.labelled));
    } catch (error) {
      this.failure = `Could not read "${file.name}": ${(error as Error).message}`;
    }
  }

  build(): { name: string; spec: JudgeCheckSpec } {
    const choices = this.prefs.judgeChoices();
    const name = this.fileName ?? 'pairs';
    const spec = judgeCheckSpec({ ...choices, name, pairs: this.pairs, limit: Math.min(this.limit, this.labelled) });
    const { mode, principlesPerComparison } = spec.judge;
    const how = `${mode === 'cot' ? 'chain of thought' : 'plain'}, ${principlesPerComparison} principle${principlesPerComparison === 1 ? '' : 's'}`;
    return { name: defaultRunName(spec, `${name}, ${how}`), spec };
  }

  async start(): Promise<void> {
    const { name, spec } = this.build();
    await this.runs.start(name, spec);
  }
}
