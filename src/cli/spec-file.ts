import { readFile } from 'node:fs/promises';
import { readRunSpecFile } from '../core/run-spec-file';
import type { RunSpec } from '../core/run';
import { CliError } from './errors';

/** The spec file the page's "Export run spec" wrote; every error names the file (and the field). */
export async function loadSpec(file: string): Promise<{ name: string; spec: RunSpec }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${file}: cannot be read (${error.code ?? error.message})`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return readRunSpecFile(raw, file);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
