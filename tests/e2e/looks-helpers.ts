// Helpers of the layout, accessibility and screenshot suite (looks.e2e.ts): the screens a user can
// reach, a page script that finds sideways scrolling and overlapping controls, and axe-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './harness';
import { openDataset, openDatasets } from './datasets-helpers';
import { openLibrary } from './library-helpers';

/** Where the e2e run leaves its screenshots (git-ignored; the README names it). */
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export const DATASET_NAME = 'Layout check dataset';

export interface Screen {
  name: string;
  /** Brings the page from any other screen to this one. */
  show(page: Page): Promise<void>;
}

async function makeTab(page: Page) {
  await page.click('[data-testid=tab-make]');
  await page.waitForSelector('[data-testid=recipe]');
}

function recipeScreen(id: string, then?: (page: Page) => Promise<void>): Screen {
  return {
    name: `make:${id}${then ? '+' : ''}`,
    async show(page) {
      await makeTab(page);
      await page.selectOption('[data-testid=recipe]', id);
      await then?.(page);
    },
  };
}

const RECIPES = ['critique-revision', 'preference', 'self-instruct', 'back-translate', 'judge-check', 'magpie', 'clair', 'rlcd'];

/**
 * The Server panel with two address rows and the error of a port where nothing listens (port 9,
 * "discard", is closed on these machines; nothing leaves 127.0.0.1). The connected panel, with its
 * facts, is checked in server.e2e.ts against a real llama-server.
 */
const serverPanelScreen: Screen = {
  name: 'make:server',
  async show(page) {
    await makeTab(page);
    if (!(await page.locator('[data-testid=server-url-1]').count())) await page.click('[data-testid=server-add]');
    await page.fill('[data-testid=server-url-0]', 'http://127.0.0.1:9');
    await page.fill('[data-testid=server-url-1]', 'http://127.0.0.1:9/v1');
    if (!(await page.locator('[data-testid=server-error]').count())) {
      await page.click('[data-testid=server-connect]');
      await page.waitForSelector('[data-testid=server-error]', { timeout: 30_000 });
    }
  },
};

/** Every tab and form: each recipe form (and their other modes), the library editors, a dataset. */
export const formScreens: Screen[] = [
  ...RECIPES.map((id) => recipeScreen(id)),
  recipeScreen('critique-revision', (p) => p.click('[data-testid=source-pasted]')),
  recipeScreen('preference', (p) => p.click('[data-testid=pair-source-revision]')),
  recipeScreen('preference', async (p) => {
    await p.click('[data-testid=pair-source-imported]');
    await p.click('[data-testid=check-judge-first]');
  }),
  serverPanelScreen,
  ...tabScreens(),
];

/** One screen per tab, as a reviewer would look at them; the dataset one with a dataset open. */
export function tabScreens(): Screen[] {
  return [
    { name: 'make', show: makeTab },
    {
      name: 'library-constitutions',
      async show(page) {
        await openLibrary(page, 'constitutions');
        await page.locator('[data-testid=constitution-item]').first().click();
        await page.waitForSelector('[data-testid=constitution-editor]');
      },
    },
    {
      name: 'library-prompts',
      async show(page) {
        await openLibrary(page, 'prompts');
        await page.locator('[data-testid=prompt-set-item]').first().click();
        await page.waitForSelector('[data-testid=prompt-set-editor]');
      },
    },
    {
      name: 'datasets',
      async show(page) {
        // The tab keeps a dataset open across tab switches: close it to see the list.
        await page.click('[data-testid=tab-datasets]');
        if (await page.isVisible('[data-testid=dataset-close]')) await page.click('[data-testid=dataset-close]');
        await openDatasets(page);
      },
    },
    {
      name: 'dataset-open',
      async show(page) {
        await page.click('[data-testid=tab-datasets]');
        if (!(await page.isVisible('[data-testid=dataset-view]'))) await openDataset(page, DATASET_NAME);
        await page.click('[data-testid=record-row] >> nth=0');
        await page.waitForSelector('[data-testid=record-detail]');
      },
    },
  ];
}

export interface LayoutProblems {
  /** How far the page scrolls sideways, in px (0 = it does not), and the widest elements. */
  sideways: number;
  widest: string[];
  overlaps: string[];
}

/**
 * Runs in the page. Controls are inputs, selects, buttons, textareas and labels that the user can
 * see: shown, larger than a pixel, and not clipped away by a scrolling ancestor. Two controls
 * overlap when their boxes share more than a pixel each way and neither contains the other.
 */
export function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const id = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
      return `${el.tagName.toLowerCase()}[${id}]`;
    };
    const visibleBox = (el: Element): DOMRect | null => {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return null;
      let r = el.getBoundingClientRect();
      for (let a = el.parentElement; a && r.width > 1 && r.height > 1; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible' && s.contain !== 'strict') continue;
        const c = a.getBoundingClientRect();
        const left = Math.max(r.left, c.left);
        const top = Math.max(r.top, c.top);
        r = new DOMRect(left, top, Math.min(r.right, c.right) - left, Math.min(r.bottom, c.bottom) - top);
      }
      return r.width > 1 && r.height > 1 ? r : null;
    };
    const root = document.scrollingElement ?? document.documentElement;
    const width = root.clientWidth;
    // The elements that stick out on the right with nothing inside them sticking out: the causes.
    const out = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility());
    const widest = out
      .filter((el) => !out.some((o) => o !== el && el.contains(o)))
      .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
      .slice(0, 4)
      .map((el) => `${describe(el)} right=${Math.round(el.getBoundingClientRect().right)}`);
    const boxes: { el: Element; r: DOMRect }[] = [];
    for (const el of document.querySelectorAll('input, select, button, textarea, label')) {
      const r = visibleBox(el);
      if (r) boxes.push({ el, r });
    }
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 1 && y > 1) overlaps.push(`${describe(a.el)} × ${describe(b.el)} (${Math.round(x)}×${Math.round(y)} px)`);
      }
    }
    return { sideways: Math.max(0, root.scrollWidth - width), widest, overlaps };
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: number;
  example: string;
}

/** axe-core's violations on the page as it is now (evaluated, so the page's CSP does not block it). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      example: `${JSON.stringify(v.nodes[0]?.target)} ${v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') ?? ''}`,
    }));
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // The whole page, but no taller than a few screens: a long constitution would make it a ribbon.
  const { width, height } = await page.evaluate(() => ({ width: window.innerWidth, height: document.documentElement.scrollHeight }));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 2400) } });
}
