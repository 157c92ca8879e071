// Servers the page cannot reach or cannot fully use, each with its own message: one that refuses
// this origin (a scripted one, and a real llama-server with --cors-origins), a port where nothing
// listens, the page's own CSP sent as a header, and scripted Ollama / LM Studio stand-ins for the
// hard-labels and silent-truncation warnings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireShared, serveForSuite, withBrowser } from './harness';
import { openApp } from './app';
import { screenshot } from './looks-helpers';
import { freePort } from '../support/llama-server';
import { connectServers, serverError, startCspFront, startNoCorsServer, startScriptedServer, withServers } from './server-helpers';

const model = requireShared('models/stories260K.gguf');
const app = serveForSuite();

describe('servers out of reach', () => {
  it('a server that refuses this origin gets its CORS advice; a port with nothing listening gets "nothing answers"', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, app.url);
      const refusing = await startNoCorsServer();
      try {
        expect(await connectServers(page, [refusing.url])).toBe('error');
        const text = await serverError(page);
        expect(text).toMatch(/is running but refuses requests from http:\/\/127\.0\.0\.1:\d+ \(CORS\)/);
        expect(text).toMatch(/--allowed-origins/);
        expect(text).toMatch(/OLLAMA_ORIGINS=http:\/\/127\.0\.0\.1:\d+/);
        expect(refusing.hits()).toBeGreaterThan(0);
      } finally {
        await refusing.stop();
      }
      // By keyboard alone: type the address and press Enter in the field.
      const nobody = `http://127.0.0.1:${await freePort()}`;
      await page.fill('[data-testid=server-url-0]', '');
      await page.focus('[data-testid=server-url-0]');
      await page.keyboard.type(nobody);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`[data-testid=server-error]:has-text("Nothing answers")`, { timeout: 60_000 });
      const text = await serverError(page);
      expect(text).toMatch(new RegExp(`Nothing answers at ${nobody.replaceAll('.', '\\.')}`));
      expect(text).not.toMatch(/CORS/);
      expect(await page.innerText('[data-testid=loaded-model]')).toMatch(/Loaded: none/);
    }),
  );

  it.skipIf(!model)('a llama-server started with --cors-origins for another site refuses the page, and the message says so', () =>
    withServers(model!, [{ slots: 1, args: ['--cors-origins', 'https://elsewhere.example'] }], ([llama]) =>
      withBrowser({ offline: true }, async ({ page }) => {
        await openApp(page, app.url);
        expect(await connectServers(page, [llama!.url])).toBe('error');
        expect(await serverError(page)).toMatch(/refuses requests from http:\/\/127\.0\.0\.1:\d+ \(CORS\)/);
      })),
  );
});

describe('what the page says about servers it cannot fully use', () => {
  it('Ollama (scripted): hard labels only, silent truncation, one request at a time; LM Studio (scripted): hard labels only', () =>
    withBrowser({ offline: true }, async ({ page }) => {
      await openApp(page, app.url);
      for (const kind of ['Ollama', 'LM Studio'] as const) {
        const fake = await startScriptedServer(kind);
        try {
          expect(await connectServers(page, [fake.url])).toBe('facts');
          expect(await page.innerText('[data-testid=fact-kind]')).toBe(kind);
          expect(await page.innerText('[data-testid=fact-logprobs]')).toBe('none (hard labels only)');
          expect(await page.innerText('[data-testid=fact-constrained]')).toBe('response_format');
          const warnings = await page.innerText('[data-testid=server-warnings]');
          expect(warnings).toMatch(/The judge can only give hard labels here/);
          if (kind === 'Ollama') {
            expect(await page.innerText('[data-testid=fact-context]')).toBe('4096 tokens');
            expect(warnings).toMatch(/Ollama silently truncates a conversation longer than its context \(num_ctx = 4096\)/);
            expect(warnings).toMatch(/OLLAMA_NUM_PARALLEL/);
          } else {
            expect(await page.innerText('[data-testid=fact-context]')).toBe('8192 tokens');
            expect(warnings).not.toMatch(/truncates/);
            await page.setViewportSize({ width: 390, height: 900 });
            for (const scheme of ['light', 'dark'] as const) {
              await page.emulateMedia({ colorScheme: scheme });
              await page.locator('[data-testid=server-facts]').scrollIntoViewIfNeeded();
              await screenshot(page, `server-warnings-390-${scheme}`);
            }
            // A model id the server does not list is named (it may still serve it, e.g. an alias).
            expect(await connectServers(page, [fake.url], '', 'no-such-model')).toBe('facts');
            expect(await page.innerText('[data-testid=server-warnings]')).toMatch(/does not list the model no-such-model/);
          }
        } finally {
          await fake.stop();
        }
      }
    }),
  );
});

/** The policy of dist/index.html's CSP <meta>, as a host would send it in a header. */
function builtPolicy(): string {
  const html = readFileSync(path.join(repoRoot, 'dist', 'index.html'), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html);
  if (!m) throw new Error('dist/index.html has no CSP <meta>');
  return m[1]!.replaceAll('&#39;', "'");
}

describe.skipIf(!model)('the CSP sent as a header', () => {
  it('without the server in connect-src the page names the policy; with the README\'s addition it connects', () =>
    withServers(model!, [{ slots: 1 }], ([llama]) =>
      // Service workers blocked: the page and its worker come from the front, with its header, every time.
      withBrowser({ offline: true, serviceWorkers: 'block' }, async ({ page }) => {
        let policy = builtPolicy();
        const front = await startCspFront(app.url, () => policy);
        try {
          await openApp(page, front.url);
          expect(await connectServers(page, [llama!.url])).toBe('error');
          expect(await serverError(page)).toMatch(new RegExp(`Content-Security-Policy.*does not allow connecting to ${llama!.url.replaceAll('.', '\\.')}`));

          policy = policy.replace(/connect-src ([^;]+)/, 'connect-src $1 http://127.0.0.1:* http://localhost:*');
          await openApp(page, front.url);
          expect(await connectServers(page, [llama!.url])).toBe('facts');
        } finally {
          await front.stop();
        }
      })),
  );
});
