// `npm test`: unit tests, production build, e2e tests in Chromium; then one summary line.
// CI reads a closing line `N passed, N failed` (it does not parse vitest's own summary),
// so we compute it from vitest's JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'cai-test-'));
const env = { ...process.env, NO_COLOR: '1' };

let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args) {
  console.log(`\n$ ${path.basename(cmd)} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.error) console.error(r.error.message);
  return r.status ?? 1;
}

function vitest(name, config) {
  const json = path.join(tmp, `${name}.json`);
  const code = run(bin('vitest'), [
    'run', '--config', config,
    '--reporter=default', '--reporter=json', `--outputFile.json=${json}`,
  ]);
  let report = null;
  try {
    report = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    /* vitest crashed before writing its report */
  }
  const f = report?.numFailedTests ?? 0;
  passed += report?.numPassedTests ?? 0;
  failed += f;
  skipped += (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  // A non-zero exit with no failed test means a suite failed to load or vitest crashed: count it.
  if (code !== 0 && f === 0) {
    const n = Math.max(1, report?.numFailedTestSuites ?? 0);
    console.error(`${name}: vitest exited with ${code} (${n} suite/step failure(s) counted)`);
    failed += n;
  }
}

// Same lookup as tests/e2e/harness.ts (which node cannot import: it is TypeScript).
function hasChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) =>
    ['chromium', 'chromium-browser'].some((n) => {
      try {
        return statSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    }),
  );
}

// The endpoint tests need a real llama-server: built once into a cache outside the repo (minutes the
// first time). A failed build is passed on, so those tests fail with its reason instead of skipping.
{
  console.log('\n$ node scripts/llama-server.mjs');
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'llama-server.mjs')], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status === 0) env.LLAMA_SERVER_BIN = built.stdout.trim();
  else env.LLAMA_SERVER_ERROR = `scripts/llama-server.mjs exited with ${built.status ?? built.error?.message}`;
}

vitest('unit', 'vitest.config.ts');

if (run(bin('vite'), ['build']) !== 0) {
  console.error('\nvite build failed: e2e tests not run (counted as 1 failure)');
  failed += 1;
} else if (!hasChromium()) {
  console.error(
    '\nChromium not found on PATH: e2e tests not run (counted as 1 failure).\n' +
      'Install it (Debian/Ubuntu: `apt-get install chromium`) or set CHROMIUM_PATH.',
  );
  failed += 1;
} else {
  vitest('e2e', 'vitest.e2e.config.ts');
}

rmSync(tmp, { recursive: true, force: true });
console.log(`\n${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
