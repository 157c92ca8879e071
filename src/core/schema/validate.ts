/**
 * Tiny shape checkers for data read back from IndexedDB. Stored data may come from an older
 * version of the app or be damaged, so every read is checked and errors name the exact field.
 */

export type Obj = Record<string, unknown>;

/** Where a nested reader sits in its parent: enough to write its path when an error needs it. */
interface Place {
  parent: Reader;
  field: string;
  /** Position in the parent's array `field`, or -1 for a plain field. */
  index: number;
}

export class Reader {
  // Exports check every record of a dataset: building each one's label and field paths up front
  // (strings no one reads unless a field is wrong) was a good part of that check's cost, so they
  // are written only when asked for.
  private labelText: string | (() => string);
  private prefixText: string | null;
  private place: Place | null = null;

  constructor(
    /** e.g. `run abc` — prefixes every error so the user knows which item is bad. */
    label: string | (() => string),
    readonly obj: Obj,
    /** Field path prefix for nested objects, e.g. `spec.`. */
    prefix = '',
  ) {
    this.labelText = label;
    this.prefixText = prefix;
  }

  get label(): string {
    if (this.place) return this.place.parent.label;
    if (typeof this.labelText !== 'string') this.labelText = this.labelText();
    return this.labelText;
  }

  get prefix(): string {
    if (this.prefixText === null) {
      const { parent, field, index } = this.place!;
      this.prefixText = `${parent.prefix}${field}${index < 0 ? '' : `[${index}]`}.`;
    }
    return this.prefixText;
  }

  /** A reader for a nested object, sharing this one's label. */
  private nested(v: Obj, field: string, index = -1): Reader {
    const reader = new Reader('', v);
    reader.prefixText = null;
    reader.place = { parent: this, field, index };
    return reader;
  }

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
    if (isObj(v)) return this.nested(v, field);
    if (v === undefined && fallback !== undefined) return this.nested(fallback, field);
    return this.fail(field, 'an object');
  }

  /** Readers for each element of an array of objects, with `field[i].` paths. */
  items(field: string, fallback?: unknown[]): Reader[] {
    return this.arr(field, fallback).map((v, i) => this.element(field, i, v));
  }

  /** Reader for element `i` of array `field` (already fetched), failing unless it is an object. */
  element(field: string, i: number, v: unknown): Reader {
    return isObj(v) ? this.nested(v, field, i) : this.fail(`${field}[${i}]`, 'an object');
  }
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Starts reading a stored value; the label uses its id when it has a readable one. */
export function readerFor(kind: string, raw: unknown): Reader {
  if (!isObj(raw)) throw new Error(`${kind}: stored value must be an object`);
  const id = typeof raw.id === 'string' ? raw.id : '(no id)';
  return new Reader(() => `${kind} ${id}`, raw);
}
