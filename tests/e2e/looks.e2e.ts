// How every screen looks: at 390, 768, 1280 and 1920 px no tab scrolls sideways and no two visible
// controls overlap; axe-core finds no serious or critical problem on any tab in light or dark mode;
// screenshots of each tab at 390 and 1280 px, light and dark, go to test-results/screenshots/.
// One browser for the file, one page resized in turn: the state (a stored dataset) is made once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveForSuite, type Launched } from './harness';
import { openApp } from './app';
import { writeSyntheticDataset } from './datasets-helpers';
import { axeViolations, DATASET_NAME, formScreens, layoutProblems, screenshot, tabScreens } from './looks-helpers';

const server = serveForSuite();
let b: Launched;

beforeAll(async () => {
  // WebGPU on (SwiftShader): the GPU box then lists its models, as on a user's machine.
  b = await launchBrowser({ offline: true, webgpu: true });
  await openApp(b.page, server.url);
  await writeSyntheticDataset(b.page, 'layout-run', DATASET_NAME, 30);
});
afterAll(async () => {
  await b?.close();
});

describe('layout', () => {
  it('no screen scrolls sideways and no two controls overlap, at every width', async () => {
    const problems: string[] = [];
    for (const width of [390, 768, 1280, 1920]) {
      await b.page.setViewportSize({ width, height: 900 });
      for (const screen of formScreens) {
        await screen.show(b.page);
        const found = await layoutProblems(b.page);
        if (found.sideways) problems.push(`${width}px ${screen.name}: scrolls ${found.sideways} px sideways (${found.widest.join(', ')})`);
        for (const o of found.overlaps) problems.push(`${width}px ${screen.name}: ${o}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('colour schemes', () => {
  it('axe finds nothing serious or critical on any tab, light or dark; screenshots of each', async () => {
    const serious: string[] = [];
    const counts: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme: scheme });
      for (const width of [1280, 390]) {
        await b.page.setViewportSize({ width, height: 900 });
        for (const screen of tabScreens()) {
          await screen.show(b.page);
          await screenshot(b.page, `${screen.name}-${width}-${scheme}`);
          if (width !== 1280) continue;
          const violations = await axeViolations(b.page);
          counts.push(`${scheme} ${screen.name}: ${violations.map((v) => `${v.id}/${v.impact}×${v.nodes}`).join(' ') || 'none'}`);
          for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
            serious.push(`${scheme} ${screen.name}: ${v.id} (${v.impact}, ${v.nodes} nodes) e.g. ${v.example}`);
          }
        }
      }
    }
    console.log(`axe violations per tab and scheme:\n${counts.join('\n')}`);
    expect(serious).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
