/** Checks that a blob is a usable GGUF model before it is cached or loaded. */
import { checkGguf } from '../../core/gguf';

/** Reads enough of the file to check its header; huge vocabularies make headers of several MB. */
const HEADER_BYTES = 64 * 1024 * 1024;

export async function assertGguf(blob: Blob, name: string): Promise<void> {
  const check = checkGguf(await blob.slice(0, HEADER_BYTES).arrayBuffer(), blob.size);
  if (check.ok === false) throw new Error(`invalid model: "${name}" is not a usable GGUF file: ${check.reason}`);
}
