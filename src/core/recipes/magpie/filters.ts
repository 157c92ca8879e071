/**
 * The filters a Magpie sample goes through, in order: a single clean user turn; not the model
 * answering itself; length; not a near-duplicate (of a kept prompt or of the reference set).
 */
import type { FinishReason } from '../../types';
import type { PreQuery } from './template';
import type { MagpieDrop } from './types';

/** Chat markup that must never appear inside one user turn. */
const MARKUP = /<\|[A-Za-z_][\w-]{0,30}\|>|<\/?(?:start_of_turn|end_of_turn|bos|eos|s)>|\[\/?INST\]/;
/** A line that starts another speaker's turn. */
const ROLE_LINE = /(?:^|\n)\s*(?:#+\s*)?(?:user|assistant|human|ai|system|bot|model|response|answer)\s*:/i;
/** How an answer opens, rather than a request. */
const ANSWER_OPENING = /^(?:sure\b|certainly\b|of course\b|absolutely\b|here (?:is|are)\b|i(?:'d| would) be (?:happy|glad)\b|as an ai\b|i am an ai\b|i'm an ai\b|great question\b|hello!? how can i\b|how can i (?:help|assist)\b)/i;

/** The user prompt in the model's text, or why the text is not one clean user turn. */
export function screenTurn(raw: string, finish: FinishReason, pre: PreQuery): { prompt: string } | MagpieDrop {
  const text = raw.trim();
  if (finish === 'length') return { reason: 'not-clean', detail: 'the turn did not end before the token limit' };
  if (!text) return { reason: 'not-clean', detail: 'the turn was empty' };
  if (pre.assistantOpening && text.includes(pre.assistantOpening)) {
    return { reason: 'answers-itself', detail: "the text goes on into the assistant's turn" };
  }
  if (pre.stop.some((s) => s && text.includes(s)) || MARKUP.test(text)) return { reason: 'not-clean', detail: 'chat markup inside the turn' };
  if (ROLE_LINE.test(text)) return { reason: 'answers-itself', detail: 'the text goes on with a reply' };
  if (ANSWER_OPENING.test(text)) return { reason: 'answers-itself', detail: 'the text reads as an answer, not a request' };
  return { prompt: text };
}

export function lengthDrop(prompt: string, minChars: number, maxChars: number): MagpieDrop | null {
  if (prompt.length < minChars) return { reason: 'too-short', detail: `${prompt.length} characters, fewer than ${minChars}` };
  if (prompt.length > maxChars) return { reason: 'too-long', detail: `${prompt.length} characters, more than ${maxChars}` };
  return null;
}

export const DROP_LABELS = {
  'not-clean': 'not a single clean user turn',
  'answers-itself': 'the model answered itself',
  'too-short': 'too short',
  'too-long': 'too long',
  'near-duplicate': 'near-duplicate',
} as const;
