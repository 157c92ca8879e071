/**
 * The report card of a judge check, computed from its records: agreement with people for both
 * orders and for the first order only, position bias, calibration, accuracy against coverage and
 * each principle's agreement. Also its JSON and CSV forms and the figures a comparison lines up.
 */
import { meanOf, orderWinner, pAnswer1OfOrder, summarise } from '../../judge';
import type { JudgeSettings, PreferenceLabel, PrincipleJudgement } from '../preference/types';
import {
  agreement, calibration, coverageCurve, pickOf, suggestedMargin,
  type Agreement, type Calibration, type CoveragePoint,
} from './stats';
import type { JudgeCheckCitation } from '../../formats/card-run';
import type { JudgeCheckRecord } from './types';

export interface PrincipleAgreement {
  id: string;
  name: string;
  agreement: Agreement;
}

export interface JudgeCheckReport {
  pairs: number;
  /** Both orders averaged, as a preference run labels. */
  bothOrders: Agreement;
  /** Only the first order asked (answer 1 shown as A): what asking both orders bought. */
  singleOrder: Agreement;
  positionConsistency: number | null;
  firstShownWinRate: number | null;
  invalidOrders: number;
  calibration: Calibration;
  coverage: CoveragePoint[];
  suggestedMargin: CoveragePoint | null;
  principles: PrincipleAgreement[];
  /** Principles that agree with people more often than a coin toss, over at least MIN_PRINCIPLE_PAIRS pairs. */
  suggestedPrinciples: { id: string; name: string }[];
}

export const MIN_PRINCIPLE_PAIRS = 5;

/** A label's verdict as 0 (answer 1), 1 (answer 2) or null; fallback letters count where no probability came. */
function labelPick(label: PreferenceLabel): 0 | 1 | null {
  if (label.pAnswer1 !== null) return pickOf(label.pAnswer1);
  return label.verdict === 'answer1' ? 0 : label.verdict === 'answer2' ? 1 : null;
}

/** The first order alone: answer 1 shown as (A), each principle's P averaged. */
function firstOrderPick(judgements: readonly PrincipleJudgement[]): { soft: number | null; pick: 0 | 1 | null } {
  const soft = meanOf(judgements.map((j) => pAnswer1OfOrder(j.orders[0])));
  if (soft !== null) return { soft, pick: pickOf(soft) };
  const winners = judgements.map((j) => orderWinner(j.orders[0])).filter((w) => w !== null);
  const forFirst = winners.filter((w) => w === 0).length * 2 - winners.length;
  return { soft: null, pick: forFirst > 0 ? 0 : forFirst < 0 ? 1 : null };
}

function perPrinciple(records: readonly JudgeCheckRecord[]): PrincipleAgreement[] {
  const groups = new Map<string, { name: string; human: (0 | 1)[]; judge: (0 | 1 | null)[] }>();
  for (const record of records) {
    for (const j of record.judgements) {
      const group = groups.get(j.principleId) ?? { name: j.principleName, human: [], judge: [] };
      group.human.push(record.humanBetter);
      group.judge.push(pickOf(j.pAnswer1));
      groups.set(j.principleId, group);
    }
  }
  return [...groups].map(([id, g]) => ({ id, name: g.name, agreement: agreement(g.human, g.judge) }));
}

export function judgeCheckReport(records: readonly JudgeCheckRecord[]): JudgeCheckReport {
  const human = records.map((r) => r.humanBetter);
  const soft = records.map((r) => r.label.pAnswer1);
  const first = records.map((r) => firstOrderPick(r.judgements));
  const summary = summarise(records);
  const coverage = coverageCurve(soft, human);
  const principles = perPrinciple(records).sort((a, b) => (b.agreement.rate ?? 0) - (a.agreement.rate ?? 0));
  return {
    pairs: records.length,
    bothOrders: agreement(human, records.map((r) => labelPick(r.label))),
    singleOrder: agreement(human, first.map((f) => f.pick)),
    positionConsistency: summary.positionConsistency,
    firstShownWinRate: summary.firstShownWinRate,
    invalidOrders: summary.invalidOrders,
    calibration: calibration(soft, human),
    coverage,
    suggestedMargin: suggestedMargin(coverage),
    principles,
    suggestedPrinciples: principles
      .filter((p) => p.agreement.n >= MIN_PRINCIPLE_PAIRS && (p.agreement.rate ?? 0) > 0.5)
      .map(({ id, name }) => ({ id, name })),
  };
}

/** One headline figure: shares are in [0, 1]. */
export interface ReportFigure {
  key: string;
  label: string;
  value: number | null;
  kind: 'share' | 'number' | 'count';
}

/** The headline figures in display order; the comparison, the CSV and the card all use these. */
export function reportFigures(report: JudgeCheckReport): ReportFigure[] {
  const { bothOrders: both, singleOrder: single, calibration: cal } = report;
  return [
    { key: 'pairs', label: 'Pairs', value: report.pairs, kind: 'count' },
    { key: 'agreement', label: 'Agreement with people (both orders)', value: both.rate, kind: 'share' },
    { key: 'agreement_low', label: '95% interval, low', value: both.interval?.[0] ?? null, kind: 'share' },
    { key: 'agreement_high', label: '95% interval, high', value: both.interval?.[1] ?? null, kind: 'share' },
    { key: 'kappa', label: "Cohen's κ (both orders)", value: both.kappa, kind: 'number' },
    { key: 'single_agreement', label: 'Agreement, first order only', value: single.rate, kind: 'share' },
    { key: 'single_kappa', label: "Cohen's κ, first order only", value: single.kappa, kind: 'number' },
    { key: 'position_consistency', label: 'Position consistency', value: report.positionConsistency, kind: 'share' },
    { key: 'first_shown_win_rate', label: 'First-shown answer won', value: report.firstShownWinRate, kind: 'share' },
    { key: 'ece', label: 'Expected calibration error', value: cal.ece, kind: 'number' },
    { key: 'brier', label: 'Brier score', value: cal.brier, kind: 'number' },
    { key: 'suggested_margin', label: 'Suggested tie margin', value: report.suggestedMargin?.margin ?? null, kind: 'number' },
    { key: 'suggested_margin_accuracy', label: 'Accuracy at that margin', value: report.suggestedMargin?.accuracy ?? null, kind: 'share' },
    { key: 'suggested_margin_coverage', label: 'Pairs kept at that margin', value: report.suggestedMargin?.coverage ?? null, kind: 'share' },
  ];
}

export function formatFigure(figure: Pick<ReportFigure, 'value' | 'kind'>): string {
  if (figure.value === null) return '—';
  if (figure.kind === 'share') return `${(figure.value * 100).toFixed(1)}%`;
  if (figure.kind === 'count') return String(figure.value);
  return figure.value.toFixed(3);
}

/** What the check ran: for the downloads and the comparison's headings. */
export interface CheckIdentity {
  runId: string;
  name: string;
  file: string;
  judgeModel: string;
  judge: Omit<JudgeSettings, 'model'>;
}

export function reportJson(identity: CheckIdentity, report: JudgeCheckReport): string {
  return JSON.stringify({ check: identity, ...report }, null, 2);
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One table, `section,name,value,n`: headline figures, reliability bins, the coverage curve, principles. */
export function reportCsv(report: JudgeCheckReport): string {
  const rows: (string | number | null)[][] = [['section', 'name', 'value', 'n']];
  for (const f of reportFigures(report)) rows.push(['figure', f.key, f.value, report.pairs]);
  for (const b of report.calibration.bins) rows.push(['reliability', `${b.from.toFixed(1)}-${b.to.toFixed(1)}`, b.observed, b.count]);
  for (const c of report.coverage) rows.push(['coverage', `margin ${c.margin}`, c.accuracy, c.kept]);
  for (const p of report.principles) rows.push(['principle', p.name, p.agreement.rate, p.agreement.n]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** What a later preference run's dataset card says of the check. */
export function citationOf(runId: string, name: string, report: JudgeCheckReport): JudgeCheckCitation {
  return {
    runId,
    name,
    pairs: report.pairs,
    agreement: report.bothOrders.rate,
    interval: report.bothOrders.interval,
    kappa: report.bothOrders.kappa,
    singleOrderAgreement: report.singleOrder.rate,
    positionConsistency: report.positionConsistency,
    ece: report.calibration.ece,
    brier: report.calibration.brier,
    suggestedMargin: report.suggestedMargin?.margin ?? null,
  };
}
