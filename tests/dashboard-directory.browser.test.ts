// Site type and area come from the site directory — the estate register a trust gives the server, or
// the simulated trust — and the grid filters by them, in Chromium against the real embedded pipeline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SiteSummary } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { buildEstate } from '@wardwatch/simulator';
import { axeViolations, describeViolations } from './helpers/axe.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { until } from './helpers/sse.ts';
import { startTestPipeline } from './helpers/pipeline.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ww-directory-'));
const estateFile = join(scratch, 'estate.yaml');
writeFileSync(
  estateFile,
  [
    'sites:',
    '  - { id: DIR01, trust: RDD, name: Royal Infirmary, type: Acute hospital, area: Northfield }',
    '  - { id: DIR02, trust: RDD, name: Elm House, type: Mental health unit, area: Northfield }',
    '  - { id: DIR03, trust: RDD, name: Brook Community Hospital, type: Community hospital, area: Westmoor }',
    '  - { id: DIR04, trust: RDD, name: Mill Lane Surgery, type: GP practice, area: Westmoor }',
    '  - { id: DIR05, trust: RDD, name: Hill Community Hospital, type: Community hospital, area: Northfield }',
    '  - { id: DIR06, trust: RDD, name: Unplaced Clinic }',
    '',
  ].join('\n'),
);

let registered: RunningPipeline;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  registered = await startTestPipeline({ demo: false, estateFile, dashboard: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await registered?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const cards = () => page.locator('ww-site-grid a.card').evaluateAll((all) => all.map((a) => a.getAttribute('data-site')).sort());

describe('the site directory: type and area', () => {
  it('the estate register names each site with its type and area, in the API and on the grid, before any telemetry', async () => {
    const sites = (await (await fetch(`${registered.url}/api/sites`)).json()) as SiteSummary[];
    expect(sites.map((s) => [s.id, s.name, s.type ?? null, s.area ?? null, s.status]).sort()).toEqual([
      ['DIR01', 'Royal Infirmary', 'Acute hospital', 'Northfield', 'unknown'],
      ['DIR02', 'Elm House', 'Mental health unit', 'Northfield', 'unknown'],
      ['DIR03', 'Brook Community Hospital', 'Community hospital', 'Westmoor', 'unknown'],
      ['DIR04', 'Mill Lane Surgery', 'GP practice', 'Westmoor', 'unknown'],
      ['DIR05', 'Hill Community Hospital', 'Community hospital', 'Northfield', 'unknown'],
      ['DIR06', 'Unplaced Clinic', null, null, 'unknown'],
    ]);
  });

  it('the grid filters by site type and by area, keeps both in the address, and groups by them', async () => {
    await page.goto(`${registered.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    expect(await cards()).toEqual(['DIR01', 'DIR02', 'DIR03', 'DIR04', 'DIR05', 'DIR06']);
    const grid = page.locator('ww-site-grid');
    // No "not recorded in the site directory" note: the register records both.
    expect(await grid.locator('.missing').count()).toBe(0);
    // Each list is named by its label alone (not the label and every option).
    await grid.getByRole('combobox', { name: 'Site type', exact: true }).selectOption('Community hospital');
    await until(async () => ((await cards()).length === 2 ? true : undefined), 10_000, 'the grid narrowed to community hospitals');
    expect(await cards()).toEqual(['DIR03', 'DIR05']);
    await grid.getByRole('combobox', { name: 'Area', exact: true }).selectOption('Northfield');
    await until(async () => ((await cards()).length === 1 ? true : undefined), 10_000, 'the grid narrowed to Northfield’s community hospitals');
    expect(await cards()).toEqual(['DIR05']);
    expect(new URL(page.url()).hash).toBe('#/?type=Community+hospital&area=Northfield');
    const axe = await axeViolations(page);
    expect(axe, describeViolations(axe)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}grid-filtered-by-type-and-area.png`, fullPage: true });

    // A link with the filter opens the grid narrowed the same way; grouping by area names each area.
    await page.goto('about:blank');
    await page.goto(`${registered.url}/#/?group=area`);
    await page.waitForSelector('ww-site-grid section[data-group]');
    const groups = await page.locator('ww-site-grid section[data-group]').evaluateAll((all) => all.map((s) => s.getAttribute('data-group')));
    expect(groups).toEqual(['Northfield', 'Westmoor', '']);
    await expect(page.locator('ww-site-grid section[data-group=""] h3').innerText()).resolves.toMatch(/^Area not recorded/);
  }, 60_000);

  it('the simulated trust’s sites carry their type and area', async () => {
    const demo = await startTestPipeline({ sites: 12 });
    try {
      const sites = (await (await fetch(`${demo.url}/api/sites`)).json()) as SiteSummary[];
      const expected = buildEstate({ seed: 7, sites: 12 }).sites.map((s) => [s.id, s.type, s.area]).sort();
      expect(sites.map((s) => [s.id, s.type, s.area]).sort()).toEqual(expected);
      expect(new Set(sites.map((s) => s.type)).size).toBeGreaterThan(3);
    } finally {
      await demo.stop();
    }
  });
});
