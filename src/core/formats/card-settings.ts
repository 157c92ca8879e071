/**
 * What the user says about a dataset for its card: the license, the languages of its prompts and
 * the Hub datasets it came from. Kept with the dataset (Run.card), so each export repeats them.
 */

export interface CardSettings {
  /** A license id the Hub knows (LICENSES), "other" with `licenseName`, or "unknown". */
  license: string;
  /** With license "other": the short name the Hub asks for (lowercase, digits and dashes). */
  licenseName?: string;
  /** ISO 639-1 (or 639-3) codes of the languages of the prompts, e.g. "en". */
  languages: string[];
  /** Hub ids of the datasets the prompts or records came from, e.g. "Anthropic/hh-rlhf". */
  sourceDatasets: string[];
}

export const DEFAULT_CARD_SETTINGS: CardSettings = { license: 'unknown', languages: ['en'], sourceDatasets: [] };

/** Licenses offered, as the Hub's `license` ids (SPDX ids in lower case, plus the Hub's own). */
export const LICENSES: readonly { id: string; label: string }[] = [
  { id: 'unknown', label: 'Not stated (unknown)' },
  { id: 'cc0-1.0', label: 'CC0 1.0 (public domain)' },
  { id: 'cc-by-4.0', label: 'CC BY 4.0' },
  { id: 'cc-by-sa-4.0', label: 'CC BY-SA 4.0' },
  { id: 'cc-by-nc-4.0', label: 'CC BY-NC 4.0' },
  { id: 'cc-by-nc-sa-4.0', label: 'CC BY-NC-SA 4.0' },
  { id: 'odc-by', label: 'ODC-By 1.0' },
  { id: 'odbl', label: 'ODbL 1.0' },
  { id: 'pddl', label: 'PDDL 1.0' },
  { id: 'cdla-permissive-2.0', label: 'CDLA Permissive 2.0' },
  { id: 'cdla-sharing-1.0', label: 'CDLA Sharing 1.0' },
  { id: 'mit', label: 'MIT' },
  { id: 'apache-2.0', label: 'Apache 2.0' },
  { id: 'bsd-3-clause', label: 'BSD 3-Clause' },
  { id: 'openrail', label: 'OpenRAIL' },
  { id: 'llama3.1', label: 'Llama 3.1 Community License' },
  { id: 'gemma', label: 'Gemma Terms of Use' },
  { id: 'other', label: 'Other (give its name)' },
];

const LICENSE_IDS = new Set(LICENSES.map((l) => l.id));
const LANGUAGE = /^[a-z]{2,3}$/;
const LICENSE_NAME = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Items of a comma- or space-separated list, trimmed, without empties or repeats. */
export function listItems(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}

/** What is wrong with the settings, one message per field; empty when they are fine. */
export function cardSettingsProblems(s: CardSettings): string[] {
  const problems: string[] = [];
  if (!LICENSE_IDS.has(s.license)) problems.push(`License: "${s.license}" is not one of the offered licenses`);
  if (s.license === 'other' && !LICENSE_NAME.test(s.licenseName ?? '')) {
    problems.push('License name: with "Other", give a short name in lower case, digits and dashes (e.g. "my-license-1.0")');
  }
  if (s.languages.length === 0) problems.push('Languages: give at least one code, e.g. "en"');
  const badLanguages = s.languages.filter((l) => !LANGUAGE.test(l));
  if (badLanguages.length) problems.push(`Languages: ${badLanguages.map((l) => `"${l}"`).join(', ')} ${badLanguages.length === 1 ? 'is not a' : 'are not'} two- or three-letter ISO 639 code${badLanguages.length === 1 ? '' : 's'} in lower case`);
  const badSources = s.sourceDatasets.filter((d) => !HUB_ID.test(d));
  if (badSources.length) problems.push(`Source datasets: ${badSources.map((d) => `"${d}"`).join(', ')} ${badSources.length === 1 ? 'is not a Hub id' : 'are not Hub ids'} like "owner/name"`);
  return problems;
}
