import { ownSpec } from '../../../core/recipes/index';
import { rlcdPair } from '../../../core/recipes/rlcd/make';
import type { RlcdRecord } from '../../../core/recipes/rlcd/types';
import { perPromptDriver } from '../driver';

export const rlcdDriver = perPromptDriver(
  (run) => ownSpec('rlcd', run),
  rlcdPair,
  (shared, error): RlcdRecord => ({
    ...shared,
    recipe: 'rlcd',
    principleId: '',
    principleName: '',
    positiveInstruction: '',
    negativeInstruction: '',
    positive: '',
    positiveFinish: 'stop',
    negative: '',
    negativeFinish: 'stop',
    error,
  }),
);
