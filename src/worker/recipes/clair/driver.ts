import { clairPair } from '../../../core/recipes/clair/make';
import type { ClairRecord } from '../../../core/recipes/clair/types';
import { ownSpec } from '../../../core/recipes/index';
import { perPromptDriver } from '../driver';

export const clairDriver = perPromptDriver(
  (run) => ownSpec('clair', run),
  clairPair,
  (shared, error): ClairRecord => ({
    ...shared,
    recipe: 'clair',
    principleId: '',
    principleName: '',
    answer: '',
    answerFinish: 'stop',
    revisionRequest: '',
    revision: '',
    revisionFinish: 'stop',
    distance: 0,
    error,
  }),
);
