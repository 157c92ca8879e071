import { critiqueRevise } from '../../../core/recipes/critique-revision/make';
import type { CritiqueRecord } from '../../../core/recipes/critique-revision/types';
import { ownSpec } from '../../../core/recipes/index';
import { perPromptDriver } from '../driver';

export const critiqueRevisionDriver = perPromptDriver(
  (run) => ownSpec('critique-revision', run),
  critiqueRevise,
  (shared, error): CritiqueRecord => ({ ...shared, recipe: 'critique-revision', initial: '', initialFinish: 'stop', rounds: [], final: '', error }),
);
