#!/usr/bin/env node
// `cai-lab` (package.json "bin"): runs the bundled command line, dist-cli/cai-lab.mjs, building it
// first (vite.cli.config.ts, a few seconds) when it is missing or older than a source file, so
// `npx cai-lab` works right after `npm install` and after every edit under src/.
import { spawnSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist-cli', 'cai-lab.mjs');

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time under a folder (the sources the bundle is made from). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, mtime(path.join(entry.parentPath, entry.name)));
  }
  return latest;
}

const built = mtime(bundle);
const sources = Math.max(newest(path.join(root, 'src')), mtime(path.join(root, 'vite.cli.config.ts')), mtime(path.join(root, 'package-lock.json')));
if (built < sources) {
  // Built into a folder of this process's own, then renamed into place: shards started together
  // (a Slurm array on a shared disk) may all build at once, and none may see a half-written file.
  const scratch = path.join(root, 'dist-cli', `.build-${process.pid}`);
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--outDir', scratch], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`cai-lab: building the command line failed (npx vite build --config vite.cli.config.ts); run npm install first\n`);
    process.exit(1);
  }
  renameSync(path.join(scratch, 'cai-lab.mjs'), bundle);
  rmSync(scratch, { recursive: true, force: true });
}
await import(pathToFileURL(bundle).href);
