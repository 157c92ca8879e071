// Shared by the benchmarks: build bench/, serve it, and open it in headless Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const root = path.resolve(import.meta.dirname, '..');

/** Builds and serves the bench page (with `files` copied next to it); returns the page and a closer. */
export async function openBenchPage(files = [], { webgpu = false } = {}) {
  const chromiumBin = spawnSync('which', ['chromium']).stdout.toString().trim();
  if (!chromiumBin) throw new Error('chromium not found on PATH (apt-get install chromium)');
  const vite = path.join(root, 'node_modules/.bin/vite');
  const build = spawnSync(vite, ['build', '--config', 'vite.bench.config.ts'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  for (const file of files) copyFileSync(file, path.join(root, 'dist-bench', path.basename(file)));

  const port = 4300 + Math.floor(Math.random() * 1000);
  const server = spawn(vite, ['preview', '--config', 'vite.bench.config.ts', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBin,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server.kill();
  };
  return { page, close };
}
