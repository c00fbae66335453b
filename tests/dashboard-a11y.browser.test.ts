// Accessibility of the dashboard in Chromium, on every page and in every state a site can be in (OK,
// degraded, down, unknown, stale, and the whole page offline): axe-core finds no violation (WCAG 2.2
// A/AA and best practices; any new one fails the test); a skip link; focus moved to the new page's
// heading with the title updated; focus rings at 3:1 or more; a keyboard-only path from the grid to a
// degraded site; statuses told apart by shape, pattern and word, not hue alone; and screenshots under
// emulated colour-vision deficiencies (DevTools protocol) kept in test-output/ for review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { axeViolations, describeViolations } from './helpers/axe.ts';
import { siteId, startEstateServer, type EstateServer } from './helpers/estate-server.ts';
import { until } from './helpers/sse.ts';

let small: EstateServer;
let large: EstateServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // 30 sites: cards in every state (S0000 down, S0001 degraded, S0007 unknown, S0009 paging, S0011 silent).
  small = await startEstateServer({ sites: 30 });
  large = await startEstateServer({ sites: 1000 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await small?.stop();
  await large?.stop();
});

/** A fresh load (a hash-only goto would keep the last page's focus). */
async function open(url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
}

async function expectNoViolations(what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** The focused element, through shadow roots: its tag, text, attributes. */
const focused = () =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    const style = getComputedStyle(el);
    return { tag: el.tagName.toLowerCase(), text: (el.textContent ?? '').trim().replace(/\s+/g, ' '), site: el.getAttribute('data-site'), status: el.getAttribute('data-status'), outline: style.outlineColor, outlineWidth: style.outlineWidth, outlineStyle: style.outlineStyle };
  });

function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

describe('dashboard accessibility in Chromium', () => {
  it('axe finds no violation on any page, in any site state', async () => {
    const pages: Array<[string, string, string]> = [
      ['grid of cards', `${small.url}/#/`, 'ww-site-grid a.card'],
      ['grid filtered to degraded', `${small.url}/#/?status=degraded`, 'ww-site-grid a.card'],
      ['wall', `${small.url}/#/wall`, 'ww-wall a.tile'],
      // Its uptime strip holds OK, degraded, down and empty hours (tests/helpers/estate-server.ts).
      ['site OK, with its uptime history', `${small.url}/#/sites/${siteId(5)}`, 'ww-site-page ww-uptime-strip ol.strip li[data-status="down"]'],
      ['site degraded', `${small.url}/#/sites/${siteId(1)}`, 'ww-site-page h2'],
      ['site down', `${small.url}/#/sites/${siteId(0)}`, 'ww-site-page h2'],
      ['site unknown', `${small.url}/#/sites/${siteId(7)}`, 'ww-site-page h2'],
      ['site paging', `${small.url}/#/sites/${siteId(9)}`, 'ww-site-page h2'],
      ['site stale', `${small.url}/#/sites/${siteId(11)}`, 'ww-site-page h2'],
      ['alerts', `${small.url}/#/alerts`, 'ww-alerts h2'],
      ['SLOs', `${small.url}/#/slos`, 'ww-slos h2'],
      // A device with a fault of its own and four on a failing access point (degradedWard).
      ['degraded devices', `${small.url}/#/devices`, 'ww-device-groups section.shared'],
      ['a page not found', `${small.url}/#/site/${siteId(1)}`, 'ww-app p.not-found'],
      ['1,000-site heat map', `${large.url}/#/`, 'ww-site-grid a.tile'],
      ['1,000-site wall', `${large.url}/#/wall`, 'ww-wall a.tile'],
    ];
    for (const [what, url, ready] of pages) {
      await open(url);
      await page.waitForSelector(ready, { timeout: 15_000 }).catch((error: Error) => {
        throw new Error(`${what}: ${error.message}`);
      });
      await page.waitForTimeout(300);
      await expectNoViolations(what);
    }
    // A group of devices unfolded: its table is checked too.
    await open(`${small.url}/#/devices`);
    await page.locator('ww-device-groups section.shared summary').first().click();
    await page.waitForSelector('ww-device-groups section.shared details[open] tbody tr');
    await expectNoViolations('degraded devices, a shared cause unfolded');
    // Every state is on the small grid: the cards say so.
    await page.goto(`${small.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    const states = await page.locator('ww-site-grid a.card').evaluateAll((cards) => cards.map((c) => (c.hasAttribute('data-stale') ? 'stale' : c.getAttribute('data-status'))));
    expect(new Set(states)).toEqual(new Set(['ok', 'degraded', 'down', 'unknown', 'stale']));
  }, 180_000);

  it('reflow: at 320 px wide (a phone, or 1280 px zoomed to 400 %) no page but the wall scrolls sideways; the header wraps with its live state in view', async () => {
    const phone = await browser.newPage({ viewport: { width: 320, height: 640 } });
    // WCAG 2.2's reflow (1.4.10): wide tables may scroll inside themselves, the page may not. The wall
    // is for the service desk's wall screen (1920×1080) and is left out.
    const pages: Array<[string, string]> = [
      ['grid', '#/'],
      ['site degraded, with its wards, access points and devices', `#/sites/${siteId(1)}`],
      ['site with its charts', `#/sites/${small.charted}`],
      ['a ward', `#/scopes/${encodeURIComponent(`ward:${siteId(1)}/W01`)}`],
      ['degraded devices', '#/devices'],
      ['alerts', '#/alerts'],
      ['SLOs', '#/slos'],
      ['evidence', '#/evidence'],
    ];
    for (const [what, hash] of pages) {
      await phone.goto('about:blank');
      await phone.goto(`${small.url}/${hash}`);
      await phone.waitForSelector('ww-app main h2', { timeout: 15_000 });
      await phone.waitForTimeout(1000);
      const width = await phone.evaluate('document.documentElement.scrollWidth');
      expect(width, `${what}: the page's width at 320 px`).toBeLessThanOrEqual(320);
      const live = await phone.locator('ww-app header .live').boundingBox();
      expect(live!.x + live!.width, `${what}: the live state's right edge`).toBeLessThanOrEqual(320);
    }
    await phone.screenshot({ path: `${SCREENSHOTS}reflow-320-evidence.png`, fullPage: true });
    await phone.goto(`${small.url}/#/`);
    await phone.waitForSelector('ww-site-grid a.card');
    await phone.screenshot({ path: `${SCREENSHOTS}reflow-320-grid.png` });
    await phone.close();
  }, 120_000);

  it('a skip link, focus to the new page’s heading with the title updated, focus rings at 3:1 or more', async () => {
    await open(`${small.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toMatchObject({ tag: 'button', text: 'Skip to content' });
    await page.keyboard.press('Enter');
    await expect(focused()).resolves.toMatchObject({ tag: 'main' });

    await page.locator('ww-app nav a', { hasText: 'Alerts' }).click();
    await until(async () => ((await focused())?.tag === 'h2' ? true : undefined), 10_000, 'focus on the alerts heading');
    await expect(focused()).resolves.toMatchObject({ tag: 'h2', text: 'Alerts' });
    expect(await page.title()).toBe('Alerts — wardwatch');
    await page.locator('ww-app nav a', { hasText: 'SLOs' }).click();
    await until(async () => ((await focused())?.tag === 'h2' ? true : undefined), 10_000, 'focus on the SLO heading');
    expect(await page.title()).toMatch(/ — wardwatch$/);
    expect(await page.title()).not.toBe('Alerts — wardwatch');
    // An address that names no page says so, focused and titled like any page (not the grid).
    await page.evaluate(`location.hash = '#/site/${siteId(1)}'`);
    await until(async () => ((await focused())?.text === 'Page not found' ? true : undefined), 10_000, 'focus on the not-found heading');
    expect(await page.title()).toBe('Page not found — wardwatch');
    await expect(page.locator('ww-app p.not-found').innerText()).resolves.toContain(`There is no page at #/site/${siteId(1)}.`);

    // Focus rings: 3 px, at 3:1 or more against the white cards and the page's background.
    await open(`${small.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    let ring = (await focused())!;
    for (let i = 0; i < 80 && ring?.status !== 'ok'; i++) {
      await page.keyboard.press('Tab');
      ring = (await focused())!;
    }
    expect(ring.outlineStyle).toBe('solid');
    expect(ring.outlineWidth).toBe('3px');
    expect(contrast(ring.outline, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3);
    expect(contrast(ring.outline, 'rgb(244, 246, 248)')).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('keyboard only: from the grid to a degraded site’s page', async () => {
    await open(`${small.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    let target: Awaited<ReturnType<typeof focused>> = null;
    for (let i = 0; i < 80 && !target; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if (f?.tag === 'a' && f.status === 'degraded') target = f;
    }
    expect(target, 'a degraded site reached with Tab').not.toBeNull();
    await page.keyboard.press('Enter');
    await until(async () => ((await focused())?.tag === 'h2' ? true : undefined), 10_000, 'focus on the site heading');
    expect(page.url()).toContain(`#/sites/${target!.site}`);
    const heading = (await focused())!;
    expect(heading.text).toBe(`Site ${target!.site} ${['North', 'South', 'East', 'West', 'Central'][Number(target!.site!.slice(1)) % 5]}`);
    expect(await page.title()).toBe(`${heading.text} — wardwatch`);
  }, 60_000);

  it('statuses differ by shape, pattern and word, not hue alone; screenshots under emulated colour-vision deficiencies', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${large.url}/#/`);
    await page.waitForSelector('ww-site-grid a.tile');
    const styles = await page.evaluate(() => {
      const grid = document.querySelector('ww-app')!.shadowRoot!.querySelector('ww-site-grid')!.shadowRoot!;
      const out: Record<string, { glyph: string; border: string; background: string; weight: string }> = {};
      for (const status of ['ok', 'degraded', 'down', 'unknown']) {
        const tile = grid.querySelector(`a.tile[data-status="${status}"]:not([data-stale]):not([data-paging])`) as HTMLElement;
        const s = getComputedStyle(tile);
        // The glyph is the first character of the tile's text (its accessible name is its label).
        out[status] = { glyph: tile.textContent!.trim()[0]!, border: `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderLeftStyle} ${s.borderLeftWidth}`, background: s.backgroundImage !== 'none' ? 'pattern' : s.backgroundColor, weight: s.fontWeight };
      }
      const stale = grid.querySelector('a.tile[data-stale]') as HTMLElement;
      out.stale = { glyph: stale.textContent!.trim()[0]!, border: `${getComputedStyle(stale).borderTopStyle}`, background: getComputedStyle(stale).backgroundColor, weight: '' };
      return out;
    });
    // Each status has its own glyph and its own border or fill, so greyscale and every colour-vision
    // type still tell them apart (the word is in each tile's accessible name and title).
    expect(new Set(Object.values(styles).map((s) => s.glyph)).size).toBe(5);
    for (const s of Object.values(styles)) expect(s.glyph).toMatch(/^[✓▲✕?○]$/);
    expect(styles.degraded!.background).toBe('pattern');
    expect(styles.unknown!.border).toMatch(/^dotted/);
    expect(styles.stale!.border).toBe('dashed');
    expect(new Set(Object.values(styles).map((s) => `${s.border}|${s.background}`)).size).toBe(5);

    const cdp = await page.context().newCDPSession(page);
    for (const type of ['achromatopsia', 'protanopia', 'deuteranopia', 'tritanopia'] as const) {
      await cdp.send('Emulation.setEmulatedVisionDeficiency', { type });
      await page.screenshot({ path: `${SCREENSHOTS}vision-${type}-grid.png` });
      await page.goto(`${large.url}/#/wall`);
      await page.waitForSelector('ww-wall a.tile');
      await page.screenshot({ path: `${SCREENSHOTS}vision-${type}-wall.png` });
      await page.goto(`${large.url}/#/`);
      await page.waitForSelector('ww-site-grid a.tile');
    }
    await cdp.send('Emulation.setEmulatedVisionDeficiency', { type: 'none' });
  }, 120_000);

  it('offline: with the server stopped, the greyed page still has no violation', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${small.url}/#/`);
    await page.waitForSelector('ww-site-grid a.card');
    await until(async () => ((await page.locator('ww-app .live[data-connected]').count()) > 0 ? true : undefined), 10_000, 'the stream connected');
    await small.stop();
    await page.locator('ww-app [data-stale-banner]').waitFor({ timeout: 20_000 });
    await until(async () => ((await page.locator('ww-site-grid a.card:not([data-stale])').count()) === 0 ? true : undefined), 5_000, 'every card greyed');
    await expectNoViolations('offline grid');
    await page.screenshot({ path: `${SCREENSHOTS}grid-offline.png`, fullPage: true });
    // The wall, offline: its counts greyed with its tiles (they are of figures no longer current), and still no violation.
    await page.evaluate(`location.hash = '#/wall'`);
    await page.locator('ww-wall[data-stale]').waitFor({ timeout: 10_000 });
    const colours = await page.locator('ww-wall .counts .n').evaluateAll((ns) => [...new Set(ns.map((n) => getComputedStyle(n).color))]);
    expect(colours).toEqual(['rgb(80, 90, 100)']);
    await expectNoViolations('offline wall');
  }, 60_000);
});
