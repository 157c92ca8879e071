/**
 * What makes a prompt unusable before any model sees it: no visible text at all (`""`, `"\u0000"`,
 * only spaces), or an unpaired UTF-16 surrogate, which no UTF-8 engine can encode (the CPU engine
 * fails with a meaningless "Invalid typed array length"). Checked where prompts enter and again
 * when a run starts, so such a prompt is named to the user instead of failing a record three times.
 */

/** Position of the first unpaired surrogate, or -1 when the text is well formed. */
export function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** Nothing a model could read: only white space, control characters and invisible format marks. */
export function isBlankPrompt(text: string): boolean {
  return !/[^\s\p{Cc}\p{Cf}]/u.test(text);
}

/** What is wrong with one prompt's text, or null when it can be used. */
export function promptProblem(text: string): string | null {
  if (isBlankPrompt(text)) return 'the prompt is empty (only white space or control characters)';
  const at = loneSurrogateAt(text);
  if (at >= 0) return `the prompt holds a broken character (an unpaired UTF-16 surrogate) at position ${at + 1}`;
  return null;
}

/** The first 40 characters, with broken characters shown as U+FFFD, for naming a prompt in a message. */
export function promptPreview(text: string): string {
  const shown = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').replace(/\s+/g, ' ').trim();
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}

/** A refused prompt: an input error, never retried as an engine failure. */
export class PromptInputError extends Error {
  override name = 'PromptInputError';
}

/**
 * Throws PromptInputError naming the first unusable item of a run (1-based, with a preview), or
 * returns when all are usable. `itemText(i)` is the text the run would send for item i.
 */
export function assertUsablePrompts(total: number, itemText: (index: number) => string): void {
  for (let i = 0; i < total; i++) {
    const text = itemText(i);
    const problem = promptProblem(text);
    if (problem) throw new PromptInputError(`Prompt ${i + 1} ("${promptPreview(text)}"): ${problem}. Fix or remove it, then start again.`);
  }
}
