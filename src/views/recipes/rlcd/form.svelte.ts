/** The RLCD run form: the shared pair fields plus the optional check by the judge. */
import { defaultRunName } from '../../../core/run-name';
import { rlcdRunSpec } from '../../../core/recipes/rlcd/spec';
import type { RlcdSpec } from '../../../core/recipes/rlcd/types';
import { PairForm, type PairChoices } from '../../../state/pair-forms.svelte';

export class RlcdForm extends PairForm {
  judge = $state(false);

  protected build(c: PairChoices): { name: string; spec: RlcdSpec } {
    const spec = rlcdRunSpec({ ...c, judge: this.judge });
    return { name: defaultRunName(spec, c.promptSet.name), spec };
  }
}
