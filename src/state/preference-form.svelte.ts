/**
 * The "new preference run" form: its choices, what blocks starting, and the frozen spec it builds.
 * The component only binds to these fields; reading files and stored records happens here.
 */
import { defaultRunName } from '../core/run-name';
import { harmlessConstitution } from '../core/builtins/constitution';
import { samplePromptSet } from '../core/builtins/prompts';
import { parseImportedPairs } from '../core/formats/preference';
import type { PairError } from '../core/formats/pairs';
import type { ImportedPair, JudgeMode, JudgeSettings, PreferenceSpec } from '../core/recipes/preference/types';
import { checkCitationFor } from './judge-check-citation';
import { DEFAULT_CANDIDATE_TEMPERATURES, DEFAULT_REASONING_TOKENS, DEFAULT_TIE_MARGIN, isRevisionSource, preferenceRunSpec, type PreferenceSourceChoice } from '../core/recipes/preference/spec';
import { defaultSampling, parsePastedPrompts } from '../core/run-spec';
import { ownRecords } from '../core/recipes/index';
import { type Constitution, type ModelRef } from '../core/types';
import type { Run } from '../core/run';
import { readRecords } from '../storage';
import type { CachedModel } from '../worker/pipeline.worker';
import type { EngineState } from './engine.svelte';
import type { RunsState } from './runs.svelte';
import type { LibraryState } from './library.svelte';

export type PairSource = 'sampled' | 'revision' | 'imported';


/** Value of a cached model in the judge picker (a WebLLM id and a cache entry name could clash). */
export const cachedKey = (m: Pick<CachedModel, 'backend' | 'key'>): string => `${m.backend}:${m.key}`;

export class PreferenceForm {
  source = $state<PairSource>('sampled');
  // (a) sampled: prompts, and how each of the two answers is sampled
  promptSource = $state<'sample' | 'pasted'>('sample');
  sampleCount = $state(5);
  pasted = $state('');
  temperatureA = $state(DEFAULT_CANDIDATE_TEMPERATURES[0]);
  temperatureB = $state(DEFAULT_CANDIDATE_TEMPERATURES[1]);
  maxTokens = $state(defaultSampling.maxTokens);
  // (b) an earlier critique→revision run
  revisionRunId = $state('');
  // (c) imported pairs; raw state: a big file must not become thousands of proxies
  importName = $state<string | null>(null);
  importedPairs = $state.raw<ImportedPair[]>([]);
  importErrors = $state.raw<PairError[]>([]);
  importFailure = $state<string | null>(null);
  // the judge
  judgeChoice = $state<'loaded' | 'other'>('loaded');
  judgeKey = $state('');
  principles = $state(1);
  mode = $state<JudgeMode>('plain');
  tieMargin = $state(DEFAULT_TIE_MARGIN);
  rawPrompt = $state(true);
  reasoningTokens = $state(DEFAULT_REASONING_TOKENS);
  seed = $state(1234);
  /** The constitution whose comparison questions the judge is asked (built-in or from the library). */
  constitutionId = $state(harmlessConstitution.id);

  readonly pastedPrompts = $derived(parsePastedPrompts(this.pasted));
  /** Earlier runs that can supply initial-vs-revision pairs. */
  readonly revisionRuns = $derived.by(() => this.runs.runs.filter(isRevisionSource));
  readonly revisionRun = $derived(this.revisionRuns.find((r) => r.id === this.revisionRunId) ?? null);
  readonly judgeModel = $derived.by((): ModelRef | null =>
    this.judgeChoice === 'loaded' ? this.engine.loaded : (this.engine.cached.find((m) => cachedKey(m) === this.judgeKey)?.ref ?? null),
  );
  readonly comparisons = $derived.by(() => {
    if (this.source === 'sampled') {
      return this.promptSource === 'sample' ? Math.max(0, Math.min(this.sampleCount, samplePromptSet.prompts.length)) : this.pastedPrompts.length;
    }
    return this.source === 'revision' ? (this.revisionRun?.recordCount ?? 0) : this.importedPairs.length;
  });
  /** Why the run cannot start yet, in words; null when it can. */
  readonly blocker = $derived.by((): string | null => {
    if (this.runs.busy) return `A run is in progress${this.runs.activeId ? '' : ' in another tab'}: pause or finish it first.`;
    if (this.source === 'sampled' && !this.engine.loaded) return 'Load a model first: it writes the candidate answers.';
    if (this.judgeChoice === 'loaded' && !this.engine.loaded) return 'Load a model first, or pick another judge model.';
    if (this.judgeChoice === 'other' && !this.judgeModel) return 'Pick the judge model.';
    if (this.source === 'revision' && !this.revisionRun) return 'Pick a critique → revision run.';
    if (this.source === 'imported' && this.importedPairs.length === 0) return 'Choose a JSONL file with at least one valid pair.';
    if (this.comparisons === 0) return 'There are no prompts to compare answers for.';
    return null;
  });

  constructor(
    private readonly engine: EngineState,
    private readonly runs: RunsState,
    private readonly library?: LibraryState,
  ) {}

  get constitution(): Constitution {
    return this.library?.constitutions.find((c) => c.id === this.constitutionId) ?? harmlessConstitution;
  }

  get enabledPrinciples(): number {
    return this.constitution.principles.filter((p) => p.enabled).length;
  }

  /** Reads a JSONL file of pairs: bad lines are listed by number, good ones are kept. */
  async importFile(file: File | undefined): Promise<void> {
    this.importFailure = null;
    this.importName = file?.name ?? null;
    this.importedPairs = [];
    this.importErrors = [];
    if (!file) return;
    try {
      const { pairs, errors } = parseImportedPairs(await file.text());
      this.importedPairs = pairs;
      this.importErrors = errors;
    } catch (error) {
      this.importFailure = `Could not read "${file.name}": ${(error as Error).message}`;
    }
  }

  /** The judge settings as chosen, plain data: a preference run and a judge check both use exactly these. */
  judgeChoices(): { judge: JudgeSettings; constitution: Constitution; seed: number } {
    const judgeModel = $state.snapshot(this.judgeModel) as ModelRef | null;
    if (!judgeModel) throw new Error('Choose a judge model: load one, or pick one from the cached models.');
    return {
      judge: {
        model: judgeModel,
        principlesPerComparison: this.principles,
        mode: this.mode,
        tieMargin: this.tieMargin,
        rawPrompt: this.rawPrompt,
        reasoningMaxTokens: this.reasoningTokens,
      },
      // A plain copy: the run freezes it, later library edits change nothing.
      constitution: this.library ? this.library.constitutionCopy(this.constitutionId) : harmlessConstitution,
      seed: this.seed,
    };
  }

  /** The run's name and frozen spec; reads the revision run's records when that is the source. */
  async build(): Promise<{ name: string; spec: PreferenceSpec }> {
    const choices = this.judgeChoices();
    const source = await this.sourceChoice();
    const spec = preferenceRunSpec({ ...choices, source });
    const check = await checkCitationFor(this.runs.runs, spec);
    if (check) spec.judgeCheck = check;
    const from = source.kind === 'sampled' ? source.promptSet.name : source.kind === 'revision' ? `revisions of "${source.run.name}"` : source.name;
    return { name: defaultRunName(spec, from), spec };
  }

  private async sourceChoice(): Promise<PreferenceSourceChoice> {
    if (this.source === 'imported') {
      return { kind: 'imported', name: this.importName ?? 'pairs.jsonl', pairs: this.importedPairs };
    }
    if (this.source === 'revision') return revisionChoice(this.revisionRun);
    const model = $state.snapshot(this.engine.loaded) as ModelRef | null;
    if (!model) throw new Error('Load a model first: it writes the candidate answers.');
    const promptSet =
      this.promptSource === 'sample'
        ? { ...samplePromptSet, prompts: samplePromptSet.prompts.slice(0, this.sampleCount) }
        : { id: `pasted-${Date.now()}`, name: 'Pasted prompts', prompts: $state.snapshot(this.pastedPrompts) };
    return {
      kind: 'sampled',
      model,
      promptSet,
      temperatures: [this.temperatureA, this.temperatureB],
      topP: defaultSampling.topP,
      maxTokens: this.maxTokens,
    };
  }
}

async function revisionChoice(run: Run | null): Promise<PreferenceSourceChoice> {
  if (!run) throw new Error('Pick the critique → revision run whose answers are compared.');
  const records = ownRecords('critique-revision', await readRecords(run.id));
  if (records.length === 0) throw new Error(`Run "${run.name}" has no stored records to compare.`);
  return {
    kind: 'revision',
    run: { id: run.id, name: run.name },
    records: records.map((r) => ({ index: r.index, promptId: r.promptId, prompt: r.prompt })),
  };
}
