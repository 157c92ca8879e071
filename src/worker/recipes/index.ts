/**
 * The worker's side of the recipe table: how each kind of run makes its records. A new recipe is
 * one driver under worker/recipes/<id>/ plus one line here.
 */
import type { Run, RunSpec } from '../../core/run';
import { backTranslateDriver } from './back-translate/driver';
import { clairDriver } from './clair/driver';
import { critiqueRevisionDriver } from './critique-revision/driver';
import type { RecipeDriver } from './driver';
import { judgeCheckDriver } from './judge-check/driver';
import { magpieDriver } from './magpie/driver';
import { preferenceDriver } from './preference/driver';
import { rlcdDriver } from './rlcd/driver';
import { selfInstructDriver } from './self-instruct/driver';

export type { DriverContext, PhaseProgress, RecipeDriver, RunStore } from './driver';

/** Imported and merged datasets are finished when stored: there is nothing to generate or resume. */
const importedDriver: RecipeDriver = {
  makeRecord() {
    return Promise.reject(new Error('imported datasets are not generated'));
  },
};

const drivers: { readonly [K in RunSpec['recipe']]: RecipeDriver } = {
  'critique-revision': critiqueRevisionDriver,
  preference: preferenceDriver,
  'self-instruct': selfInstructDriver,
  'back-translate': backTranslateDriver,
  'judge-check': judgeCheckDriver,
  magpie: magpieDriver,
  clair: clairDriver,
  rlcd: rlcdDriver,
  import: importedDriver,
};

export function driverFor(run: Run): RecipeDriver {
  return drivers[run.spec.recipe];
}
