/**
 * Tiny shape checkers for data read back from IndexedDB. Stored data may come from an older
 * version of the app or be damaged, so every read is checked and errors name the exact field.
 */

export type Obj = Record<string, unknown>;

export class Reader {
  constructor(
    /** e.g. `run abc` — prefixes every error so the user knows which item is bad. */
    readonly label: string,
    readonly obj: Obj,
    /** Field path prefix for nested objects, e.g. `spec.`. */
    readonly prefix = '',
  ) {}

  fail(field: string, expected: string): never {
    throw new Error(`${this.label}: field "${this.prefix}${field}" must be ${expected}`);
  }

  has(field: string): boolean {
    return this.obj[field] !== undefined && this.obj[field] !== null;
  }

  str(field: string, fallback?: string): string {
    const v = this.obj[field];
    if (typeof v === 'string') return v;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, 'a string');
  }

  num(field: string, fallback?: number): number {
    const v = this.obj[field];
    if (typeof v === 'number' && !Number.isNaN(v)) return v;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, 'a number');
  }

  int(field: string, fallback?: number): number {
    const v = this.obj[field] === undefined ? fallback : this.obj[field];
    return Number.isInteger(v) && (v as number) >= 0 ? (v as number) : this.fail(field, 'a non-negative integer');
  }

  bool(field: string, fallback?: boolean): boolean {
    const v = this.obj[field];
    if (typeof v === 'boolean') return v;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, 'true or false');
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.obj[field];
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  optStr(field: string): string | undefined {
    return this.has(field) ? this.str(field) : undefined;
  }

  arr(field: string, fallback?: unknown[]): unknown[] {
    const v = this.obj[field];
    if (Array.isArray(v)) return v;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, 'an array');
  }

  /** Reader for a nested object; its errors report `parent.child` paths. */
  child(field: string, fallback?: Obj): Reader {
    const v = this.obj[field];
    if (isObj(v)) return new Reader(this.label, v, `${this.prefix}${field}.`);
    if (v === undefined && fallback !== undefined) return new Reader(this.label, fallback, `${this.prefix}${field}.`);
    return this.fail(field, 'an object');
  }

  /** Readers for each element of an array of objects, with `field[i].` paths. */
  items(field: string, fallback?: unknown[]): Reader[] {
    return this.arr(field, fallback).map((v, i) => this.element(field, i, v));
  }

  /** Reader for element `i` of array `field` (already fetched), failing unless it is an object. */
  element(field: string, i: number, v: unknown): Reader {
    const path = `${field}[${i}]`;
    return isObj(v) ? new Reader(this.label, v, `${this.prefix}${path}.`) : this.fail(path, 'an object');
  }
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Starts reading a stored value; the label uses its id when it has a readable one. */
export function readerFor(kind: string, raw: unknown): Reader {
  if (!isObj(raw)) throw new Error(`${kind}: stored value must be an object`);
  const id = typeof raw.id === 'string' ? raw.id : '(no id)';
  return new Reader(`${kind} ${id}`, raw);
}
