/**
 * A YAML double-quoted scalar. JSON's escapes are all valid YAML, but YAML also forbids raw DEL,
 * C1 controls, line/paragraph separators and BOM inside quotes, which JSON leaves alone.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
