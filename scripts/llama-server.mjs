// Builds a real llama.cpp `llama-server` for the endpoint tests, from what npm and Debian provide,
// into a cache folder outside the repository, and prints the binary's path. Later runs reuse it.
//
// The `node-llama-cpp` package carries llama.cpp's source as a git bundle and its
// `@node-llama-cpp/linux-x64` companion carries the prebuilt llama/ggml libraries; we compile only
// the server's own objects (~70 steps) and link them against those libraries. Needs cmake, ninja
// and g++ (Debian: cmake ninja-build g++ git; `.ci/run` installs them).
//
// Usage: node scripts/llama-server.mjs        (prints the binary path; exit 1 with a reason)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The node-llama-cpp release whose bundled llama.cpp we build. */
export const LLAMA_PACKAGE_VERSION = '3.22.1';

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'cai-lab', 'llama-server', LLAMA_PACKAGE_VERSION);
}

export function binaryPath() {
  return path.join(cacheDir(), 'bin', 'llama-server');
}

function sh(cmd, args, cwd, quiet = true) {
  execFileSync(cmd, args, { cwd, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
}

function capture(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The two npm packages, without their optional GPU builds, in a folder of their own. */
function installPackages(work) {
  const pkgDir = path.join(work, 'npm');
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(path.join(pkgDir, 'package.json'), '{"private":true}\n');
  sh('npm', [
    'install', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save',
    `node-llama-cpp@${LLAMA_PACKAGE_VERSION}`, `@node-llama-cpp/linux-x64@${LLAMA_PACKAGE_VERSION}`,
  ], pkgDir);
  const mods = path.join(pkgDir, 'node_modules');
  const binsRoot = path.join(mods, '@node-llama-cpp', 'linux-x64', 'bins');
  const libs = path.join(binsRoot, readdirSync(binsRoot)[0]);
  return { bundle: path.join(mods, 'node-llama-cpp', 'llama', 'gitRelease.bundle'), libs };
}

const CMAKE_FLAGS = [
  '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
  // -O1: the server's own code is not the hot path (the prebuilt libraries are); halves the compile.
  '-DCMAKE_CXX_FLAGS_RELEASE=-O1', '-DCMAKE_C_FLAGS_RELEASE=-O1',
  '-DLLAMA_BUILD_SERVER=ON', '-DLLAMA_USE_PREBUILT_UI=OFF', '-DLLAMA_BUILD_UI=OFF',
  '-DLLAMA_OPENSSL=OFF', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DGGML_NATIVE=OFF',
];

/** Object files of the server and the small parts only it uses; the rest comes prebuilt. */
const SERVER_OBJECTS =
  /^(tools\/server|tools\/mtmd\/CMakeFiles\/mtmd\.dir|tools\/ui|vendor|common\/CMakeFiles\/llama-common-base\.dir)\/.*\.o$/;

function compileServer(work, bundle, libs, out) {
  const src = path.join(work, 'src');
  sh('git', ['clone', '--quiet', bundle, src], work);
  const build = path.join(src, 'build');
  sh('cmake', ['-S', src, '-B', build, ...CMAKE_FLAGS], work);
  const objects = capture('ninja', ['-t', 'targets', 'all'], build)
    .split('\n').map((l) => l.split(':')[0]).filter((t) => SERVER_OBJECTS.test(t));
  const jobs = process.env.LLAMA_BUILD_JOBS || '2';
  sh('ninja', ['-j', jobs, ...objects], build, false);
  mkdirSync(path.join(out, 'bin'), { recursive: true });
  const so = readdirSync(libs).filter((f) => f.endsWith('.so'));
  for (const f of so) cpSync(path.join(libs, f), path.join(out, 'bin', f));
  sh('g++', [
    '-O1', ...objects.map((o) => path.join(build, o)), '-o', path.join(out, 'bin', 'llama-server'),
    '-L', path.join(out, 'bin'), '-l:libllama-common.so', `-l:libllama.${libVersion(so)}.so`,
    `-l:libggml.${libVersion(so)}.so`, '-l:libggml-base.so', '-lpthread', "-Wl,-rpath,$ORIGIN",
  ], build);
}

/** The release tag in the prebuilt library names (libllama.v0.5.0.so → v0.5.0). */
function libVersion(names) {
  const m = names.map((n) => /^libllama\.(v[\d.]+)\.so$/.exec(n)).find(Boolean);
  if (!m) throw new Error(`no libllama.v*.so among the prebuilt libraries (${names.join(', ')})`);
  return m[1];
}

/** Builds into a scratch folder and renames it into place, so a half-built cache never counts. */
export function ensureLlamaServer() {
  const bin = binaryPath();
  if (existsSync(bin)) return bin;
  const dir = cacheDir();
  const work = `${dir}.work-${process.pid}`;
  const out = `${dir}.out-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = Date.now();
  try {
    const { bundle, libs } = installPackages(work);
    compileServer(work, bundle, libs, out);
    if (!existsSync(bin)) renameSync(out, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  console.error(`llama-server built in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(ensureLlamaServer());
  } catch (e) {
    console.error(`could not build llama-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
