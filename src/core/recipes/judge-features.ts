/**
 * Column types of a judge's answer for one order, shared by the recipes that store judgements
 * (preference, RLCD, the judge check), and the trace's shape for its letter probabilities.
 */
import { float, int, list, opt, str, struct } from '../formats/features';

export const ORDER = struct({
  candidateShownAsA: int,
  form: str,
  method: str,
  letterProbabilities: struct({ A: float, B: float }),
  top: list(struct({ token: str, logprob: float })),
  chosen: opt(str),
  reasoning: opt(str),
  pA: float,
  cost: struct({ forwardPasses: int, decodeTokens: int, promptTokens: int, ms: float }),
});

export type Row = Record<string, unknown>;
export const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * In the trace, letter probabilities are `{A, B}` rather than the stored pair: pyarrow's JSON reader
 * (25.x) builds a broken column from number lists whose first values are null, as an unlisted letter's are.
 */
export const lettersOut = (lp: unknown): unknown => (Array.isArray(lp) ? { A: lp[0] ?? null, B: lp[1] ?? null } : lp);
export const lettersIn = (lp: unknown): unknown => (isRow(lp) ? [lp.A ?? null, lp.B ?? null] : lp);

/** A list of orders with each one's letter probabilities changed by `change`. */
export function mapOrderList(orders: unknown, change: (lp: unknown) => unknown): unknown {
  return Array.isArray(orders) ? orders.map((o: unknown) => (isRow(o) ? { ...o, letterProbabilities: change(o.letterProbabilities) } : o)) : orders;
}
