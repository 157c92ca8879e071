// Screenshots of the new forms and run views (not part of the project; removed after use).
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const out = '/tmp/recipes-shots';
const model = '/work/shared/models/stories260K.gguf';
const port = 4900 + Math.floor(Math.random() * 50);
const server = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) { try { if ((await fetch(url)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function open(width, scheme) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await page.setInputFiles('[data-testid=gguf-file]', model);
  await page.waitForFunction(() => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes('stories'), null, { timeout: 60000 });
  return { ctx, page };
}
const mode = process.argv[2] ?? 'forms';
if (mode === 'forms') {
  for (const width of [390, 1280]) for (const scheme of ['light', 'dark']) {
    const { ctx, page } = await open(width, scheme);
    for (const recipe of ['magpie', 'clair', 'rlcd']) {
      await page.selectOption('[data-testid=recipe]', recipe);
      await page.waitForTimeout(300);
      await page.locator('section[aria-labelledby=run-h]').screenshot({ path: `${out}/form-${recipe}-${width}-${scheme}.png` });
    }
    await ctx.close();
  }
} else {
  for (const [width, scheme] of [[1280, 'light'], [390, 'dark']]) {
    const { ctx, page } = await open(width, scheme);
    const runs = [
      ['magpie', async () => { await page.fill('[data-testid=mp-samples]', '6'); await page.fill('[data-testid=mp-max-tokens]', '40'); await page.check('[data-testid=mp-stop-line]'); await page.check('[data-testid=mp-answer]'); await page.fill('[data-testid=mp-answer-max-tokens]', '20'); await page.click('[data-testid=start-magpie]'); }],
      ['clair', async () => { await page.fill('[data-testid=cl-count]', '2'); await page.fill('[data-testid=cl-max-tokens]', '24'); await page.click('[data-testid=start-clair]'); }],
      ['rlcd', async () => { await page.fill('[data-testid=rl-count]', '2'); await page.fill('[data-testid=rl-max-tokens]', '24'); await page.check('[data-testid=rl-judge]'); await page.click('[data-testid=start-rlcd]'); }],
    ];
    let n = 0;
    for (const [recipe, start] of runs) {
      await page.selectOption('[data-testid=recipe]', recipe);
      await start();
      n++;
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=run-row][data-status=done]').length >= k, n, { timeout: 120000 });
      await page.waitForTimeout(500);
      const first = page.locator('[data-testid=run-view] [data-testid=record]').first();
      if (await first.count()) await first.locator('summary').first().click();
      await page.locator('[data-testid=run-view]').screenshot({ path: `${out}/run-${recipe}-${width}-${scheme}.png` });
    }
    await ctx.close();
  }
}
await browser.close();
server.kill();
