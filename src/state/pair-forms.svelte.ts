/**
 * What the forms of the two pair-making recipes (minimal edits, contrastive pairs) share: model,
 * constitution, prompt set and sampling; each recipe's form (views/recipes/<id>/) adds its own settings.
 */
import { builtinConstitutions } from '../core/builtins/constitution';
import { samplePromptSet } from '../core/builtins/prompts';
import { toUserError, type UserError } from '../core/errors';
import type { RunSpec } from '../core/run';
import type { Constitution, ModelRef, PromptSet, SamplingParams } from '../core/types';
import type { EngineState } from './engine.svelte';
import type { LibraryState } from './library.svelte';
import type { RunsState } from './runs.svelte';

export interface PairChoices {
  model: ModelRef;
  constitution: Constitution;
  promptSet: Pick<PromptSet, 'id' | 'name' | 'prompts'>;
  seed: number;
  sampling: SamplingParams;
}

export abstract class PairForm {
  constitutionId = $state(builtinConstitutions[0].id);
  promptSetId = $state(samplePromptSet.id);
  count = $state(10);
  seed = $state(1234);
  temperature = $state(0.7);
  maxTokens = $state(256);
  error = $state<UserError | null>(null);

  readonly setSize = $derived.by(() => this.library.promptSet(this.promptSetId)?.count ?? 0);
  readonly promptCount = $derived(Math.max(0, Math.min(this.count, this.setSize)));
  readonly blocker = $derived.by(() => {
    if (this.runs.busy) return `A run is in progress${this.runs.activeId ? '' : ' in another tab'}: pause or finish it first.`;
    if (!this.engine.loaded) return 'Load a model first.';
    if (this.promptCount === 0) return 'Choose a prompt set with at least one prompt.';
    return this.ownBlocker();
  });

  constructor(
    protected readonly engine: EngineState,
    protected readonly runs: RunsState,
    protected readonly library: LibraryState,
  ) {}

  protected ownBlocker(): string | null {
    return null;
  }

  protected abstract build(choices: PairChoices): { name: string; spec: RunSpec };

  /** Builds the frozen spec and starts the run; a bad choice is shown instead of thrown. */
  async start(): Promise<void> {
    this.error = null;
    try {
      const model = $state.snapshot(this.engine.loaded) as ModelRef | null;
      if (!model) throw new Error('Load a model first.');
      const choices: PairChoices = {
        model,
        constitution: this.library.constitutionCopy(this.constitutionId),
        promptSet: await this.library.firstPrompts(this.promptSetId, this.count),
        seed: this.seed,
        sampling: { temperature: this.temperature, topP: 0.9, maxTokens: this.maxTokens },
      };
      const { name, spec } = this.build(choices);
      void this.runs.start(name, spec);
    } catch (error) {
      this.error = toUserError(error);
    }
  }
}
