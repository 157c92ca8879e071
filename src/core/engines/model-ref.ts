import type { Reader } from '../schema/validate';

/**
 * What the pure side of the app knows about one engine's model references: how to read one back
 * from storage and how to name it. One object per engine, collected in `core/engines/index.ts`.
 * Methods (not arrow-typed fields) so the registry can hand out any entry as `ModelRefKind<ModelRef>`.
 */
export interface ModelRefKind<Ref> {
  /** Where the engine runs, in one word for model lists (e.g. "GPU"). */
  readonly runsOn: string;
  /** Reads a stored reference whose `backend` is already checked; errors name the bad field. */
  read(stored: Reader): Ref;
  /** The short name shown in run lists, run names and dataset info. */
  label(ref: Ref): string;
  /** The dataset card's line about this model; `code` quotes a literal as Markdown code. */
  cardLine(ref: Ref, code: (text: string) => string): string;
}
