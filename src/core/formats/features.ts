/**
 * Column types of an export, in the terms of Hugging Face `datasets` (`Value`, lists, structs).
 * `datasets` fixes a column's type from the first chunk it reads and casts the rest to it, so a key
 * missing from some rows, or a number that is sometimes whole, fails a load with `CastError`. Each
 * config's rows are therefore made to one declared shape (`conform`: null where a value is not
 * known), and the card lists that shape as `dataset_info.features`, so nothing is left to guessing.
 */
import { yamlString } from './yaml';

export type Dtype = 'string' | 'int64' | 'float64' | 'bool' | 'null';

/** `optional`: a record field that may be absent; a trace row carries it as null (see `dropAdded`). */
export type Feature = ({ dtype: Dtype } | { list: Feature } | { struct: Fields }) & { optional?: true };

/** Named columns (or struct fields), in their order. */
export type Fields = { readonly [name: string]: Feature };

export const str: Feature = { dtype: 'string' };
export const int: Feature = { dtype: 'int64' };
export const float: Feature = { dtype: 'float64' };
export const bool: Feature = { dtype: 'bool' };
export const list = (item: Feature): Feature => ({ list: item });
export const struct = (fields: Fields): Feature => ({ struct: fields });
export const opt = (feature: Feature): Feature => ({ ...feature, optional: true });

/** A chat turn list, TRL's conversational shape. */
export const MESSAGES = list(struct({ role: str, content: str }));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The value with every declared struct field present (null where absent), recursively. Keys the
 * shape does not declare are kept, so a gap in a declared shape shows in the tests, not as lost data.
 */
export function conform(value: unknown, feature: Feature): unknown {
  if (value === undefined || value === null) return null;
  if ('dtype' in feature) return value;
  if ('list' in feature) return Array.isArray(value) ? value.map((v) => conform(v, feature.list)) : value;
  return isObject(value) ? conformFields(value, feature.struct) : value;
}

/** A shape's conform, worked out once: `conform` asks the feature's kind at every value otherwise. */
type Conformer = (value: unknown) => unknown;

const conformers = new WeakMap<Feature, Conformer>();
const fieldConformers = new WeakMap<Fields, (row: Record<string, unknown>) => Record<string, unknown>>();

function conformerOf(feature: Feature): Conformer {
  let made = conformers.get(feature);
  if (made) return made;
  if ('dtype' in feature) made = (v) => v ?? null;
  else if ('list' in feature) {
    const item = conformerOf(feature.list);
    made = (v) => (v === undefined || v === null ? null : Array.isArray(v) ? v.map((x) => item(x)) : v);
  } else {
    const fields = fieldsConformer(feature.struct);
    made = (v) => (v === undefined || v === null ? null : isObject(v) ? fields(v) : v);
  }
  conformers.set(feature, made);
  return made;
}

/**
 * Rows are conformed by the thousand per batch, with many declared columns (every recipe's in a
 * trace) and few present: each row starts as a copy of one all-null template (one shape, in the
 * declared order) and only the row's own keys are then visited. Keys the shape does not declare
 * follow, in the row's order, as before.
 */
function fieldsConformer(fields: Fields): (row: Record<string, unknown>) => Record<string, unknown> {
  let made = fieldConformers.get(fields);
  if (made) return made;
  const own = new Map<string, Conformer>();
  for (const [name, feature] of Object.entries(fields)) own.set(name, conformerOf(feature));
  // Made by JSON.parse, whose objects keep fast properties: one built key by key (57 columns in a
  // trace) may become a dictionary, and copying that for every row cost ten times as much.
  const template = JSON.parse(JSON.stringify(Object.fromEntries([...own.keys()].map((name) => [name, null])))) as Record<string, unknown>;
  made = (row) => {
    const out = { ...template };
    for (const name in row) {
      const conformOwn = own.get(name);
      if (conformOwn) out[name] = conformOwn(row[name]);
      else if (!(name in fields)) out[name] = row[name];
    }
    return out;
  };
  fieldConformers.set(fields, made);
  return made;
}

export function conformFields(row: Record<string, unknown>, fields: Fields): Record<string, unknown> {
  return fieldsConformer(fields)(row);
}

function dtypeFits(value: unknown, dtype: Dtype): boolean {
  if (dtype === 'string') return typeof value === 'string';
  if (dtype === 'int64') return Number.isSafeInteger(value);
  if (dtype === 'float64') return typeof value === 'number' && Number.isFinite(value);
  if (dtype === 'bool') return typeof value === 'boolean';
  return false;
}

/**
 * The inverse of `conform` for stored records: drops the nulls that stand for absent optional
 * fields (or fields of another recipe), so a re-imported record has the shape it was stored with.
 */
export function dropAdded(value: unknown, feature: Feature): unknown {
  if ('list' in feature) return Array.isArray(value) ? value.map((v) => dropAdded(v, feature.list)) : value;
  if (!('struct' in feature) || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const f = feature.struct[name];
    if (v === null && (!f || f.optional)) continue;
    out[name] = f ? dropAdded(v, f) : v;
  }
  return out;
}

/** Where `value` departs from `feature` (empty when it fits): wrong types, missing or extra keys. */
export function mismatches(value: unknown, feature: Feature, path = '$'): string[] {
  if (value === null) return [];
  if ('dtype' in feature) return dtypeFits(value, feature.dtype) ? [] : [`${path}: ${JSON.stringify(value)} is not ${feature.dtype}`];
  if ('list' in feature) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((v, i) => mismatches(v, feature.list, `${path}[${i}]`));
  }
  if (!isObject(value)) return [`${path}: expected an object`];
  const fields = feature.struct;
  const extra = Object.keys(value).filter((k) => !(k in fields)).map((k) => `${path}.${k}: not declared`);
  const missing = Object.keys(fields).filter((k) => !(k in value)).map((k) => `${path}.${k}: missing`);
  return [...extra, ...missing, ...Object.entries(fields).flatMap(([k, f]) => (k in value ? mismatches(value[k], f, `${path}.${k}`) : []))];
}

/** The shape of one value (e.g. a run summary repeated on every row); null and [] give `null` types. */
export function inferFeature(value: unknown): Feature {
  if (typeof value === 'string') return str;
  if (typeof value === 'boolean') return bool;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? int : float;
  if (Array.isArray(value)) return list(value.length ? value.map(inferFeature).reduce(widen) : { dtype: 'null' });
  if (isObject(value)) return struct(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, inferFeature(v)])));
  return { dtype: 'null' };
}

/** Optional if either is: a field may be absent when it may be absent on either side. */
const either = (a: Feature, b: Feature, f: Feature): Feature => (a.optional || b.optional ? opt(f) : f);

/** One feature for two values of a column: ints widen to floats, null to anything, structs merge. */
function widen(a: Feature, b: Feature): Feature {
  return either(a, b, widenType(a, b));
}

function widenType(a: Feature, b: Feature): Feature {
  const isNull = (f: Feature) => 'dtype' in f && f.dtype === 'null';
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  if ('dtype' in a && 'dtype' in b) {
    if (a.dtype === b.dtype) return { dtype: a.dtype };
    if ([a.dtype, b.dtype].every((d) => d === 'int64' || d === 'float64')) return float;
  }
  if ('list' in a && 'list' in b) return list(widen(a.list, b.list));
  if ('struct' in a && 'struct' in b) return struct(unionFields(a.struct, b.struct));
  throw new Error(`column types ${JSON.stringify(a)} and ${JSON.stringify(b)} cannot be merged`);
}

/** The columns of two shapes together; a name declared twice must agree (numbers and nulls widen). */
export function unionFields(a: Fields, b: Fields): Fields {
  const out: Record<string, Feature> = {};
  for (const [name, feature] of Object.entries(a)) out[name] = name in b ? feature : opt(feature);
  for (const [name, feature] of Object.entries(b)) {
    try {
      out[name] = name in out ? widen(out[name]!, feature) : opt(feature);
    } catch (error) {
      throw new Error(`column "${name}": ${(error as Error).message}`);
    }
  }
  return out;
}

/** YAML lines of `features` in the layout `datasets` writes (`Features._to_yaml_list`), at `indent`. */
export function featuresYaml(fields: Fields, indent: string): string[] {
  return Object.entries(fields).flatMap(([name, feature]) => [`${indent}- name: ${yamlString(name)}`, ...featureBody(feature, `${indent}  `)]);
}

function featureBody(feature: Feature, indent: string): string[] {
  if ('dtype' in feature) return [`${indent}dtype: ${yamlString(feature.dtype)}`];
  if ('struct' in feature) return [`${indent}struct:`, ...featuresYaml(feature.struct, indent)];
  return listBody(feature.list, indent);
}

/** `list:` with its item: a bare dtype, a struct's field list, or a nested `list:` map. */
function listBody(item: Feature, indent: string): string[] {
  if ('dtype' in item) return [`${indent}list: ${yamlString(item.dtype)}`];
  if ('struct' in item) return [`${indent}list:`, ...featuresYaml(item.struct, indent)];
  return [`${indent}list:`, ...listBody(item.list, `${indent}  `)];
}
