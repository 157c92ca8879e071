/**
 * Reads every module under src/ and what it imports, for the layering and cycle checks. Uses the
 * TypeScript parser rather than regexes, so strings, regex literals and comments never fool it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface SourceModule {
  /** Path from the repository root with forward slashes, e.g. `src/core/types.ts`. */
  file: string;
  /** Script text: the whole file for .ts, the <script> blocks for .svelte. */
  code: string;
  /** Every specifier as written, type-only and dynamic imports included. */
  imports: string[];
}

export const ROOT = path.resolve(import.meta.dirname, '../..');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Svelte files keep their imports in <script> blocks; the markup can't import anything. */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

export function readSources(): SourceModule[] {
  return listFiles(path.join(ROOT, 'src')).map((full) => {
    const file = path.relative(ROOT, full).split(path.sep).join('/');
    const code = scriptOf(file, readFileSync(full, 'utf8'));
    const imports = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
    return { file, code, imports };
  });
}

/** The src/ file a relative specifier names, or null for packages and files outside the tree. */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const bare = specifier.replace(/\?.*$/, ''); // Vite suffixes such as `?url`
  const base = path.posix.join(path.posix.dirname(from), bare);
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    const full = path.join(ROOT, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return null;
}

/** Names used as free identifiers (not `x.name` properties, not object or type member keys). */
export function freeIdentifiers(file: string, code: string, names: ReadonlySet<string>): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && names.has(node.text) && !isMemberName(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === node;
  if (ts.isQualifiedName(parent)) return parent.right === node;
  const named = parent as ts.Node & { name?: ts.Node };
  const keyed = ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent);
  return keyed && named.name === node;
}

/** Groups of modules that import each other, directly or round a loop (Tarjan's algorithm). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}
