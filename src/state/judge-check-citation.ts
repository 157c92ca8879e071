/**
 * A preference run made after a judge check names that check on its dataset card, when the check
 * judged the way the run will (see judgesAlike).
 */
import type { JudgeCheckCitation } from '../core/formats/card-run';
import { ownRecords } from '../core/recipes/index';
import { citationOf, judgeCheckReport } from '../core/recipes/judge-check/report';
import { isCheckRun, judgesAlike } from '../core/recipes/judge-check/spec';
import type { PreferenceSpec } from '../core/recipes/preference/types';
import type { Run } from '../core/run';
import { readRecords } from '../storage';

/** The newest finished check that judged like `spec`, as the card cites it; null when there is none. */
export async function checkCitationFor(runs: readonly Run[], spec: Pick<PreferenceSpec, 'judge' | 'constitution'>): Promise<JudgeCheckCitation | null> {
  const checks = runs
    .filter(isCheckRun)
    .filter((r) => r.status === 'done' && judgesAlike(r.spec, spec))
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const latest = checks[0];
  if (!latest) return null;
  const records = ownRecords('judge-check', await readRecords(latest.id));
  return records.length ? citationOf(latest.id, latest.name, judgeCheckReport(records)) : null;
}
