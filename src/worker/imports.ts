/**
 * Library imports, run in the worker so that parsing a 50 MB prompt dump never freezes the page.
 * Results and failures cross back as plain data: Comlink would drop an ImportError's file, field
 * and line, which the page shows next to the message.
 */
import { importConstitution, type ConstitutionImport, type ConstitutionImportOptions } from '../core/imports/constitution';
import { ImportError } from '../core/imports/decode';
import { importPrompts, type PromptImportOptions, type PromptImportResult } from '../core/imports/prompts';

export interface ImportFailure {
  message: string;
  file: string;
  field?: string;
  line?: number;
  column?: number;
}

export type ImportOutcome<T> = { ok: true; value: T } | { ok: false; error: ImportFailure };

export type ImportInput = File | Blob | ArrayBuffer | string;

async function bytesOf(input: ImportInput): Promise<ArrayBuffer | string> {
  return typeof input === 'string' || input instanceof ArrayBuffer ? input : input.arrayBuffer();
}

function failure(error: unknown, file: string): ImportFailure {
  if (error instanceof ImportError) {
    const out: ImportFailure = { message: error.message, file: error.file };
    if (error.field !== undefined) out.field = error.field;
    if (error.line !== undefined) out.line = error.line;
    if (error.column !== undefined) out.column = error.column;
    return out;
  }
  // Anything else (out of memory, a stack overflow in a browser's parser) still names the file.
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${file}: could not be read (${message})`, file };
}

async function attempt<T>(file: string, body: () => Promise<T>): Promise<ImportOutcome<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    return { ok: false, error: failure(error, file) };
  }
}

export function importPromptsFrom(input: ImportInput, opts: PromptImportOptions): Promise<ImportOutcome<PromptImportResult>> {
  return attempt(opts.file, async () => importPrompts(await bytesOf(input), opts));
}

export function importConstitutionFrom(input: ImportInput, opts: ConstitutionImportOptions): Promise<ImportOutcome<ConstitutionImport>> {
  return attempt(opts.file, async () => importConstitution(await bytesOf(input), opts));
}
