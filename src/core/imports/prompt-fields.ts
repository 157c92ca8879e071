/**
 * Finding the prompt in one JSON row: a chosen field, or the usual field names tried in order, or
 * the first user turn of a transcript or message list. Errors say what the row held instead.
 */

/** Fields tried, in order, when no field is chosen. */
export const AUTO_FIELDS = ['prompt', 'instruction', 'text', 'question', 'messages', 'conversations', 'input', 'query'];

/** Extra tags a row carries itself (`tags: [...]`). */
export function rowTags(obj: Record<string, unknown>): string[] {
  const tags = Object.hasOwn(obj, 'tags') ? obj.tags : undefined;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string' && t.length <= 100).slice(0, 20) : [];
}

export function fieldPrompt(obj: Record<string, unknown>, field: string): string | { error: string } {
  if (!Object.hasOwn(obj, field)) return { error: `has no field "${field}"` };
  return textOf(obj[field]) ?? { error: `field "${field}" is ${kindOfValue(obj[field])}: neither text nor a conversation with a user turn` };
}

export function autoPrompt(obj: Record<string, unknown>): string | { error: string } {
  /** The first prompt field that is there but holds no text: named if nothing else is found. */
  let wrongType: string | null = null;
  for (const field of AUTO_FIELDS) {
    if (!Object.hasOwn(obj, field)) continue;
    const text = textOf(obj[field]);
    if (text === null) {
      wrongType ??= field;
      continue;
    }
    // Alpaca-style rows keep context in `input`; the request needs it to make sense.
    const extra = field === 'instruction' && Object.hasOwn(obj, 'input') && typeof obj.input === 'string' ? obj.input.trim() : '';
    return extra ? `${text}\n\n${extra}` : text;
  }
  // Anthropic HH-style rows have only transcripts (`chosen`, `rejected`): take the first human turn.
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (typeof v === 'string' && isTranscript(v)) return firstHumanTurn(v) ?? '';
  }
  if (wrongType !== null) return { error: `${wrongType} is ${kindOfValue(obj[wrongType])}, not text` };
  return { error: `no prompt found (looked for ${AUTO_FIELDS.join(', ')} and "Human:" transcripts)` };
}

/** "a number", "true or false", "empty (null)", "an object", "a list without a user turn". */
function kindOfValue(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list without a user turn';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true or false';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A prompt from a field's value: plain text, an HH transcript, or a message list. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return isTranscript(v) ? firstHumanTurn(v) : v;
  if (Array.isArray(v)) return firstUserTurn(v);
  return null;
}

export function isTranscript(s: string): boolean {
  return /^\s*Human:/.test(s.slice(0, 200));
}

/** Text of the first "Human:" turn of an "\n\nHuman: …\n\nAssistant: …" transcript, or null. */
export function firstHumanTurn(s: string): string | null {
  const start = /(?:^|\n)[ \t]*Human:[ \t]*/.exec(s);
  if (!start) return null;
  const from = start.index + start[0].length;
  const next = /\n[ \t]*(?:Assistant|Human):/g;
  next.lastIndex = from;
  const end = next.exec(s)?.index ?? s.length;
  const text = s.slice(from, end).trim();
  return text === '' ? null : text;
}

/** First user turn of OpenAI-style (`role`/`content`) or ShareGPT-style (`from`/`value`) messages. */
export function firstUserTurn(messages: unknown[]): string | null {
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const rec = m as Record<string, unknown>;
    const role = own(rec, 'role') ?? own(rec, 'from');
    if (role !== 'user' && role !== 'human') continue;
    const content = own(rec, 'content') ?? own(rec, 'value');
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) return partsText(content);
    return null;
  }
  return null;
}

/** Text parts of a multi-part message (`[{type: "text", text}]`), joined. */
function partsText(parts: unknown[]): string | null {
  const texts = parts.flatMap((p) => {
    const t = typeof p === 'object' && p !== null ? own(p as Record<string, unknown>, 'text') : undefined;
    return typeof t === 'string' ? [t] : [];
  });
  return texts.length > 0 ? texts.join('\n') : null;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
