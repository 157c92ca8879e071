// The Content-Security-Policy of the built page: what it says, that the app runs under it without a
// single violation, and that script injected into the page does not run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireShared, serveForSuite, withBrowser } from './harness';
import { loadGgufFromDisk, openApp, runCritique } from './app';

const server = serveForSuite();

const builtHtml = () => readFileSync(path.join(repoRoot, 'dist', 'index.html'), 'utf8');

/** The policy in dist/index.html's <meta http-equiv="Content-Security-Policy">. */
function builtPolicy(): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(builtHtml());
  if (!m) throw new Error('dist/index.html has no CSP <meta>');
  return m[1]!.replaceAll('&#39;', "'");
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name!.toLowerCase(), values];
    }),
  );
}

/** CSP host-source matching for https URLs (enough for the sources this policy uses). */
function allowedBy(sources: string[], url: string): boolean {
  const u = new URL(url);
  return sources.some((s) => {
    const m = /^https:\/\/(\*\.)?([^/:]+)$/.exec(s);
    if (!m || u.protocol !== 'https:') return false;
    return m[1] ? u.hostname.endsWith(`.${m[2]}`) : u.hostname === m[2];
  });
}

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** Records every `securitypolicyviolation` of every page in window.__cspViolations, from the first script on. */
async function recordViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: unknown[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);

/** Two prompts, one round, short replies: the tiny model's context is small. */
async function runTwoPrompts(page: Page): Promise<void> {
  await runCritique(page, { prompts: 2, maxTokens: 48, timeout: 60_000 });
  expect(await page.locator('[data-testid=run-count]').innerText()).toBe('2 / 2');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-sft]')]);
  expect(readFileSync((await download.path())!, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
}

describe('the built page’s policy', () => {
  it('is a <meta> ahead of every script and stylesheet, and allows only what the page needs', async () => {
    const html = builtHtml();
    const metaAt = html.search(/<meta http-equiv="Content-Security-Policy"/i);
    expect(metaAt).toBeGreaterThan(0);
    expect(metaAt).toBeLessThan(html.search(/<script|<link rel="(stylesheet|modulepreload|manifest)"/i));
    // No inline script and no inline event handler in the page itself.
    expect([...html.matchAll(/<script\b[^>]*>/gi)].every((m) => /\bsrc=/.test(m[0]))).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);

    const d = directives(builtPolicy());
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    for (const values of d.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain('*');
      expect(values).not.toContain('https:');
      expect(values).not.toContain('data:');
    }

    // Every model and model library in WebLLM's catalogue, and the default GGUF host, are reachable.
    const connect = d.get('connect-src')!;
    expect(connect[0]).toBe("'self'");
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const urls = prebuiltAppConfig.model_list.flatMap((r) => [r.model, r.model_lib]);
    urls.push('https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf', 'https://cdn-lfs-us-1.hf.co/x', 'https://cas-bridge.xethub.hf.co/x');
    expect(urls.filter((u) => !allowedBy(connect.slice(1), u))).toEqual([]);
    expect(allowedBy(connect.slice(1), 'https://example.com/model.gguf')).toBe(false);
  });

  it('is in force in the browser: injected script, inline handlers, javascript: URLs and eval do not run', () =>
    withBrowser({ offline: true }, async ({ page, context }) => {
      await recordViolations(context);
      await openApp(page, server.url);
      const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
      expect(csp).toBe(builtPolicy());

      const outcome = await page.evaluate(async () => {
        const w = window as unknown as Record<string, unknown>;
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = 1';
        document.body.append(s);
        const div = document.createElement('div');
        div.setAttribute('onclick', 'window.__pwnedHandler = 1');
        document.body.append(div);
        div.click();
        const a = document.createElement('a');
        a.href = 'javascript:window.__pwnedLink = 1';
        document.body.append(a);
        a.click();
        // A string timer is eval: refused. (Not `new Function` here: DevTools' evaluate is exempt.)
        setTimeout('window.__pwnedEval = 1', 0);
        const foreign = await fetch('https://example.com/').then(() => 'reached', (e: Error) => e.name);
        await new Promise((r) => setTimeout(r, 200));
        return { pwned: [w.__pwned, w.__pwnedHandler, w.__pwnedLink, w.__pwnedEval], foreign };
      });
      expect(outcome).toEqual({ pwned: [undefined, undefined, undefined, undefined], foreign: 'TypeError' });
      const seen = (await violations(page)).map((v) => v.directive);
      expect(seen).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr', 'script-src', 'connect-src']));
    }));
});

const model = requireShared('models/stories260K.gguf');

describe.skipIf(!model)('the app under its policy', () => {
  it('loads and runs the CPU model end to end with no violation and no console error', () =>
    withBrowser({ offline: true }, async ({ page, context, consoleErrors }) => {
      await recordViolations(context);
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await runTwoPrompts(page);
      // A reload (service worker in control, model from the cache) stays clean too.
      await page.reload();
      await page.waitForSelector('[data-testid=app][data-ready=true]');
      await page.locator('[data-testid=cached-models] li', { hasText: 'stories260K.gguf' }).getByRole('button', { name: 'Load' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=loaded-model]')?.textContent?.includes('stories260K.gguf'), null, { timeout: 30_000 });
      expect(await violations(page)).toEqual([]);
      expect(consoleErrors).toEqual([]);
    }));

  it('sent as an HTTP header as well, the same policy also holds in the workers and the engine runs', () =>
    // Service workers blocked, so every response (the worker scripts' included) passes the route below.
    withBrowser({ offline: true, serviceWorkers: 'block' }, async ({ page, context, consoleErrors }) => {
      const policy = builtPolicy();
      await context.route(`${server.url}/**`, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
      });
      await recordViolations(context);
      // A worker's violations fire on the worker (and Chromium does not pass them to the page's console):
      // record them there from the moment each worker (the pipeline, wllama's llama.cpp worker) starts.
      page.on('worker', (w) => {
        void w.evaluate(() => {
          const g = self as unknown as { __cspViolations: unknown[] };
          g.__cspViolations = [];
          self.addEventListener('securitypolicyviolation', (e) => g.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
        }).catch(() => {});
      });
      const workerViolations = () =>
        Promise.all(page.workers().map((w) =>
          // A worker that ended between listing and asking has nothing more to report.
          w.evaluate(() => (self as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? []).catch(() => [] as Violation[]),
        ));
      await openApp(page, server.url);
      await loadGgufFromDisk(page, model!, 'stories260K.gguf');
      await runTwoPrompts(page);
      expect(await violations(page)).toEqual([]);
      expect((await workerViolations()).flat()).toEqual([]);
      expect(consoleErrors).toEqual([]);

      // The pipeline worker really is under the policy: a string timer (eval) is refused there.
      const worker = page.workers().find((w) => /pipeline\.worker/.test(w.url()));
      expect(worker).toBeDefined();
      await worker!.evaluate(() => {
        setTimeout('self.__evaluated = 1', 0);
      });
      // The refusal is reported as an event: wait for it rather than for a fixed time.
      await expect.poll(async () => (await workerViolations()).flat().map((v) => v.directive), { timeout: 20_000 }).toEqual(['script-src']);
      expect(await worker!.evaluate(() => (self as unknown as { __evaluated?: number }).__evaluated)).toBeUndefined();
    }));
});
