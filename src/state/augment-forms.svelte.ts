/**
 * The run forms of the two prompt-making recipes: their choices, what blocks starting, and the
 * frozen spec each builds (core/run-spec-augment.ts does the checking and copying).
 */
import { defaultRunName } from '../core/run-name';
import type { BackTranslateSpec } from '../core/recipes/back-translate/types';
import type { SelfInstructSpec } from '../core/recipes/self-instruct/types';
import { samplePromptSet } from '../core/builtins/prompts';
import {
  BACK_TRANSLATE_DEFAULTS, backTranslateRunSpec, parseLines, parsePivots, SELF_INSTRUCT_DEFAULTS, selfInstructRunSpec,
} from '../core/recipes/augment/spec';
import type { SimilarityMetric } from '../core/similarity';
import type { ModelRef } from '../core/types';
import type { RunSpec } from '../core/run';
import { toUserError, type UserError } from '../core/errors';
import type { EngineState } from './engine.svelte';
import type { LibraryState } from './library.svelte';
import type { RunsState } from './runs.svelte';

/** Shared by both forms: model, prompt set, sampling, similarity metric. */
abstract class AugmentForm {
  promptSetId = $state(samplePromptSet.id);
  count = $state(10);
  metric = $state<SimilarityMetric>('rouge-l');
  n = $state(2);
  seed = $state(1234);
  temperature = $state(0.7);
  maxTokens = $state(256);
  /** Why the last Start failed, shown next to the form. */
  error = $state<UserError | null>(null);

  readonly setSize = $derived.by(() => this.library.promptSet(this.promptSetId)?.count ?? 0);
  readonly promptCount = $derived(Math.max(0, Math.min(this.count, this.setSize)));

  constructor(
    protected readonly engine: EngineState,
    protected readonly runs: RunsState,
    protected readonly library: LibraryState,
  ) {}

  /** Why the run cannot start yet, in words; null when it can. */
  get commonBlocker(): string | null {
    if (this.runs.busy) return `A run is in progress${this.runs.activeId ? '' : ' in another tab'}: pause or finish it first.`;
    if (!this.engine.loaded) return 'Load a model first.';
    if (this.promptCount === 0) return 'Choose a prompt set with at least one prompt.';
    return null;
  }

  abstract build(): Promise<{ name: string; spec: RunSpec }>;

  /** Builds the frozen spec and starts the run; a bad choice is shown instead of thrown. */
  async start(): Promise<void> {
    this.error = null;
    try {
      const { name, spec } = await this.build();
      void this.runs.start(name, spec);
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  protected model(): ModelRef {
    const model = $state.snapshot(this.engine.loaded) as ModelRef | null;
    if (!model) throw new Error('Load a model first.');
    return model;
  }

  protected sampling() {
    return { temperature: this.temperature, topP: SELF_INSTRUCT_DEFAULTS.sampling.topP, maxTokens: this.maxTokens };
  }
}

export class SelfInstructForm extends AugmentForm {
  topics = $state('');
  description = $state('');
  steps = $state(SELF_INSTRUCT_DEFAULTS.steps);
  perBatch = $state(SELF_INSTRUCT_DEFAULTS.perBatch);
  seedsShown = $state(SELF_INSTRUCT_DEFAULTS.seedsShown);
  threshold = $state(SELF_INSTRUCT_DEFAULTS.threshold);

  readonly topicList = $derived(parseLines(this.topics));
  readonly blocker = $derived.by(() => this.commonBlocker);

  constructor(engine: EngineState, runs: RunsState, library: LibraryState) {
    super(engine, runs, library);
    this.temperature = SELF_INSTRUCT_DEFAULTS.sampling.temperature;
    this.maxTokens = SELF_INSTRUCT_DEFAULTS.sampling.maxTokens;
  }

  async build(): Promise<{ name: string; spec: SelfInstructSpec }> {
    const seeds = await this.library.firstPrompts(this.promptSetId, this.count);
    const spec = selfInstructRunSpec({
      model: this.model(),
      seeds,
      topics: $state.snapshot(this.topicList),
      description: this.description,
      steps: this.steps,
      perBatch: this.perBatch,
      seedsShown: Math.min(this.seedsShown, seeds.prompts.length),
      metric: this.metric,
      n: this.n,
      threshold: this.threshold,
      seed: this.seed,
      sampling: this.sampling(),
    });
    return { name: defaultRunName(spec, `seeds from ${seeds.name}`), spec };
  }
}

export class BackTranslateForm extends AugmentForm {
  sourceLanguage = $state(BACK_TRANSLATE_DEFAULTS.sourceLanguage);
  chosenPivots = $state<string[]>(['French']);
  otherPivots = $state('');
  low = $state(BACK_TRANSLATE_DEFAULTS.low);
  high = $state(BACK_TRANSLATE_DEFAULTS.high);

  readonly pivots = $derived(parsePivots(this.chosenPivots, this.otherPivots));
  readonly blocker = $derived.by(() => {
    if (this.commonBlocker) return this.commonBlocker;
    if (this.pivots.length === 0) return 'Choose at least one pivot language.';
    if (!(this.low >= 0 && this.low < this.high && this.high <= 1)) return 'The similarity band needs 0 ≤ low < high ≤ 1.';
    return null;
  });

  constructor(engine: EngineState, runs: RunsState, library: LibraryState) {
    super(engine, runs, library);
    this.temperature = BACK_TRANSLATE_DEFAULTS.sampling.temperature;
    this.maxTokens = BACK_TRANSLATE_DEFAULTS.sampling.maxTokens;
  }

  async build(): Promise<{ name: string; spec: BackTranslateSpec }> {
    const promptSet = await this.library.firstPrompts(this.promptSetId, this.count);
    const spec = backTranslateRunSpec({
      model: this.model(),
      promptSet,
      sourceLanguage: this.sourceLanguage,
      pivots: $state.snapshot(this.pivots),
      metric: this.metric,
      n: this.n,
      low: this.low,
      high: this.high,
      seed: this.seed,
      sampling: this.sampling(),
    });
    return { name: defaultRunName(spec, `${promptSet.name} via ${spec.pivots.join(', ')}`), spec };
  }
}
