// A heat-map tile's site code is never cut so that it reads as another site's, in Chromium: codes of
// five to eight characters drawn whole in every status, in the server's first frame, in the app's
// grid and on the wall at 1920×1080 (its tiles as large as the estate allows on one page); a longer
// code ends in an ellipsis. Before, at 68 px a bold
// "▲ RXX03" (the default demo's degraded site on the wall) lost its last digit, and "RXX100" showed
// as "RXX10", another site's code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createApp, createMetrics, listen, StatusBoard, type RunningServer, type SiteInfo } from '@wardwatch/server';
import { dashboardDistDir } from '@wardwatch/dashboard';
import { openStore, type RollupStore } from '@wardwatch/store';
import type { Health, ScopeStatus } from '@wardwatch/schema';
import { axeViolations, describeViolations } from './helpers/axe.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';

/** Codes that must be drawn whole: ODS site codes (RWWWH Warrington Hospital and RWEAA Leicester Royal Infirmary the widest kind), and longer numbered codes. */
const WHOLE = ['RXX03', 'RWWWH', 'RWEAA', 'RXX100', 'RXX1000', 'RXX10000'];
/** Too long for any tile: drawn smaller and ended with an ellipsis. */
const CUT = 'ACUTE-MAIN-BLOCK-EAST';
const STATUSES: Health[] = ['ok', 'degraded', 'down', 'unknown'];

let server: RunningServer;
let store: RollupStore;
let browser: Browser;
let directorySize = 0;

beforeAll(async () => {
  const now = Date.now();
  const directory = new Map<string, SiteInfo>();
  const statuses: ScopeStatus[] = [];
  const add = (id: string, status: Health) => {
    // Named as a trust names its sites, without the code in the name (the tile shows the code).
    directory.set(id, { name: `${['Ashby Vale', 'Riverside', 'St Bede’s'][directory.size % 3]} Hospital`, trust: 'RXX' });
    statuses.push({ key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status, reason: status === 'ok' ? '' : `${status} for the test`, figures: { appChecks: 60, p50Ms: 400, p95Ms: 900, p99Ms: 1500, availability: 0.999, logons: 0, logonP95Ms: null, wifiSignalDbm: null }, since: now - 3_600_000, asOf: now });
  };
  // Each code in each status (a letter after it keeps the ids apart and the length: RXX03 → RXX03, RXX0a…).
  STATUSES.forEach((status, s) => {
    for (const code of [...WHOLE, CUT]) add(s === 0 ? code : `${code.slice(0, -1)}${'abc'[s - 1]}`, status);
  });
  // A degraded site silent for 10 minutes, whose name's longest word is long: its card says "Stale · was Degraded".
  add('RXX77', 'degraded');
  directory.set('RXX77', { name: 'Riverside Community Hospital', trust: 'RXX' });
  statuses.at(-1)!.asOf = now - 10 * 60_000;
  // Enough OK sites besides for the grid to draw a heat map rather than cards.
  for (let i = 0; i < 60; i++) add(`Q${String(i).padStart(4, '0')}`, 'ok');
  directorySize = directory.size;
  const board = new StatusBoard(directory);
  board.applyAll(statuses);
  store = await openStore('sqlite::memory:');
  const app = createApp({ board, store, metrics: createMetrics(board, { defaultMetrics: false }), dashboardDir: dashboardDistDir, logError: () => {} });
  server = await listen(app, { port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

interface TileFit {
  site: string;
  status: string;
  /** The code's drawn width and the tile's content box, px. */
  text: number;
  box: number;
  overflow: string;
}

/** Every tile on the page (through shadow roots): its code's width against the room its box gives it. */
async function tileFits(page: Page): Promise<TileFit[]> {
  return page.evaluate(`(() => {
    const out = [];
    const walk = (root) => {
      for (const a of root.querySelectorAll('a.tile')) {
        const style = getComputedStyle(a);
        const range = document.createRange();
        range.selectNodeContents(a);
        out.push({ site: a.dataset.site, status: a.dataset.status, text: range.getBoundingClientRect().width, box: a.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), overflow: style.textOverflow });
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return out;
  })()`);
}

function expectCodesFit(fits: TileFit[]): void {
  const whole = fits.filter((f) => !f.site.startsWith(CUT.slice(0, -1)));
  const cut = fits.filter((f) => f.site.startsWith(CUT.slice(0, -1)));
  // Every code under test, in every status, is on the page.
  expect(whole.length).toBeGreaterThanOrEqual(WHOLE.length * STATUSES.length);
  expect(cut.map((f) => f.status).sort()).toEqual([...STATUSES].sort());
  for (const f of whole) expect(f.text, `${f.site} (${f.status}): ${f.text.toFixed(1)} px of code in ${f.box.toFixed(1)} px`).toBeLessThanOrEqual(f.box);
  for (const f of cut) {
    expect(f.text, `${f.site} is longer than its tile`).toBeGreaterThan(f.box);
    expect(f.overflow).toBe('ellipsis');
  }
}

describe('site codes on heat-map tiles', () => {
  it('the server’s first frame draws each code whole (JavaScript off: the frame as sent)', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('a.tile');
    expectCodesFit(await tileFits(page));
    await context.close();
  });

  it('the app’s grid draws each code whole', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('ww-site-grid a.tile', { timeout: 20_000 });
    expectCodesFit(await tileFits(page));
    await page.close();
  });

  it('a tile\'s name holds the code it shows (label in name, WCAG 2.5.3): axe finds nothing on the heat map or the wall', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    for (const route of ['#/', '#/wall']) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/${route}`);
      await page.waitForSelector(`${route === '#/' ? 'ww-site-grid' : 'ww-wall'} a.tile`, { timeout: 20_000 });
      const violations = await axeViolations(page);
      expect(violations, `${route}\n${describeViolations(violations)}`).toEqual([]);
    }
    await expect(page.locator('ww-wall a.tile[data-site="RXX03"]').getAttribute('aria-label')).resolves.toMatch(/^RXX03, \S.* Hospital — OK — /);
    await page.close();
  });

  it('a stale card\'s "Stale · was Degraded" wraps inside its card at 1920 px, rather than running past its edge', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/#/`);
    const card = page.locator('ww-site-grid a.card[data-site="RXX77"][data-stale]');
    await card.waitFor({ timeout: 20_000 });
    const [badge, box] = await card.evaluate((c) => [c.querySelector('ww-status-badge')!.getBoundingClientRect().right, c.getBoundingClientRect().right]);
    expect(badge).toBeLessThanOrEqual(box!);
    await page.close();
  });

  it('the wall draws each code whole at its larger size', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/#/wall`);
    await page.waitForSelector('ww-wall ul.tiles a.tile', { timeout: 20_000 });
    const fits = await tileFits(page);
    // The wall's tiles are larger than the grid's: what is checked is the wall's own.
    expect(Math.min(...fits.map((f) => f.box))).toBeGreaterThan(90);
    expectCodesFit(fits);
    // 84 sites fit one page of tiles larger than a thousand-site estate's (wall-tiles.ts), every
    // one whole inside the tile area…
    const estate = page.locator('ww-wall section.estate');
    expect(Number(await estate.getAttribute('data-scale'))).toBeGreaterThan(1);
    await expect(estate.locator('.pages').innerText()).resolves.toBe('Page 1 of 1');
    expect(fits).toHaveLength(directorySize);
    const area = (await estate.locator('.area').boundingBox())!;
    const boxes = await estate.locator('a.tile').evaluateAll((tiles) => tiles.map((t) => t.getBoundingClientRect()).map((r) => ({ right: r.right, bottom: r.bottom })));
    for (const box of boxes) {
      expect(box.right).toBeLessThanOrEqual(area.x + area.width + 0.5);
      expect(box.bottom).toBeLessThanOrEqual(area.y + area.height + 0.5);
    }
    // …and the tiles fill it: no band of empty screen right of the last column or under the last row
    // (within a pixel a column or row: tiles are whole pixels).
    expect(Math.max(...boxes.map((b) => b.right))).toBeGreaterThan(area.x + area.width - 16);
    expect(Math.max(...boxes.map((b) => b.bottom))).toBeGreaterThan(area.y + area.height - 16);
    await page.screenshot({ path: `${SCREENSHOTS}wall-84-sites.png` });
    await page.close();
  });
});
