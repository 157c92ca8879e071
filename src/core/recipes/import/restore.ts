/** Checks the stored spec of an imported or merged dataset (core/dataset-types.ts). */
import type { DatasetSource, ImportSpec } from './types';
import { isObj, type Reader } from '../../schema/validate';

const FORMATS = ['trace', 'cai', 'sft', 'preference', 'merge'] as const;

function readSource(r: Reader): DatasetSource {
  const source: DatasetSource = { id: r.str('id'), name: r.str('name'), recipe: r.str('recipe') };
  const model = r.optStr('model');
  if (model !== undefined) source.model = model;
  const constitution = r.optStr('constitution');
  if (constitution !== undefined) source.constitution = constitution;
  const settings = r.obj.settings;
  // Plain JSON from a trace line; only objects are kept (anything else was never written here).
  if (isObj(settings)) source.settings = settings;
  return source;
}

export function readImportSpec(s: Reader): ImportSpec {
  return {
    recipe: 'import',
    format: s.oneOf('format', FORMATS),
    fileName: s.str('fileName'),
    records: s.int('records'),
    sources: s.items('sources', []).map(readSource),
    skippedLines: s.int('skippedLines', 0),
    droppedDuplicates: s.int('droppedDuplicates', 0),
  };
}
