/**
 * The Magpie run form: the template the pre-query comes from (the model's own, or a family the
 * user picks when the model has none), steering, filters and answers, and the frozen spec it builds.
 */
import { defaultRunName } from '../../../core/run-name';
import type { ChatTemplateSource } from '../../../core/engine';
import { toUserError, type UserError } from '../../../core/errors';
import { BUILTIN_PERSONAS } from '../../../core/recipes/magpie/personas';
import { MAGPIE_DEFAULTS, magpieRunSpec } from '../../../core/recipes/magpie/spec';
import { preQueryFor, type PreQuery } from '../../../core/recipes/magpie/template';
import type { MagpieSpec, TemplateChoice, TemplateFamily } from '../../../core/recipes/magpie/types';
import { steeringText } from '../../../core/recipes/magpie/personas';
import type { SimilarityMetric } from '../../../core/similarity';
import type { ModelRef } from '../../../core/types';
import type { EngineState } from '../../../state/engine.svelte';
import type { LibraryState } from '../../../state/library.svelte';
import type { RunsState } from '../../../state/runs.svelte';

const lines = (text: string) => text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

export class MagpieForm {
  /** The loaded model's own template; undefined while it is being asked for. */
  own = $state<ChatTemplateSource | null | undefined>(undefined);
  /** 'own' or a family name. */
  templatePick = $state<'own' | TemplateFamily>('own');
  samples = $state(MAGPIE_DEFAULTS.samples);
  seed = $state(1234);
  temperature = $state(MAGPIE_DEFAULTS.sampling.temperature);
  maxTokens = $state(MAGPIE_DEFAULTS.sampling.maxTokens);
  systemPrompt = $state('');
  topics = $state('');
  builtinPersonas = $state(false);
  ownPersonas = $state('');
  stopAtLineBreak = $state(false);
  answer = $state(false);
  answerMaxTokens = $state(MAGPIE_DEFAULTS.answerSampling.maxTokens);
  minChars = $state(MAGPIE_DEFAULTS.minChars);
  maxChars = $state(MAGPIE_DEFAULTS.maxChars);
  metric = $state<SimilarityMetric>('rouge-l');
  n = $state(2);
  threshold = $state(MAGPIE_DEFAULTS.threshold);
  /** '' for none: a prompt set the kept prompts must not repeat, and whose diversity is shown beside theirs. */
  referenceId = $state('');
  error = $state<UserError | null>(null);

  readonly personas = $derived([...(this.builtinPersonas ? BUILTIN_PERSONAS : []), ...lines(this.ownPersonas)]);
  readonly choice = $derived.by((): TemplateChoice | null => {
    if (this.templatePick !== 'own') return { kind: 'family', family: this.templatePick };
    return this.own ? { kind: 'model', source: this.own } : null;
  });
  /** The pre-query of a first sample (no persona or topic drawn), or why there is none. */
  readonly preview = $derived.by((): { pre: PreQuery } | { problem: string } | null => {
    if (!this.choice) return null;
    try {
      return { pre: preQueryFor(this.choice, steeringText(this.systemPrompt, undefined, undefined)) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  });
  readonly blocker = $derived.by(() => {
    if (this.runs.busy) return `A run is in progress${this.runs.activeId ? '' : ' in another tab'}: pause or finish it first.`;
    if (!this.engine.loaded) return 'Load a model first.';
    if (this.own === undefined && this.templatePick === 'own') return 'Reading the model’s chat template…';
    if (!this.choice) return 'This model carries no chat template: pick the family it was trained with.';
    if (this.preview && 'problem' in this.preview) return 'The template cannot give a pre-query (see above): pick a family instead.';
    return null;
  });

  constructor(
    private readonly engine: EngineState,
    private readonly runs: RunsState,
    private readonly library: LibraryState,
  ) {}

  /** Asks the worker for the loaded model's template; without one, a family must be picked. */
  async readTemplate(): Promise<void> {
    this.own = undefined;
    const source = this.engine.loaded ? await this.engine.chatTemplate().catch(() => null) : null;
    this.own = source;
    // A newly loaded model's own template is the default; without one, a family must be picked.
    this.templatePick = source ? 'own' : this.templatePick === 'own' ? 'chatml' : this.templatePick;
  }

  async build(): Promise<{ name: string; spec: MagpieSpec }> {
    const model = $state.snapshot(this.engine.loaded) as ModelRef | null;
    if (!model) throw new Error('Load a model first.');
    if (!this.choice) throw new Error('Pick the chat-template family of the model.');
    const reference = this.referenceId ? await this.library.firstPrompts(this.referenceId, Number.MAX_SAFE_INTEGER) : null;
    const spec = magpieRunSpec({
      model,
      template: $state.snapshot(this.choice) as TemplateChoice,
      samples: this.samples,
      seed: this.seed,
      sampling: { temperature: this.temperature, topP: MAGPIE_DEFAULTS.sampling.topP, maxTokens: this.maxTokens },
      systemPrompt: this.systemPrompt,
      topics: lines(this.topics),
      personas: $state.snapshot(this.personas),
      stopAtLineBreak: this.stopAtLineBreak,
      answers: this.answer ? { ...MAGPIE_DEFAULTS.answerSampling, maxTokens: this.answerMaxTokens } : null,
      metric: this.metric,
      n: this.n,
      threshold: this.threshold,
      minChars: this.minChars,
      maxChars: this.maxChars,
      reference,
    });
    return { name: defaultRunName(spec, `${spec.samples} samples`), spec };
  }

  async start(): Promise<void> {
    this.error = null;
    try {
      const { name, spec } = await this.build();
      void this.runs.start(name, spec);
    } catch (error) {
      this.error = toUserError(error);
    }
  }
}
