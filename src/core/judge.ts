/**
 * Judge maths, pure: turning next-token probabilities of "A" and "B" into soft preference labels,
 * and summarising how trustworthy a run's labels are. No engine calls happen here; the engines use
 * `letterProbabilities`/`scoreThenConstrain`, the recipe uses the rest.
 */
import type { ChoiceResult, TopToken } from './engine';
import type {
  JudgeCost, JudgeMode, Letter, OrderJudgement, PreferenceLabel, PreferenceRecord, PrincipleJudgement,
} from './recipes/preference/types';

export const LETTERS: readonly [Letter, Letter] = ['A', 'B'];

/** Chain-of-thought answers come out near 0 or 1, so their probabilities are squeezed into this band. */
export const COT_CLAMP: readonly [number, number] = [0.4, 0.6];

/**
 * The option letter a token spells, or null. Tokenisers split "(A)" many ways (" A", "A", "(A",
 * "A)", "**A"), and all of them mean the same answer. Lower case is not accepted: "a" is a word.
 */
export function letterOfToken(token: string): string | null {
  const match = /^\s*(?:\(|\[|\*\*)?\s*([A-Z])\s*(?:\)|\]|\*\*|\.|:)?\s*$/.exec(token);
  return match ? match[1] : null;
}

/**
 * Probability of each option among the top alternatives, summing the tokens that spell it.
 * A spelling (" A", "(A", …) counts only when every option's version of it is listed: the list
 * is cut at N alternatives, so a spelling seen for one letter alone would give that letter mass
 * the other one may have too, just below the cut. That would be a position bias of our own making.
 * Where the options share no spelling, every spelling counts (better than no probability at all).
 */
export function letterProbabilities(top: readonly TopToken[], options: readonly string[]): (number | null)[] {
  const spelled = top
    .filter(({ logprob }) => Number.isFinite(logprob))
    .map(({ token, logprob }) => {
      const letter = letterOfToken(token) ?? '';
      return { at: options.indexOf(letter), shape: token.replace(letter, '\u0000'), p: Math.exp(logprob) };
    })
    .filter(({ at }) => at >= 0);
  const shapesOf = options.map((_, i) => new Set(spelled.filter((s) => s.at === i).map((s) => s.shape)));
  const shared = new Set([...shapesOf[0]].filter((shape) => shapesOf.every((set) => set.has(shape))));
  const sums = options.map((): number | null => null);
  for (const { at, shape, p } of spelled) {
    if (shared.size === 0 || shared.has(shape)) sums[at] = (sums[at] ?? 0) + p;
  }
  return sums;
}

/**
 * Top alternatives of the first generated token, from either logprobs shape the engines return:
 * the chat one (`content[0].top_logprobs: [{token, logprob}]`, also what wllama's raw completion
 * really returns) and the legacy completion one (`top_logprobs[0]: {token: logprob}`).
 * Non-finite values (a temperature-0 artefact) are dropped, so stored records stay valid JSON.
 */
export function parseTopLogprobs(raw: unknown): TopToken[] {
  const obj = (raw ?? {}) as { content?: { top_logprobs?: unknown }[] | null; top_logprobs?: unknown[] | null };
  const list = obj.content?.[0]?.top_logprobs;
  const pairs: [unknown, unknown][] = Array.isArray(list)
    ? list.map((t) => [(t as TopToken)?.token, (t as TopToken)?.logprob])
    : Object.entries((obj.top_logprobs?.[0] ?? {}) as Record<string, unknown>);
  return pairs
    .filter((p): p is [string, number] => typeof p[0] === 'string' && typeof p[1] === 'number' && Number.isFinite(p[1]))
    .map(([token, logprob]) => ({ token, logprob }));
}

/** WebLLM accepts logit biases from -100 to 100. */
export const LETTER_BIAS = 100;

/** Spellings biased: the bare letter and the letter after a space ("▁A" in SentencePiece, "ĠA" in byte-level BPE). */
const BIASED_SHAPES = ['', ' '] as const;

/**
 * WebLLM's `logit_bias` lifting the option letters into its top 5 alternatives. Every token that
 * spells an option (in a shape every option has) gets the same bias, so each letter's probability
 * is multiplied by the same factor before softmax renormalises: their ratio, hence the renormalised
 * P(A), is unchanged, and the letters are found without the constrained fallback. Two shapes for two
 * letters is four tokens: all fit in the five alternatives WebLLM returns.
 */
export function letterLogitBias(tokenTable: readonly string[], options: readonly string[], bias = LETTER_BIAS): Record<string, number> {
  const found = BIASED_SHAPES.map(() => options.map((): number | null => null));
  tokenTable.forEach((raw, id) => {
    const token = raw.replace(/^[\u2581\u0120]/, ' ');
    BIASED_SHAPES.forEach((shape, s) => {
      const at = options.findIndex((o) => token === shape + o);
      if (at >= 0 && found[s][at] === null) found[s][at] = id;
    });
  });
  const out: Record<string, number> = {};
  for (const ids of found) {
    if (ids.some((id) => id === null)) continue;
    for (const id of ids) out[String(id)] = bias;
  }
  return out;
}

/** A grammar (valid as both WebLLM EBNF and llama.cpp GBNF) that allows exactly one option letter. */
export function letterGrammar(options: readonly string[]): string {
  return `root ::= ${options.map((o) => JSON.stringify(o)).join(' | ')}`;
}

interface ScoreStep {
  top: TopToken[];
  promptTokens: number;
  completionTokens: number;
}

/**
 * The engines' shared `choose` flow: score one token with log-probabilities; only when no option is
 * among the alternatives, generate one letter under a grammar. Keeping it here means the fallback
 * rule (never invent a probability) is written once and tested without a model.
 */
export async function scoreThenConstrain(
  options: readonly string[],
  form: 'raw' | 'chat',
  score: () => Promise<ScoreStep>,
  constrain: () => Promise<{ text: string; promptTokens: number; completionTokens: number }>,
  now: () => number,
): Promise<ChoiceResult> {
  const started = now();
  const scored = await score();
  const probabilities = letterProbabilities(scored.top, options);
  const base = { probabilities, top: scored.top, form, promptTokens: scored.promptTokens, completionTokens: scored.completionTokens };
  if (probabilities.some((p) => p !== null)) return { ...base, method: 'logprobs', forwardPasses: 1, ms: now() - started };
  const forced = await constrain();
  const letter = letterOfToken(forced.text.trim());
  return {
    ...base,
    method: 'constrained',
    ...(letter !== null && options.includes(letter) ? { chosen: letter } : {}),
    promptTokens: base.promptTokens + forced.promptTokens,
    completionTokens: base.completionTokens + forced.completionTokens,
    forwardPasses: 1 + Math.max(1, forced.completionTokens),
    ms: now() - started,
  };
}

/** P(A) given that the answer is A or B. With only one letter present the other is below the top-k
 * cut-off, so its share is taken as 0 (an error no larger than the smallest listed alternative). */
export function renormalise(pA: number | null, pB: number | null): number | null {
  if (pA === null && pB === null) return null;
  const a = pA ?? 0;
  const total = a + (pB ?? 0);
  return total > 0 ? a / total : null;
}

export function clamp(p: number, [low, high]: readonly [number, number]): number {
  return Math.min(high, Math.max(low, p));
}

/** An order's P(A) as the label uses it: renormalised, then clamped in chain-of-thought mode. */
export function orderPA(letterProbs: readonly [number | null, number | null], mode: JudgeMode): number | null {
  const p = renormalise(letterProbs[0], letterProbs[1]);
  return p === null || mode === 'plain' ? p : clamp(p, COT_CLAMP);
}

/** Which candidate an order picked: from its probability, or else from the fallback letter. */
export function orderWinner(order: Pick<OrderJudgement, 'pA' | 'chosen' | 'candidateShownAsA'>): 0 | 1 | null {
  const letter: Letter | null = order.pA !== null ? (order.pA > 0.5 ? 'A' : order.pA < 0.5 ? 'B' : null) : (order.chosen ?? null);
  if (letter === null) return null;
  return letter === 'A' ? order.candidateShownAsA : ((1 - order.candidateShownAsA) as 0 | 1);
}

/** P(answer 1 better) according to one order. */
export function pAnswer1OfOrder(order: Pick<OrderJudgement, 'pA' | 'candidateShownAsA'>): number | null {
  if (order.pA === null) return null;
  return order.candidateShownAsA === 0 ? order.pA : 1 - order.pA;
}

/** Mean of the values that exist; null when none do. Used for both swap averaging and ensembling. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** Swap averaging: the soft label of one principle and whether its two orders agreed. */
export function combineOrders(orders: readonly [OrderJudgement, OrderJudgement]): Pick<PrincipleJudgement, 'pAnswer1' | 'consistent'> {
  const [first, second] = orders.map(orderWinner);
  return {
    pAnswer1: meanOf(orders.map(pAnswer1OfOrder)),
    consistent: first === null || second === null ? null : first === second,
  };
}

/** Verdict of a soft label: a tie when it sits within `tieMargin` of one half. */
export function verdictOf(pAnswer1: number | null, tieMargin: number): PreferenceLabel['verdict'] {
  if (pAnswer1 === null) return 'undecided';
  if (pAnswer1 === 0.5 || Math.abs(pAnswer1 - 0.5) < tieMargin) return 'tie';
  return pAnswer1 > 0.5 ? 'answer1' : 'answer2';
}

/**
 * Ensembling: the record's label is the mean of its principles' swap-averaged labels. With no
 * probability anywhere, the fallback letters are counted instead (a low-confidence, hard label)
 * and the soft label stays null.
 */
export function labelOf(judgements: readonly PrincipleJudgement[], tieMargin: number): PreferenceLabel {
  const pAnswer1 = meanOf(judgements.map((j) => j.pAnswer1));
  if (pAnswer1 !== null) return { pAnswer1, verdict: verdictOf(pAnswer1, tieMargin), basis: 'probabilities' };
  const winners = judgements.flatMap((j) => j.orders.map(orderWinner)).filter((w) => w !== null);
  if (winners.length === 0) return { pAnswer1: null, verdict: 'undecided', basis: 'none' };
  const forAnswer1 = winners.filter((w) => w === 0).length * 2 - winners.length;
  return { pAnswer1: null, verdict: forAnswer1 > 0 ? 'answer1' : forAnswer1 < 0 ? 'answer2' : 'tie', basis: 'letters' };
}

/** A run's (or any set of records') judge quality figures. Shares are in [0, 1], null with no data. */
export interface JudgeSummary {
  comparisons: number;
  /** Share of principle judgements whose two orders picked the same winner. */
  positionConsistency: number | null;
  /** Share of single-order judgements won by the answer shown first, as (A). */
  firstShownWinRate: number | null;
  /** Mean |P(answer 1 better) − 0.5| over labels with a probability (0 to 0.5). */
  meanMargin: number | null;
  ties: number;
  decided: number;
  undecided: number;
  /** Single-order judgements with no probability (constrained fallback or nothing at all). */
  invalidOrders: number;
  lowConfidence: number;
}

/** Reads only the labels and judgements, so the judge check's records are summarised the same way. */
export function summarise(records: Iterable<Pick<PreferenceRecord, 'label' | 'lowConfidence' | 'judgements'>>): JudgeSummary {
  let comparisons = 0, ties = 0, decided = 0, undecided = 0, lowConfidence = 0, invalidOrders = 0;
  const consistency: number[] = [], firstWon: number[] = [], margins: number[] = [];
  for (const record of records) {
    comparisons++;
    if (record.label.verdict === 'tie') ties++;
    else if (record.label.verdict === 'undecided') undecided++;
    else decided++;
    if (record.lowConfidence) lowConfidence++;
    if (record.label.pAnswer1 !== null) margins.push(Math.abs(record.label.pAnswer1 - 0.5));
    for (const judgement of record.judgements) {
      if (judgement.consistent !== null) consistency.push(judgement.consistent ? 1 : 0);
      for (const order of judgement.orders) {
        if (order.pA === null) invalidOrders++;
        const winner = orderWinner(order);
        if (winner !== null) firstWon.push(winner === order.candidateShownAsA ? 1 : 0);
      }
    }
  }
  return {
    comparisons, ties, decided, undecided, invalidOrders, lowConfidence,
    positionConsistency: meanOf(consistency),
    firstShownWinRate: meanOf(firstWon),
    meanMargin: meanOf(margins),
  };
}

/** Benchmark figures: the judge's work per label and per single-order judgement. */
export interface JudgeBench {
  labels: number;
  orders: number;
  decodeTokensPerLabel: number;
  forwardPassesPerLabel: number;
  forwardPassesPerOrder: number;
  maxForwardPassesPerOrder: number;
}

export function judgeBench(records: Iterable<Pick<PreferenceRecord, 'judgements'>>): JudgeBench {
  const costs: JudgeCost[] = [];
  let labels = 0;
  for (const record of records) {
    labels++;
    for (const judgement of record.judgements) for (const order of judgement.orders) costs.push(order.cost);
  }
  const total = (key: keyof JudgeCost) => costs.reduce((sum, c) => sum + c[key], 0);
  return {
    labels,
    orders: costs.length,
    decodeTokensPerLabel: labels ? total('decodeTokens') / labels : 0,
    forwardPassesPerLabel: labels ? total('forwardPasses') / labels : 0,
    forwardPassesPerOrder: costs.length ? total('forwardPasses') / costs.length : 0,
    maxForwardPassesPerOrder: costs.reduce((max, c) => Math.max(max, c.forwardPasses), 0),
  };
}
