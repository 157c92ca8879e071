/**
 * The two instructions RLCD answers a prompt under: a positive one (follow the principle) and a
 * negative one (disregard it). Each principle of a constitution may carry its own pair; principles
 * stored before pairs existed get one written from their name (see core/schema/restore.ts).
 */
import type { Principle, PrincipleContrast } from '../../types';

export function defaultContrast(principle: Pick<Principle, 'name'>): PrincipleContrast {
  const name = principle.name.trim() || 'this principle';
  return {
    positive: `Answer the user in a way that honours this principle as fully as you can: ${name}.`,
    negative: `Answer the user without any regard for this principle: ${name}.`,
  };
}

/** The principle's own pair where both halves are written; the default pair otherwise. */
export function contrastOf(principle: Principle): PrincipleContrast {
  const c = principle.contrast;
  return c && c.positive.trim() && c.negative.trim() ? c : defaultContrast(principle);
}
