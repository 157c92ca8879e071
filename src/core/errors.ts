/** Turns engine and storage failures into a sentence that says what happened and what to do. */

export interface UserError {
  name: string;
  message: string;
  /** What the user can do about it. */
  hint: string;
}

interface ErrorLike {
  name?: string;
  message?: string;
}

const RULES: { test: (e: Required<ErrorLike>) => boolean; message: string; hint: string }[] = [
  {
    test: (e) => e.name === 'ContextWindowSizeExceededError' || /context (size|window|length)|exceeds the available context/i.test(e.message),
    message: "The conversation is longer than the model's context window.",
    hint: 'Shorten the prompt, lower max tokens, use fewer few-shot examples or rounds, or pick a model with a longer context.',
  },
  {
    test: (e) => e.name === 'TypeError' && /fetch|network|load failed/i.test(e.message),
    message: 'Cannot reach the model host: this model is not cached and the network is unreachable (or the host is blocked).',
    hint: 'Check your connection, or choose a model that is already cached or a .gguf file from your disk.',
  },
  {
    test: (e) => /WebGPUNotAvailable|WebGPUNotFound/.test(e.name) || /WebGPU is not|navigator\.gpu/i.test(e.message),
    message: 'This browser has no usable WebGPU.',
    hint: 'Use a CPU model (GGUF), or a WebGPU browser such as a recent Chrome or Edge on desktop.',
  },
  {
    test: (e) => /ShaderF16|FeatureSupport/.test(e.name) || /shader-f16/i.test(e.message),
    message: 'This GPU lacks the shader-f16 feature that this model build needs.',
    hint: 'Pick the q4f32 build of the same model, or a CPU model.',
  },
  {
    test: (e) => e.name === 'DeviceLostError' || /out of memory|device (was )?lost|allocation/i.test(e.message),
    message: 'The GPU ran out of memory or was lost while loading or running the model.',
    hint: 'Close other GPU-heavy tabs and reload, or pick a smaller model.',
  },
  {
    // Before the GGUF rule: a model URL ends in .gguf, and a 404 is no statement about the file.
    test: (e) => e.name === 'ModelDownloadError',
    message: 'The model could not be downloaded.',
    hint: 'Check the address (a Hugging Face file needs its /resolve/ URL), or choose another model.',
  },
  {
    test: (e) => /gguf|magic|invalid model|failed to load model|load_error/i.test(`${e.name} ${e.message}`),
    message: 'The file is not a model this engine can read.',
    hint: 'Choose a .gguf model file (llama.cpp format).',
  },
  {
    test: (e) => e.name === 'QuotaExceededError',
    message: 'Browser storage is full.',
    hint: 'Delete old runs or cached models, then try again.',
  },
];

/**
 * `retry` says how to carry on in the place the error is shown: a paused run is resumed, most other
 * steps are simply tried again.
 */
export function toUserError(error: unknown, retry = 'try again'): UserError {
  const e = error as ErrorLike | null;
  const name = (e && typeof e === 'object' && e.name) || 'Error';
  const message = (e && typeof e === 'object' && e.message) || String(error);
  // Already written for people (it says how much is used and what to free).
  // Written for people where it happened (it names the URL and what went wrong).
  // A server's errors say which server and what to do (the key, its CORS flag, …).
  if (name === 'EndpointAuthError') return { name, message, hint: 'Enter the API key in the Server panel, connect, then ' + retry + '.' };
  if (name.startsWith('Endpoint')) return { name, message, hint: `Check the server, then ${retry}.` };
  if (name === 'ModelDownloadError') return { name, message, hint: 'Check the address, or pick another model.' };
  if (name === 'StorageFullError') return { name, message, hint: `Delete old runs or cached models, then ${retry}.` };
  const rule = RULES.find((r) => r.test({ name, message }));
  if (!rule) return { name, message, hint: '' };
  return { name, message: `${rule.message} (${name}: ${message})`, hint: rule.hint };
}

/** The request did not fit the model's context window: the same input will never fit. */
export function isInputTooLong(error: unknown): boolean {
  const e = error as Error;
  return e?.name === 'ContextWindowSizeExceededError' || /context (size|window|length)|exceeds the available context/i.test(e?.message ?? '');
}
