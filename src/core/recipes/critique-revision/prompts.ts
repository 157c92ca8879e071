import type { ChatMessage, Constitution, Principle } from '../../types';

/**
 * The messages the critique→revision recipe sends, beyond the principle texts themselves.
 * Short on purpose: small models follow short instructions better, and every token is prefilled.
 */
export function critiqueMessage(principle: Principle): string {
  return `${principle.critique.trim()}\nAnswer with the critique only.`;
}

export function revisionMessage(principle: Principle): string {
  return `${principle.revision.trim()}\nReply with the rewritten response only.`;
}

/** Few-shot example conversations, flattened into the turns that precede the real prompt. */
export function fewShotTurns(constitution: Constitution): ChatMessage[] {
  return constitution.fewShot.flatMap((example) => example.messages.map((m) => ({ ...m })));
}

/** Principles a run may draw from. */
export function enabledPrinciples(constitution: Constitution): Principle[] {
  return constitution.principles.filter((p) => p.enabled);
}
