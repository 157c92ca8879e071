/**
 * What differs between the OpenAI-compatible servers people run: how to allow another origin, how
 * many requests they serve at once by default, and which field constrains the output.
 */

export type ServerKind = 'llama.cpp' | 'vLLM' | 'SGLang' | 'Ollama' | 'LM Studio' | 'unknown';

/** The request field that limits generation to given strings, for the judge's one-letter fallback. */
export type ConstrainedField = 'grammar' | 'structured_outputs' | 'regex' | 'response_format';

interface KindFacts {
  /** How to start the server so it accepts this page's origin; `{origin}` is replaced. */
  cors: string;
  /** Requests served at once when the server does not say (its own default). */
  defaultSlots: number;
  constrained: ConstrainedField;
  /** Port it listens on by default, to guess the server when it cannot be asked. */
  port: number | null;
}

export const KIND_FACTS: Record<ServerKind, KindFacts> = {
  'llama.cpp': { cors: 'llama-server allows any origin unless started with --cors-origins; add {origin} there (or serve the page itself with --path dist).', defaultSlots: 4, constrained: 'grammar', port: 8080 },
  vLLM: { cors: "Start vLLM with --allowed-origins '[\"{origin}\"]' (and --allowed-headers if a proxy strips them).", defaultSlots: 32, constrained: 'structured_outputs', port: 8000 },
  SGLang: { cors: 'SGLang allows any origin; a proxy in front of it must pass CORS headers for {origin}.', defaultSlots: 32, constrained: 'regex', port: 30000 },
  Ollama: { cors: 'Start Ollama with OLLAMA_ORIGINS={origin} (by default it allows only localhost pages).', defaultSlots: 1, constrained: 'response_format', port: 11434 },
  'LM Studio': { cors: 'Start LM Studio\'s server with CORS on: `lms server start --cors` (or the "Enable CORS" switch).', defaultSlots: 4, constrained: 'response_format', port: 1234 },
  unknown: { cors: 'Start the server allowing the origin {origin} (its CORS setting).', defaultSlots: 1, constrained: 'response_format', port: null },
};

/** The flag to name when a server refuses this page's origin; guessed from the port when the kind is unknown. */
export function corsAdvice(baseUrl: string, kind: ServerKind | undefined, origin: string): string {
  let guessed: ServerKind | undefined = kind && kind !== 'unknown' ? kind : undefined;
  if (!guessed) {
    let port = NaN;
    try {
      const u = new URL(baseUrl);
      port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    } catch {
      /* keep unknown */
    }
    guessed = (Object.keys(KIND_FACTS) as ServerKind[]).find((k) => KIND_FACTS[k].port === port);
  }
  if (guessed) return KIND_FACTS[guessed].cors.replaceAll('{origin}', origin);
  const all = (['Ollama', 'LM Studio', 'vLLM', 'llama.cpp'] as const).map((k) => `${k}: ${KIND_FACTS[k].cors.replaceAll('{origin}', origin)}`);
  return `Start it allowing this origin. ${all.join(' ')}`;
}

/** The request body fields that make the reply exactly one of `options`, per constrained field. */
export function constrainedFields(field: ConstrainedField, options: readonly string[], grammar: string): Record<string, unknown> {
  switch (field) {
    case 'grammar':
      return { grammar };
    case 'structured_outputs':
      return { structured_outputs: { choice: options } };
    case 'regex':
      return { regex: `(${options.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})` };
    case 'response_format':
      return {
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'answer',
            strict: true,
            schema: { type: 'object', properties: { answer: { type: 'string', enum: options } }, required: ['answer'], additionalProperties: false },
          },
        },
      };
  }
}

/** The letter a constrained reply gave: the text itself, or `answer` of the JSON-schema form. */
export function constrainedAnswer(field: ConstrainedField, text: string): string {
  if (field !== 'response_format') return text;
  try {
    const answer = (JSON.parse(text) as { answer?: unknown }).answer;
    return typeof answer === 'string' ? answer : text;
  } catch {
    return text;
  }
}

/** Whether the constrained field works on the raw `/v1/completions` form (response_format is chat-only). */
export function constrainsRaw(field: ConstrainedField): boolean {
  return field !== 'response_format';
}
