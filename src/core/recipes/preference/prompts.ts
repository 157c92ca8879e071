/**
 * What the judge is asked. All wording is this project's own. The body shows the user's request,
 * the two replies as options (A) and (B), and one principle's comparison question; the endings
 * differ by form (chat or raw completion) and mode (plain or chain-of-thought).
 */
import type { ChoiceRequest } from '../../engine';
import type { ChatMessage } from '../../types';

export interface JudgeQuestion {
  /** The user's request the two replies answer. */
  prompt: string;
  optionA: string;
  optionB: string;
  /** The principle's comparison question, e.g. "Which reply is more honest?". */
  comparison: string;
}

/** The raw form ends here, so the very next token is the letter. */
export const RAW_ANSWER_LEAD = 'The answer is: (';

const LETTER_ONLY = 'Reply with the letter of the better option, A or B, and nothing else.';
const REASON_FIRST =
  'Before you decide, think it over step by step in a few sentences: how well does each option meet the question above? Do not give your final letter yet.';
const DECIDE_NOW = `Now decide. ${LETTER_ONLY}`;

export function judgeBody(q: JudgeQuestion): string {
  return [
    'A person sent a request to an AI assistant. Two possible assistant replies follow; compare them.',
    `Request:\n${q.prompt.trim()}`,
    `Option (A):\n${q.optionA.trim()}`,
    `Option (B):\n${q.optionB.trim()}`,
    `Question: ${q.comparison.trim()}`,
  ].join('\n\n');
}

/**
 * Plain mode: one request, scored on its next token. The chat form always comes along (every
 * engine can run it, and a grammar fallback may need it); the raw form is added when wanted.
 */
export function plainChoice(q: JudgeQuestion, raw: boolean): ChoiceRequest {
  const body = judgeBody(q);
  const request: ChoiceRequest = { messages: [{ role: 'user', content: `${body}\n\n${LETTER_ONLY}` }] };
  if (raw) request.prompt = `${body}\n\n${RAW_ANSWER_LEAD}`;
  return request;
}

/** Chain-of-thought mode, step 1: ask for reasoning without a verdict. */
export function reasoningMessages(q: JudgeQuestion): ChatMessage[] {
  return [{ role: 'user', content: `${judgeBody(q)}\n\n${REASON_FIRST}` }];
}

/**
 * Chain-of-thought mode, step 2: the same conversation plus the reasoning, then the letter.
 * Chat form only: it extends the conversation the engine just generated, so a KV cache is reused.
 */
export function choiceAfterReasoning(q: JudgeQuestion, reasoning: string): ChoiceRequest {
  return {
    messages: [...reasoningMessages(q), { role: 'assistant', content: reasoning }, { role: 'user', content: DECIDE_NOW }],
  };
}

/** The question as one order shows it: candidate `shownAsA` as option (A). */
export function questionFor(prompt: string, answers: readonly [string, string], shownAsA: 0 | 1, comparison: string): JudgeQuestion {
  return { prompt, optionA: answers[shownAsA], optionB: answers[1 - shownAsA], comparison };
}
