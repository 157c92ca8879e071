/**
 * The pre-query text of Magpie: a chat template rendered around a marker user message, cut where
 * the marker begins. What follows the marker is the end of a user turn (the stop text), and what
 * a generation prompt adds is the opening of the assistant's turn (a sign the model answered itself).
 */
import { Template } from '@huggingface/jinja';
import type { ConversationTemplate } from '../../engine';
import type { TemplateChoice, TemplateFamily } from './types';

export interface PreQuery {
  /** The text the model continues. */
  text: string;
  /** Texts that end the user turn. */
  stop: string[];
  /** How the assistant's turn opens ('' when the template does not mark it). */
  assistantOpening: string;
}

/** A template that cannot give a pre-query; the message says what is wrong with it. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

const MARKER = '\u2063MAGPIE-USER-TEXT\u2063';

/** Our own renderings of each family's turn format (system text folded into the user turn where the family has no system role). */
export const FAMILY_TEMPLATES: Record<TemplateFamily, string> = {
  chatml:
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
  llama3:
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}",
  gemma:
    "{{ bos_token }}{% set ns = namespace(sys='') %}{% for m in messages %}{% if m.role == 'system' %}{% set ns.sys = m.content + '\n\n' %}{% else %}<start_of_turn>{{ 'model' if m.role == 'assistant' else m.role }}\n{{ ns.sys if m.role == 'user' else '' }}{{ m.content }}<end_of_turn>\n{% set ns.sys = '' %}{% endif %}{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}",
  phi: "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}",
  mistral:
    "{{ bos_token }}{% set ns = namespace(sys='') %}{% for m in messages %}{% if m.role == 'system' %}{% set ns.sys = m.content + '\n\n' %}{% elif m.role == 'user' %}[INST] {{ ns.sys }}{{ m.content }} [/INST]{% set ns.sys = '' %}{% else %}{{ m.content }}{{ eos_token }}{% endif %}{% endfor %}",
};

export const FAMILY_LABELS: Record<TemplateFamily, string> = {
  chatml: 'ChatML (<|im_start|>, Qwen, SmolLM…)',
  llama3: 'Llama 3 (<|start_header_id|>)',
  gemma: 'Gemma (<start_of_turn>)',
  phi: 'Phi 3 (<|user|>)',
  mistral: 'Mistral ([INST])',
};

export const TEMPLATE_FAMILIES = Object.keys(FAMILY_TEMPLATES) as TemplateFamily[];

/** The pre-query for a template choice, with `system` as the system turn ('' for none). */
export function preQueryFor(choice: TemplateChoice, system: string): PreQuery {
  if (choice.kind === 'family') return fromJinja(FAMILY_TEMPLATES[choice.family], system, `the ${choice.family} family template`);
  const { source } = choice;
  return source.kind === 'jinja' ? fromJinja(source.template, system, "the model's chat template") : fromConversation(source.template, system);
}

type Message = { role: string; content: string };

function parse(template: string, what: string): Template {
  if (!template.trim()) throw new TemplateError(`${what} is empty`);
  try {
    return new Template(template);
  } catch (error) {
    throw new TemplateError(`${what} cannot be read as a Jinja template: ${(error as Error).message}`);
  }
}

function render(t: Template, messages: Message[], generation: boolean): string {
  // Engines add the beginning-of-text token themselves, so the template's is left empty.
  return t.render({ messages, add_generation_prompt: generation, bos_token: '', eos_token: '' });
}

/**
 * Renders the template around the marker. Templates that refuse a system turn (e.g. Gemma 2's)
 * are rendered without one and the system text is put at the start of the user turn instead.
 */
export function fromJinja(template: string, system: string, what: string): PreQuery {
  const t = parse(template, what);
  const user: Message = { role: 'user', content: MARKER };
  let rendered: string;
  let folded = '';
  try {
    rendered = render(t, system ? [{ role: 'system', content: system }, user] : [user], false);
  } catch (error) {
    if (!system) throw new TemplateError(`${what} failed to render a user message: ${(error as Error).message}`);
    try {
      rendered = render(t, [user], false);
      folded = `${system}\n\n`;
    } catch (second) {
      throw new TemplateError(`${what} failed to render a user message: ${(second as Error).message}`);
    }
  }
  const at = rendered.indexOf(MARKER);
  if (at < 0) throw new TemplateError(`${what} does not include the user's message when rendering it, so there is no place where a user turn begins`);
  const before = rendered.slice(0, at);
  if (!before.trim()) throw new TemplateError(`${what} puts nothing before the user's message, so there is no turn opening to give the model`);
  const after = rendered.slice(at + MARKER.length);
  const stop = firstLine(after);
  let opening = '';
  try {
    const withReply = render(t, folded || !system ? [user] : [{ role: 'system', content: system }, user], true);
    opening = withReply.slice(withReply.indexOf(MARKER) + MARKER.length + after.length).trim();
  } catch {
    // Without a generation prompt the answers-itself check relies on the wording alone.
  }
  return { text: before + folded, stop: stop ? [stop] : [], assistantOpening: opening };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** WebLLM's conversation template: the system part, then the user role and its separator. */
export function fromConversation(conv: ConversationTemplate, system: string): PreQuery {
  const what = "the model's conversation template";
  if (typeof conv.system_template !== 'string' || typeof conv.roles?.user !== 'string') {
    throw new TemplateError(`${what} lacks a system template or a user role`);
  }
  const systemText = system || conv.system_message || '';
  // An empty system message leaves the system part out, as WebLLM does by default.
  const systemPart = systemText ? conv.system_template.replace('{system_message}', systemText) : conv.system_template.includes('{system_message}') ? '' : conv.system_template;
  const userTemplate = conv.role_templates?.user ?? '{user_message}';
  const lead = userTemplate.includes('{user_message}') ? userTemplate.slice(0, userTemplate.indexOf('{user_message}')) : '';
  const text = systemPart + conv.roles.user + (conv.role_content_sep ?? ': ') + lead;
  if (!text.trim()) throw new TemplateError(`${what} gives nothing before the user's message`);
  const stop = [...(conv.stop_str ?? []), firstLine(conv.seps?.[0] ?? '')].filter((s, i, all) => s && all.indexOf(s) === i);
  return { text, stop, assistantOpening: (conv.roles.assistant ?? '').trim() };
}
