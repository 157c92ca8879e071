/** The card's "Use it" section: the exact `load_dataset` line for each config. */

/** A Python identifier for a config's variable. */
const varName = (config: string) => config.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');

export function useIt(configs: readonly { name: string; default?: boolean }[], repoStem: string): string[] {
  const repo = `your-name/${repoStem}`;
  const lines = configs.map((c) =>
    c.default ? `${varName(c.name)} = load_dataset(${JSON.stringify(repo)})  # the default config, "${c.name}"` : `${varName(c.name)} = load_dataset(${JSON.stringify(repo)}, ${JSON.stringify(c.name)})`,
  );
  return [
    '## Use it',
    '',
    'Upload the folder holding this README.md and the files it lists (for example `hf upload ' + repo + ' . --repo-type=dataset`), then load each config by name:',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    ...lines,
    '```',
    '',
    `Replace \`${repo}\` with your repository, or with the path of the folder to load it without the Hub. Each config's splits are the ones listed under Contents.`,
  ];
}
