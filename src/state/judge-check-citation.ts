/**
 * A preference run made after a judge check names that check on its dataset card. The check must
 * have judged the way the run will: same judge model, mode, principles per comparison, form and
 * constitution (the tie margin changes no agreement figure, so it may differ).
 */
import type { JudgeCheckCitation } from '../core/formats/card-run';
import { ownRecords } from '../core/recipes/index';
import { citationOf, judgeCheckReport } from '../core/recipes/judge-check/report';
import type { JudgeCheckSpec } from '../core/recipes/judge-check/types';
import type { PreferenceSpec } from '../core/recipes/preference/types';
import type { Run } from '../core/run';
import { readRecords } from '../storage';

function sameJudging(check: JudgeCheckSpec, spec: Pick<PreferenceSpec, 'judge' | 'constitution'>): boolean {
  const [a, b] = [check.judge, spec.judge];
  return (
    JSON.stringify(a.model) === JSON.stringify(b.model) &&
    a.mode === b.mode &&
    a.principlesPerComparison === b.principlesPerComparison &&
    a.rawPrompt === b.rawPrompt &&
    (a.mode === 'plain' || a.reasoningMaxTokens === b.reasoningMaxTokens) &&
    check.constitution.id === spec.constitution.id
  );
}

/** The newest finished check that judged like `spec`, as the card cites it; null when there is none. */
export async function checkCitationFor(runs: readonly Run[], spec: Pick<PreferenceSpec, 'judge' | 'constitution'>): Promise<JudgeCheckCitation | null> {
  const checks = runs
    .filter((r): r is Run & { spec: JudgeCheckSpec } => r.spec.recipe === 'judge-check' && r.status === 'done' && sameJudging(r.spec, spec))
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const latest = checks[0];
  if (!latest) return null;
  const records = ownRecords('judge-check', await readRecords(latest.id));
  return records.length ? citationOf(latest.id, latest.name, judgeCheckReport(records)) : null;
}
