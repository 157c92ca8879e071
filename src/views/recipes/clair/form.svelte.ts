/** The CLAIR run form: the shared pair fields plus the edit-distance limits and the baseline. */
import { defaultRunName } from '../../../core/run-name';
import { CLAIR_DEFAULTS, clairRunSpec } from '../../../core/recipes/clair/spec';
import type { ClairSpec } from '../../../core/recipes/clair/types';
import { PairForm, type PairChoices } from '../../../state/pair-forms.svelte';

export class ClairForm extends PairForm {
  minDistance = $state(CLAIR_DEFAULTS.minDistance);
  maxDistance = $state(CLAIR_DEFAULTS.maxDistance);
  baseline = $state(CLAIR_DEFAULTS.baseline);

  protected override ownBlocker(): string | null {
    return this.minDistance >= 0 && this.minDistance < this.maxDistance && this.maxDistance <= 1
      ? null
      : 'The edit-distance limits need 0 ≤ no-op limit < rewrite limit ≤ 1.';
  }

  protected build(c: PairChoices): { name: string; spec: ClairSpec } {
    const spec = clairRunSpec({ ...c, minDistance: this.minDistance, maxDistance: this.maxDistance, baseline: this.baseline });
    return { name: defaultRunName(spec, c.promptSet.name), spec };
  }
}
