/** Run settings every recipe's form shares. */
import type { PromptItem, SamplingParams } from './types';
import { isBlankPrompt } from './prompt-check';

export const defaultSampling: SamplingParams = { temperature: 0.7, topP: 0.9, maxTokens: 256 };

/** Prompts pasted one per line: blank lines (white space or control characters only) dropped, exact duplicates kept once. */
export function parsePastedPrompts(text: string): PromptItem[] {
  const seen = new Set<string>();
  const prompts: PromptItem[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (isBlankPrompt(line) || seen.has(line)) continue;
    seen.add(line);
    prompts.push({ id: `pasted-${prompts.length + 1}`, text: line, source: 'pasted' });
  }
  return prompts;
}
