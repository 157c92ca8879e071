/**
 * `cai-lab`: the page's recipes on the command line, over OpenAI-compatible servers.
 *   cai-lab run SPEC.json --endpoint URL [--endpoint URL…] [--model ID] [--api-key-env NAME]
 *                         [--concurrency K] --out FILE.jsonl [--shard i/n] [--quiet]
 *   cai-lab merge OUT.jsonl SHARD.jsonl… [--spec SPEC.json]
 *   cai-lab export RUN.jsonl --format sft|preference|kto|cai|trace --out FILE
 * Exit status: 0 done, 1 failed (message on stderr), 2 bad command line, 130 stopped by a signal.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runTotal } from '../core/recipes/index';
import { CliError, usageError } from './errors';
import { exportCommand } from './export';
import { mergeCommand } from './merge';
import { runCommand, runIdOf } from './run';
import { parseShard } from './shard';
import { loadSpec } from './spec-file';

const USAGE = `Usage:
  cai-lab run SPEC.json --endpoint URL [--endpoint URL…] [--model ID] [--api-key-env NAME]
                        [--concurrency K] --out FILE.jsonl [--shard i/n] [--quiet]
  cai-lab merge OUT.jsonl SHARD.jsonl… [--spec SPEC.json]
  cai-lab export RUN.jsonl --format sft|preference|kto|cai|trace --out FILE

SPEC.json is what the page's "Export run spec" downloads. run resumes from its own --out.`;

const log = (line: string) => process.stderr.write(`${line}\n`);

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw usageError(`${flag} "${text}": expected a whole number of at least 1`);
  return Number(text);
}

function apiKeyFrom(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const key = process.env[name];
  if (!key) throw usageError(`--api-key-env ${name}: that environment variable is not set or empty`);
  return key;
}

async function run(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    endpoint: { type: 'string', multiple: true },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    concurrency: { type: 'string' },
    out: { type: 'string' },
    shard: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw usageError('run: give exactly one spec file (SPEC.json)');
  if (!values.out) throw usageError('run: --out FILE.jsonl is required');
  const endpoints = values.endpoint ?? [];
  if (endpoints.length === 0) throw usageError('run: give at least one --endpoint URL (an OpenAI-compatible server, e.g. http://127.0.0.1:8080)');
  for (const url of endpoints) {
    if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) throw usageError(`--endpoint "${url}": not an http(s) address (e.g. http://127.0.0.1:8080)`);
  }
  const shard = parseShard(values.shard);
  const concurrency = positiveInt(values.concurrency, '--concurrency');
  const apiKey = apiKeyFrom(values['api-key-env']);
  const { name, spec } = await loadSpec(positionals[0]!);
  const controller = new AbortController();
  const stop = () => controller.abort(new CliError('stopped by a signal: what was finished is stored; run the same command again to resume', 130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const done = await runCommand({
    name, spec, out: values.out, endpoints, shard, signal: controller.signal, log,
    ...(values.model ? { model: values.model } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(values.quiet ? { quiet: true } : {}),
  });
  const pace = `${(done.ms / 1000).toFixed(1)} s, ${Math.round((done.tokens / Math.max(done.ms, 1)) * 1000)} tokens/s`;
  log(`${values.out}: ${done.made} records made (${pace}), ${done.skipped} already there, ${done.total} in ${shard.n > 1 ? `shard ${shard.i}/${shard.n}` : 'the run'}`);
}

async function merge(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { spec: { type: 'string' } });
  if (positionals.length < 2) throw usageError('merge: give the output file, then one or more shard files');
  const [out, ...shards] = positionals as [string, ...string[]];
  if (shards.includes(out)) throw usageError(`merge: the output ${out} is also one of the shards`);
  const spec = values.spec ? await loadSpec(values.spec) : null;
  const done = await mergeCommand({ out, shards, ...(spec ? { total: runTotal(spec.spec), runId: runIdOf(spec.name, spec.spec) } : {}) });
  if (!spec) log('merge: without --spec the run\'s size is not known; records after the largest index present could not be checked');
  log(`${out}: ${done.records} records, every index once`);
}

async function exportFile(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 1) throw usageError('export: give exactly one run file (RUN.jsonl)');
  if (!values.format || !values.out) throw usageError('export: --format and --out are required');
  const done = await exportCommand({ input: positionals[0]!, format: values.format, out: values.out });
  log(`${values.out}: ${done.rows} rows`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { run, merge, export: exportFile };

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  try {
    const body = COMMANDS[command];
    if (!body) throw usageError(`unknown command "${command}"`);
    await body(args);
    return 0;
  } catch (error) {
    const e = error instanceof CliError ? error : null;
    // Our own and the endpoint's errors are written for people; a stack only when asked for.
    const detail = process.env.CAI_LAB_DEBUG ? (error as Error)?.stack : undefined;
    log(`cai-lab ${command}: ${detail ?? (error as Error)?.message ?? String(error)}`);
    if (e?.exitCode === 2) log(USAGE);
    return e?.exitCode ?? 1;
  }
}
