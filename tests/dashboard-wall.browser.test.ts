// The dashboard at the scale of a large service desk, in Chromium at 1920×1080: 1,000 sites from the
// real server (a StatusBoard fed 1,000 statuses, the SLO evaluator run over stored rollups) on the
// wall view and the grid; the status filter narrowing to degraded sites; OK sites whose logon SLO
// pages shown degraded with the SLO named; silent sites greyed; and, once the server stops, every
// figure greyed under a banner that says since when and why. Screenshots go to test-output/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './helpers/axe.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { siteId, startEstateServer, type EstateServer } from './helpers/estate-server.ts';
import { openSse, until } from './helpers/sse.ts';

let estate: EstateServer;
let browser: Browser;
let page: Page;

const count = (status: string) => [...estate.expected.values()].filter((s) => s === status).length;

beforeAll(async () => {
  estate = await startEstateServer({ sites: 1000 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
});

afterAll(async () => {
  await browser?.close();
  await estate?.stop();
});

describe('1,000 sites in Chromium at 1920×1080', () => {
  it('wall view: the summary, the worst-first list, a page of tiles, the clock and the data age, all on one screen', async () => {
    await page.goto(`${estate.url}/#/wall`);
    await page.waitForSelector('ww-wall ul.tiles a.tile', { timeout: 20_000 });
    const wall = page.locator('ww-wall');
    await expect(wall.locator('.counts [data-status="down"] .n').innerText()).resolves.toBe(String(count('down')));
    await expect(wall.locator('.counts [data-status="degraded"] .n').innerText()).resolves.toBe(String(count('degraded')));
    await expect(wall.locator('.counts [data-status="ok"] .n').innerText()).resolves.toBe(String(count('ok')));
    await expect(wall.locator('.clock').innerText()).resolves.toMatch(/^\d\d:\d\d:\d\d$/);
    await expect(wall.locator('.age').innerText()).resolves.toMatch(/^Data as of \d\d:\d\d:\d\d · \d+ s old$/);
    // Worst first: down sites lead the list.
    const worst = wall.locator('ol.worst a');
    expect(await worst.count()).toBeGreaterThan(0);
    await expect(worst.first().getAttribute('data-status')).resolves.toBe('down');
    // Each reason's findings on the line, whole (not cut at its evidence), and the whole reason for a
    // screen reader (wall-reason.ts).
    await expect(worst.first().locator('.why').innerText()).resolves.toBe('no application check succeeded');
    await expect(worst.first().locator('.sr').textContent()).resolves.toBe('no application check succeeded (15 min, 40 checks)');
    await expect(worst.first().locator('.line').evaluate((el) => el.scrollHeight <= el.clientHeight)).resolves.toBe(true);
    // The sites the list shows whole and its "and N more" add up to its count: none cut off at the
    // screen's edge untold (twelve were drawn, seven seen, and "more" counted from twelve).
    const listed = Number(/\((\d+)\)/.exec(await wall.locator('#worst-h').innerText())![1]);
    const told = async () => (await wall.locator('ol.worst li:not([data-cut])').count()) + Number(/and (\d+) more/.exec(await wall.locator('section.worst-first p.more').innerText())?.[1] ?? 0);
    await expect.poll(told).toBe(listed);
    const listBottom = await wall.locator('ol.worst').evaluate((el) => el.getBoundingClientRect().bottom);
    const shownBottom = await wall.locator('ol.worst li:not([data-cut])').last().evaluate((el) => el.getBoundingClientRect().bottom);
    expect(shownBottom).toBeLessThanOrEqual(listBottom + 0.5);
    expect(listed).toBeGreaterThan(await wall.locator('ol.worst li:not([data-cut])').count());
    // Everything the desk must see stays inside the screen: nothing scrolls.
    const box = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    expect(box.h).toBeLessThanOrEqual(1080);
    expect(box.w).toBeLessThanOrEqual(1920);
    // The likely causes, as the grid's panel has them (the same list from /api/causes): with sites
    // in the worst-first list, the first two, each a link to its culprit's page, the rest counted.
    const causes = (await (await fetch(`${estate.url}/api/causes`)).json()) as Array<{ culprit: string; siteIds: string[]; kind: string }>;
    expect(causes.length).toBeGreaterThan(2);
    await expect(wall.locator('#causes-h').innerText()).resolves.toBe(`Likely causes (${causes.length})`);
    await expect(wall.locator('ul.causes a').evaluateAll((links) => links.map((a) => a.getAttribute('data-culprit')))).resolves.toEqual(causes.slice(0, 2).map((c) => c.culprit));
    await expect(wall.locator('ul.causes a').first().getAttribute('href')).resolves.toBe(`#/scopes/${encodeURIComponent(causes[0]!.culprit)}`);
    // The rest told as the grid's panel tells them (moreCausesText), with the way to them.
    await expect(wall.locator('section.causes p.causes-more').innerText()).resolves.toMatch(new RegExp(`^and ${causes.length - 2} more likely causes( \\(.+ at fault on (its|their) own\\))? · Degraded devices$`));
    for (const part of ['.counts', '.clock', 'ol.worst', 'ul.tiles', 'ul.causes']) {
      const rect = await wall.locator(part).boundingBox();
      expect(rect, part).not.toBeNull();
      expect(rect!.y + Math.min(rect!.height, 40)).toBeLessThanOrEqual(1080);
    }
    // The rest of the estate is paged: every tile of a page is on screen, and the pages add up to 1,000.
    const pagesText = await wall.locator('.pages').innerText();
    const [, , of] = /Page (\d+) of (\d+)/.exec(pagesText)!;
    const perPage = await wall.locator('ul.tiles a.tile').count();
    expect(perPage * Number(of)).toBeGreaterThanOrEqual(1000);
    expect(perPage * (Number(of) - 1)).toBeLessThan(1000);
    const lastTile = await wall.locator('ul.tiles a.tile').last().boundingBox();
    expect(lastTile!.y + lastTile!.height).toBeLessThanOrEqual(1080);
    // Every tile's glyph and code fit in it, the bold ones (down, degraded) included: the text's advance
    // may reach ~3 px into the border (the last digit's side bearing, as since the glyph was a ::before
    // with a 4 px margin), no further — a word space after the glyph took the bold codes ~3 px further.
    const overrun = await wall.locator('ul.tiles a.tile').evaluateAll((tiles) =>
      Math.max(
        ...tiles.map((a) => {
          const text = document.createRange();
          text.selectNodeContents(a);
          return text.getBoundingClientRect().right - (a.getBoundingClientRect().right - parseFloat(getComputedStyle(a).borderRightWidth));
        }),
      ),
    );
    expect(overrun).toBeLessThanOrEqual(3);
    // Type for the room: names in the worst-first list at 24 px or more, the counts larger still.
    const nameSize = await worst.first().locator('.name').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(nameSize).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: `${SCREENSHOTS}wall-1000-sites.png` });
    await wall.getByRole('button', { name: 'Next page' }).click();
    await expect(wall.locator('.pages').innerText()).resolves.toMatch(/^Page 2 of /);
  }, 60_000);

  it('on a 4K screen at 100 %: the 1080p wall, twice as large — counts, worst-first names, causes and the silent sites\' banner; the tiles as their layout says; nothing scrolls', async () => {
    const sizes: Record<string, { host: number; name: number; count: number; cause: number; banner: number; header: number; nav: number; bar: number; tile: number; tileFont: string; scroll: { h: number; w: number } }> = {};
    for (const [width, height] of [[1920, 1080], [3840, 2160], [1366, 768]] as const) {
      const screen = await browser.newPage({ viewport: { width, height } });
      try {
        await screen.goto(`${estate.url}/#/wall`);
        await screen.waitForSelector('ww-wall ul.tiles a.tile', { timeout: 20_000 });
        const wall = screen.locator('ww-wall');
        const px = (selector: string) => wall.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        sizes[`${width}×${height}`] = {
          host: await wall.evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
          name: await px('ol.worst .name'),
          count: await px('.counts .n'),
          cause: await px('ul.causes a'),
          // The estate has silent sites: the app's banner says so, in the wall's type.
          banner: await screen.locator('ww-app .banner').evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
          // The app's bar above the wall: its name, its menu and its height.
          header: await screen.locator('ww-app header h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
          nav: await screen.locator('ww-app header nav').evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
          bar: await screen.locator('ww-app header').evaluate((el) => el.getBoundingClientRect().height),
          tile: await px('ul.tiles a.tile:not([data-long])'),
          tileFont: await wall.locator('.estate').evaluate((el) => (el as HTMLElement).style.getPropertyValue('--tile-font')),
          scroll: await screen.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth })),
        };
        expect(sizes[`${width}×${height}`]!.scroll).toEqual({ h: height, w: width });
        await screen.screenshot({ path: `${SCREENSHOTS}wall-1000-sites-${width}x${height}.png` });
      } finally {
        await screen.close();
      }
    }
    const hd = sizes['1920×1080']!;
    const uhd = sizes['3840×2160']!;
    expect(hd.host).toBe(20);
    expect(sizes['1366×768']!.host).toBe(20); // no smaller on a smaller screen: it must still read across a room
    expect(hd.banner).toBe(20);
    // The bar at 1080p as on every other page (the page's 15 px: its name 1.15 em of it).
    expect(hd.header).toBeCloseTo(17.25, 2);
    // Other pages keep it, on any screen.
    const grid = await browser.newPage({ viewport: { width: 3840, height: 2160 } });
    try {
      await grid.goto(`${estate.url}/#/`);
      await grid.waitForSelector('ww-site-grid ul.tiles a.tile', { timeout: 20_000 });
      await expect(grid.locator('ww-app header h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).resolves.toBe(hd.header);
    } finally {
      await grid.close();
    }
    for (const part of ['host', 'name', 'count', 'cause', 'banner', 'header', 'nav'] as const) expect(uhd[part] / hd[part], part).toBeCloseTo(2, 2);
    expect(uhd.bar / hd.bar).toBeGreaterThan(1.8);
    // The tiles' type is their layout's, in px (1,000 sites page through the smallest at both sizes), not doubled by the wall's.
    for (const size of [hd, uhd]) expect(size.tile).toBe(parseFloat(size.tileFont));
  }, 90_000);

  it('loading the grid: the site list comes with the page (no /api/sites request); the stream opened after the grid is drawn; the other pages’ code kept out of the grid’s; brotli throughout', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const events: string[] = [];
    fresh.on('request', (request) => events.push(`request ${new URL(request.url()).pathname}`));
    fresh.on('requestfinished', (request) => events.push(`finished ${new URL(request.url()).pathname}`));
    const encodings = new Map<string, string | undefined>();
    fresh.on('response', (response) => encodings.set(new URL(response.url()).pathname, response.headers()['content-encoding']));
    // How many tiles the grid held when the page opened its stream.
    await fresh.addInitScript(() => {
      const Native = window.EventSource;
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          const grid = document.querySelector('ww-app')?.shadowRoot?.querySelector('ww-site-grid')?.shadowRoot;
          (window as unknown as { tilesAtStream: number }).tilesAtStream = grid?.querySelectorAll('a.tile').length ?? 0;
        }
      };
    });
    await fresh.goto(`${estate.url}/#/`);
    await fresh.waitForFunction(() => document.querySelector('ww-app')?.shadowRoot?.querySelector('ww-site-grid')?.shadowRoot?.querySelectorAll('a.tile').length === 1000);
    await until(async () => (events.includes('request /api/stream') ? true : undefined), 10_000, 'the stream opened');
    expect(await fresh.evaluate(() => (window as unknown as { tilesAtStream: number }).tilesAtStream)).toBe(1000);

    const html = await (await fetch(`${estate.url}/`)).text();
    // The grid's scripts, as the head's loader names them (it preloads them once the frame is drawn).
    const gridScripts = [...new Set([...html.matchAll(/"(?:\.\/)?((?:app|chunk)-[A-Z0-9]+\.js)"/g)].map((m) => `/${m[1]}`))];
    const entry = gridScripts.find((s) => s.startsWith('/app-'));
    expect(entry).toBeDefined();
    // The page carries the list with its first frame (dashboard-page.ts): the app asks for it neither
    // by a preload nor by its own fetch.
    expect(html).toContain('id="first-frame-data"');
    expect(events.filter((e) => e === 'request /api/sites')).toHaveLength(0);
    // Chromium accepts brotli: the page and the scripts (the build's copies) come so.
    for (const path of ['/', entry!, ...gridScripts]) expect(encodings.get(path), path).toBe('br');
    // The other pages' code is fetched when the page is idle, and is none of the grid's scripts.
    await until(async () => (events.some((e) => e.startsWith('request /chunk-') && !gridScripts.includes(e.slice('request '.length))) ? true : undefined), 10_000, 'the other pages’ code fetched when idle');
    await fresh.close();
  }, 60_000);

  it('grid: 1,000 tiles grouped by status, paging OK sites shown degraded with the SLO named, silent sites greyed', async () => {
    await page.goto(`${estate.url}/#/`);
    await page.waitForSelector('ww-site-grid ul.tiles a.tile', { timeout: 20_000 });
    const grid = page.locator('ww-site-grid');
    expect(await grid.locator('ul.tiles a.tile').count()).toBe(1000);
    expect(await grid.locator('section[data-group]').evaluateAll((s) => s.map((e) => e.getAttribute('data-group')))).toEqual(['down', 'degraded', 'unknown', 'ok']);
    for (const id of estate.paging) {
      const tile = grid.locator(`ul.tiles a.tile[data-site="${id}"]`);
      await expect(tile.getAttribute('data-status')).resolves.toBe('degraded');
      await expect(tile.getAttribute('aria-label')).resolves.toMatch(/SLO site-logon-latency is burning .* alerts: 1 page — /);
    }
    // /metrics says the same: a paging OK site is degraded there too (it read the board's "ok").
    const metrics = await (await fetch(`${estate.url}/metrics`)).text();
    expect(estate.paging.length).toBeGreaterThan(0);
    for (const id of estate.paging) {
      expect(metrics).toMatch(new RegExp(`^wardwatch_site_status\\{site="${id}",trust="\\w+",status="degraded"\\} 1$`, 'm'));
      expect(metrics).toMatch(new RegExp(`^wardwatch_site_status\\{site="${id}",trust="\\w+",status="ok"\\} 0$`, 'm'));
    }
    for (const id of estate.silent) {
      const tile = grid.locator(`ul.tiles a.tile[data-site="${id}"]`);
      expect(await tile.getAttribute('data-stale')).not.toBeNull();
      await expect(tile.getAttribute('aria-label')).resolves.toMatch(/stale, last OK .* 10 min old$/);
    }
    await expect(page.locator('ww-app [data-silent-banner]').innerText()).resolves.toMatch(new RegExp(`${estate.silent.length} site\\(s\\) have sent no telemetry for over 3 min`));
    // A needs-attention card carries its alert count.
    const attention = grid.locator('ul.cards[aria-label="Sites needing attention"] a.card');
    expect(await attention.count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}grid-1000-sites.png` });
  }, 60_000);

  it('the status filter narrows the grid to degraded sites, and the filter is kept in the address', async () => {
    const grid = page.locator('ww-site-grid');
    await grid.getByRole('checkbox', { name: /Degraded/ }).check();
    await until(async () => ((await grid.locator('section[data-group] a').count()) <= count('degraded') ? true : undefined), 10_000, 'the grid narrowed');
    const statuses = await grid.locator('section[data-group] a').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.length).toBe(count('degraded'));
    expect(new Set(statuses)).toEqual(new Set(['degraded']));
    await expect(grid.locator('p.shown').innerText()).resolves.toBe(`Showing ${count('degraded')} of 1000 sites as a heat map: one tile per site, worst first.`);
    expect(page.url()).toMatch(/#\/\?status=degraded$/);
    // Narrowed further by trust and searched by code.
    await grid.locator('select[data-filter="trust"]').selectOption('RB2');
    const inTrust = await grid.locator('section[data-group] a').count();
    expect(inTrust).toBeGreaterThan(0);
    expect(inTrust).toBeLessThan(count('degraded'));
    await page.screenshot({ path: `${SCREENSHOTS}grid-filtered-degraded.png`, fullPage: true });
    await grid.getByRole('searchbox', { name: 'Search sites' }).fill('S0051');
    await expect(grid.locator('section[data-group] a').evaluateAll((els) => els.map((e) => e.getAttribute('data-site')))).resolves.toEqual(['S0051']);
    // The same filter on the wall, from the address.
    await page.goto(`${estate.url}/#/wall?status=degraded`);
    await page.waitForSelector('ww-wall ul.tiles a.tile');
    await expect(page.locator('ww-wall .counts [data-status="ok"] .n').innerText()).resolves.toBe('0');
    await expect(page.locator('ww-wall .counts [data-status="degraded"] .n').innerText()).resolves.toBe(String(count('degraded')));
    // A trust whose sites have no likely cause: the wall lists none of the other trusts' causes.
    const causes = (await (await fetch(`${estate.url}/api/causes`)).json()) as Array<{ siteIds: string[] }>;
    const causeSites = new Set(causes.flatMap((c) => c.siteIds));
    const sites = (await (await fetch(`${estate.url}/api/sites`)).json()) as Array<{ id: string; trust: string }>;
    const quietTrust = [...new Set(sites.map((x) => x.trust))].find((t) => !sites.some((x) => x.trust === t && causeSites.has(x.id)))!;
    expect(quietTrust).toBeDefined();
    const busyTrust = sites.find((x) => causeSites.has(x.id))!.trust;
    await page.goto(`${estate.url}/#/wall?trust=${busyTrust}`);
    await expect.poll(() => page.locator('ww-wall ul.causes a').count()).toBeGreaterThan(0);
    // The same wall, its causes loaded, narrowed to the quiet trust: the section goes.
    await page.evaluate(`location.hash = '#/wall?trust=${quietTrust}'`);
    const inQuiet = sites.filter((x) => x.trust === quietTrust).length;
    await expect.poll(() => page.locator('ww-wall #estate-h').innerText()).toBe(`Sites matching trust ${quietTrust} (${inQuiet} of 1000)`);
    // A filter nothing matches says so, not "no site is down" over an empty estate.
    await page.evaluate(`location.hash = '#/wall?status=down&trust=${quietTrust}&q=nowhere'`);
    await expect.poll(() => page.locator('ww-wall #estate-h').innerText()).toBe(`Sites matching status down · trust ${quietTrust} · search “nowhere” (0 of 1000)`);
    await expect(page.locator('ww-wall .worst-first p.none').innerText()).resolves.toBe(`No site matching status down · trust ${quietTrust} · search “nowhere” is down, degraded or paging.`);
    await expect(page.locator('ww-wall a.all').getAttribute('href')).resolves.toBe('#/wall');
    // A value in the address that no site has: the grid's list shows it chosen, and "All" clears it.
    await page.goto(`${estate.url}/#/?trust=NOPE`);
    const trustList = page.locator('ww-site-grid select[data-filter="trust"]');
    await expect.poll(() => trustList.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('NOPE (no such trust)');
    await trustList.selectOption('');
    await expect.poll(() => page.locator('ww-site-grid ul.tiles a.tile').count()).toBe(1000);
    expect(await page.locator('ww-wall section.causes').count()).toBe(0);
  }, 60_000);

  it('the stream carries what the page shows: no status events for the grid, one site’s for its page', async () => {
    const streams: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/stream')) streams.push(decodeURIComponent(new URL(r.url()).search));
    });
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/`);
    await page.waitForSelector('ww-site-grid a.tile');
    await until(() => (streams.length > 0 ? true : undefined), 10_000, 'the grid’s stream');
    expect(streams).toEqual(['?sites=changes&statuses=none']);
    // A change on the server reaches the open grid as that site's changed fields, not the whole list.
    const sse = await openSse(`${estate.url}/api/stream?sites=changes&statuses=none`);
    await sse.waitFor((e) => e.event === 'sites', 5_000);
    const target = estate.board.get('site:S0013')!;
    estate.board.apply({ ...target, status: 'degraded', reason: 'app p95 2.60 s over the 2.0 s target (last 15 min, 60 checks)', asOf: target.asOf + 1 });
    const change = await sse.waitFor((e) => e.event === 'sites-changed', 5_000);
    expect(JSON.parse(change.data)).toEqual([{ id: 'S0013', set: { status: 'degraded', reason: 'app p95 2.60 s over the 2.0 s target (last 15 min, 60 checks)', asOf: target.asOf + 1 } }]);
    sse.close();
    const tile = page.locator('ww-site-grid a.tile[data-site="S0013"]');
    await until(async () => ((await tile.getAttribute('data-status')) === 'degraded' ? true : undefined), 10_000, 'the tile turned degraded live');
    // The tooltip is the tile's label, given as the pointer comes over it (not written into every tile).
    await tile.hover();
    await expect(tile.getAttribute('title')).resolves.toBe(await tile.getAttribute('aria-label'));
    await expect(tile.getAttribute('title')).resolves.toMatch(/^S0013, Site S0013 \w+ — Degraded — app p95 2\.60 s/);
    estate.board.apply({ ...target, asOf: target.asOf + 2 });
    await until(async () => ((await tile.getAttribute('data-status')) === 'ok' ? true : undefined), 10_000, 'the tile back to OK');
    await page.locator(`ww-site-grid a.tile[data-site="${estate.charted}"]`).click();
    await page.waitForSelector('ww-site-page h2');
    await until(() => (streams.length > 1 ? true : undefined), 10_000, 'the site page’s stream');
    expect(streams.at(-1)).toBe(`?sites=changes&statuses=site:${estate.charted}`);
    // The server refuses a selector it does not know, naming the forms.
    const bad = await fetch(`${estate.url}/api/stream?statuses=everything`);
    expect(bad.status).toBe(400);
    await expect(bad.json()).resolves.toEqual({ error: expect.stringMatching(/^statuses must be all, none, site:<site id> or kind:/) });
  }, 60_000);

  it('alert scopes link to their site, named as the grid names it, whose page names the burning SLO and its alerts', async () => {
    await page.goto(`${estate.url}/#/alerts`);
    const id = estate.paging[0]!;
    const link = page.locator(`ww-alerts tr[data-severity="page"] a[data-scope="site:${id}"]`);
    await link.waitFor({ timeout: 10_000 });
    await expect(link.getAttribute('href')).resolves.toBe(`#/sites/${id}`);
    // How long it has fired, by the server's clock.
    await expect(page.locator(`ww-alerts tr[data-severity="page"]:has(a[data-scope="site:${id}"]) [data-duration]`).innerText()).resolves.toMatch(/^for \d+ (s|min|h|h \d+ min|d)$/);
    // The site by its name, its key under it; the same on its SLO target's card.
    const name = (await (await fetch(`${estate.url}/api/sites/${id}`)).json() as { name: string }).name;
    await expect(link.innerText()).resolves.toBe(name);
    await expect(page.locator(`ww-alerts tr[data-severity="page"] td:has(> a[data-scope="site:${id}"]) .key`).innerText()).resolves.toBe(`site:${id}`);
    await page.goto(`${estate.url}/#/slos`);
    const card = page.locator(`ww-slos section.slo[data-slo="site-logon-latency"][data-scope="site:${id}"]`);
    await expect(card.locator('.site-name').innerText()).resolves.toBe(name);
    // Its budget is mostly left (four weeks of good logons before this morning), and the card says it
    // burns fast, in the page's tone, not that it is healthy.
    await expect(card.getAttribute('data-budget')).resolves.toBe('healthy');
    await expect(card.locator('[data-budget-word]').innerText()).resolves.toMatch(/^✕\s*Burning fast$/);
    await expect(card.locator('p.firing').innerText()).resolves.toMatch(/^✕ Page: burning ≥ 14\.4× over 1h and 5m$/);
    await page.goto(`${estate.url}/#/alerts`);
    await link.waitFor({ timeout: 10_000 });
    await link.click();
    await page.waitForSelector('ww-site-page h2');
    await expect(page.locator('ww-site-page ww-status-badge').getAttribute('status')).resolves.toBe('degraded');
    await expect(page.locator('ww-site-page p.reason').innerText()).resolves.toMatch(/^SLO site-logon-latency is burning its error budget fast enough to page/);
    await expect(page.locator('ww-site-page a.alerts').innerText()).resolves.toMatch(/Alerts: 1 page — site-logon-latency/);
  }, 60_000);

  it('charts: seconds like the figures, the latest values and the target in the legend, the gap kept, availability’s axis fitted, a time-range picker', async () => {
    await page.goto(`${estate.url}/#/sites/${estate.charted}`);
    const chart = page.locator('ww-site-page ww-chart').first();
    await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
    // Values in seconds with the target at 2 s, as the figures above them are written.
    await expect(chart.getAttribute('unit')).resolves.toBe('s');
    const p95 = await chart.locator('ul.latest li[data-series="p95"]').innerText();
    expect(p95).toMatch(/^p95\s+(\d+\.\d s|\d+ ms)$/);
    await expect(chart.locator('ul.latest li[data-target]').innerText()).resolves.toMatch(/^target 2 s$/);
    // The latest point's window, from its start to its end: the card above is over 15 minutes, and says so.
    await expect(chart.locator('ul.latest li.when').innerText()).resolves.toMatch(/^latest (1|5) min: \d\d\/\d\d\/\d{4}, \d\d:\d\d–\d\d:\d\d$/);
    await expect(page.locator('ww-site-page p.window').innerText()).resolves.toMatch(/^Over the last 15 minutes, to \d\d:\d\d:\d\d$/);
    // The half hour with nothing stored is null points (a break in the line), not a ramp across it.
    const gaps = await chart.evaluate((el) => (el as unknown as { series: Array<{ values: (number | null)[] }> }).series[1]!.values.filter((v) => v === null).length);
    expect(gaps).toBe(30);
    // uPlot's own axis labels, read from its tick formatter: 24-hour times.
    const ticks = await chart.evaluate((el) => {
      const plot = (el as unknown as { plot: { axes: Array<{ values: (u: unknown, t: number[]) => string[] }> } }).plot;
      return plot.axes[0]!.values(plot, [Date.UTC(2026, 10, 30, 14, 0) / 1000, Date.UTC(2026, 10, 30, 20, 30) / 1000]);
    });
    expect(ticks.every((t) => /^\d\d:\d\d(\n\d{1,2} [A-Z][a-z]{2})?$/.test(t))).toBe(true);
    // Availability's axis fits its values and the objective (97 % beside 99.5 % is not a flat line at
    // the top of 0–100 %), and never goes past 100 %.
    const availability = page.locator('ww-site-page ww-chart[unit="%"]');
    const fit = (await availability.evaluate((el) => {
      const chart = el as unknown as { series: Array<{ values: (number | null)[] }>; plot: { scales: { y: { min: number; max: number } } } };
      const values = [...chart.series[0]!.values.filter((v): v is number => v !== null), 99.5];
      return { lo: chart.plot.scales.y.min, hi: chart.plot.scales.y.max, least: Math.min(...values), most: Math.max(...values) };
    })) as { lo: number; hi: number; least: number; most: number };
    expect(fit.lo).toBeLessThanOrEqual(fit.least);
    expect(fit.hi).toBeGreaterThanOrEqual(fit.most);
    expect(fit.hi).toBeLessThanOrEqual(100);
    expect(fit.hi - fit.lo).toBeLessThanOrEqual(Math.max(fit.most - fit.least, 1) * 1.25);
    // uPlot's legend (the values under the cursor) only while hovered: otherwise it would read "–".
    const cursorLegend = chart.locator('.u-legend');
    await expect(cursorLegend.evaluate((el) => getComputedStyle(el).visibility)).resolves.toBe('hidden');
    await chart.locator('.u-over').hover();
    await expect(cursorLegend.evaluate((el) => getComputedStyle(el).visibility)).resolves.toBe('visible');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}site-charts.png`, fullPage: true });
    const request = page.waitForRequest((r) => r.url().includes(`/api/sites/${estate.charted}?hours=24`));
    await page.locator('ww-site-page .ranges button', { hasText: '24 h' }).click();
    await request;
    await expect(page.locator('ww-site-page .ranges button[aria-pressed="true"]').innerText()).resolves.toBe('24 h');
    // The fixture stores no 5-minute rollups, only minutes (six hours) and hours (a day): the 24-hour
    // chart draws its hours before the first 5-minute window (none here: all of them), not nothing.
    const points = () => chart.evaluate((el) => {
      const c = el as unknown as { t: number[]; span: [number, number]; plot: { scales: { x: { min: number; max: number } } } };
      return { n: c.t.length, first: c.t[0]!, last: c.t[c.t.length - 1]!, span: c.span, min: c.plot.scales.x.min, max: c.plot.scales.x.max };
    });
    const day = await until(async () => {
      const x = await points();
      return x.span[1] - x.span[0] > 23 * 3600 ? x : undefined;
    }, 10_000, 'the 24-hour chart');
    expect(day.n).toBeGreaterThanOrEqual(20);
    expect(day.last - day.first).toBeGreaterThan(20 * 3600);
    // The time axis is the range asked for, not the data's own: over 7 days the fixture's one day sits
    // at the right, the six before it empty (drawn over the whole width, it would read as a week).
    await page.locator('ww-site-page .ranges button', { hasText: '7 d' }).click();
    const week = await until(async () => {
      const x = await points();
      return x.max - x.min > 6 * 86_400 ? x : undefined;
    }, 10_000, 'a 7-day time axis');
    expect([week.min, week.max]).toEqual(week.span);
    expect(week.max - week.min).toBeLessThanOrEqual(7 * 86_400 + 1);
    expect(week.first - week.min).toBeGreaterThan(5 * 86_400);
    expect(week.max).toBeGreaterThanOrEqual(week.last);
  }, 60_000);

  it('a site’s figures say what time they are to, and its wards’ table the earlier time of theirs: a site moves with every check, its wards at each window’s end', async () => {
    const id = siteId(5);
    const site = estate.board.get(`site:${id}`)!;
    const ward = (w: string, asOf: number) => ({ ...site, key: `ward:${id}/${w}`, scope: 'ward' as const, id: `${id}/${w}`, site: id, ward: w, asOf });
    estate.board.applyAll([ward('W01', site.asOf - 42_000), ward('W02', site.asOf - 42_000)]);
    const uk = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/sites/${id}`);
    await page.locator('ww-site-page #wards caption').waitFor({ timeout: 10_000 });
    await expect(page.locator('ww-site-page p.window').innerText()).resolves.toBe(`Over the last 15 minutes, to ${uk.format(site.asOf)}`);
    await expect(page.locator('ww-site-page #wards caption').innerText()).resolves.toBe(`Wards · Figures to ${uk.format(site.asOf - 42_000)} (those above: to ${uk.format(site.asOf)})`);
    // A ward published later (its status changed) gives the span; one of the site's own second, nothing to say for it.
    estate.board.apply(ward('W02', site.asOf - 10_000));
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/sites/${id}`);
    await expect(page.locator('ww-site-page #wards caption').innerText()).resolves.toBe(`Wards · Figures to ${uk.format(site.asOf - 42_000)}–${uk.format(site.asOf - 10_000)} (those above: to ${uk.format(site.asOf)})`);
    estate.board.applyAll([ward('W01', site.asOf), ward('W02', site.asOf)]);
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/sites/${id}`);
    await expect(page.locator('ww-site-page #wards caption').innerText()).resolves.toBe('Wards');
  }, 60_000);

  it('a site’s uptime history: 24 hourly bars judged from the rollups (down, degraded, nothing stored), each with its text; 90 days on request', async () => {
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/sites/${estate.charted}`);
    const strip = page.locator('ww-site-page ww-uptime-strip');
    const bars = strip.locator('ol.strip > li');
    await until(async () => ((await bars.count()) === 24 ? true : undefined), 10_000, '24 hourly bars');
    const history = (await (await fetch(`${estate.url}/api/sites/${estate.charted}/uptime`)).json()) as { periods: Array<{ start: number; status: string }> };
    // The API judges each hour as the fixture's rollups say, and each bar shows what the API says.
    expect(history.periods.map((p) => p.status)).toEqual(history.periods.map((p) => estate.uptimeAt(p.start)));
    expect(history.periods.filter((p) => p.status === 'down')).toHaveLength(1);
    expect(history.periods.filter((p) => p.status === 'degraded')).toHaveLength(1);
    expect(history.periods.filter((p) => p.status === 'unknown').length).toBeGreaterThanOrEqual(2);
    const shown = await bars.evaluateAll((items) => items.map((li) => ({ status: li.getAttribute('data-status'), title: li.getAttribute('title'), text: li.textContent })));
    expect(shown.map((b) => b.status)).toEqual(history.periods.map((p) => p.status));
    for (const bar of shown) {
      // The tooltip and the screen-reader text say the same: when, the verdict, the figures.
      expect(bar.text).toBe(bar.title);
      expect(bar.title).toMatch(/^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d\d:00–(\d\d:00|now): (OK|Degraded|Down|No figures)/);
    }
    expect(shown.find((b) => b.status === 'down')!.title).toMatch(/: Down — availability 33 % of 60 checks, app p95 [\d.]+ m?s — availability 33 % \(40 of 60 checks failed\)$/);
    // The degraded hour had planned work recorded: marked, named, and counted in the summary; the
    // verdict is still what its figures earned.
    const maintained = await bars.evaluateAll((items) => items.filter((li) => li.hasAttribute('data-maintenance')).map((li) => [li.getAttribute('data-status'), li.getAttribute('title')]));
    expect(maintained).toHaveLength(1);
    expect(maintained[0]![0]).toBe('degraded');
    expect(maintained[0]![1]).toMatch(/ — maintenance: Core switch upgrade \(planned; left out of the evidence pack\)$/);
    await expect(strip.locator('.legend').innerText()).resolves.toContain('Planned maintenance (dark cap)');
    await expect(strip.locator('[data-summary]').innerText()).resolves.toMatch(/^Last 24 hours: \d+ OK, 1 degraded, 1 down, \d+ without figures; [\d.]+ % of [\d,]+ checks succeeded\. 1 hour with planned maintenance \(marked\)\.$/);
    // Greyscale and colour-vision safe: each status has its own fill pattern, not only its own hue.
    const fills = await bars.evaluateAll((items) => Object.fromEntries(items.map((li) => [li.getAttribute('data-status'), `${getComputedStyle(li).backgroundImage}|${getComputedStyle(li).borderStyle}`])));
    expect(new Set(Object.values(fills)).size).toBe(4);
    const axe = await axeViolations(page);
    expect(axe, describeViolations(axe)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}site-uptime-strip.png`, fullPage: true });
    await strip.getByRole('button', { name: '90 days' }).click();
    await until(async () => ((await bars.count()) === 90 ? true : undefined), 10_000, '90 daily bars');
    await expect(strip.locator('h3').innerText()).resolves.toBe('Uptime, last 90 days');
    await expect(strip.getByRole('button', { name: '90 days' }).getAttribute('aria-pressed')).resolves.toBe('true');
  }, 60_000);

  it('in a browser set to India’s time (UTC+5:30), the uptime strip’s hours and a chart’s axis are UK times, across the clocks going back', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'Asia/Kolkata' });
    const india = await context.newPage();
    const H = 3_600_000;
    const from = Date.UTC(2026, 9, 24, 20); // Sat 24 Oct 2026, 21:00 BST; the clocks go back at 01:00 UTC on the 25th
    // Ten hours either side of the change, served in place of the site's own history.
    const periods = Array.from({ length: 10 }, (_, i) => ({ start: from + i * H, end: from + (i + 1) * H, status: 'ok', reason: '', availability: 1, appChecks: 60, p95Ms: 800, logons: 0, logonP95Ms: null }));
    await india.route(`**/api/sites/${estate.charted}/uptime**`, (route) => route.fulfill({ json: { site: estate.charted, period: 'hour', periods } }));
    await india.goto(`${estate.url}/#/sites/${estate.charted}`);
    // The browser's own clock is India's: 20:00 UTC is 01:30 there.
    await expect(india.evaluate((t) => `${new Date(t).getHours()}:${new Date(t).getMinutes()}`, from)).resolves.toBe('1:30');
    const bars = india.locator('ww-site-page ww-uptime-strip ol.strip > li');
    await until(async () => ((await bars.count()) === 10 ? true : undefined), 10_000, 'ten hourly bars');
    const labels = await bars.evaluateAll((items) => items.map((li) => /^(.*?–(?:\d\d:\d\d|now)): /.exec(li.getAttribute('title') ?? '')?.[1]));
    expect(labels).toEqual([
      'Sat 24 Oct 21:00–22:00',
      'Sat 24 Oct 22:00–23:00',
      'Sat 24 Oct 23:00–00:00',
      'Sun 25 Oct 00:00–01:00',
      'Sun 25 Oct 01:00–01:00', // 01:00 BST to 01:00 GMT: the clocks go back
      'Sun 25 Oct 01:00–02:00',
      'Sun 25 Oct 02:00–03:00',
      'Sun 25 Oct 03:00–04:00',
      'Sun 25 Oct 04:00–05:00',
      'Sun 25 Oct 05:00–now',
    ]);
    // A chart over the same night: uPlot places the ticks (its splits) and the formatter writes them.
    await india.locator('ww-site-page ww-chart canvas').first().waitFor({ timeout: 10_000 });
    const axis = await india.evaluate(async (start) => {
      const chart = document.createElement('ww-chart') as HTMLElement & { t: number[]; series: unknown[]; unit: string; updateComplete: Promise<unknown>; plot: { axes: Array<{ _splits: number[]; _values: string[] }> } };
      chart.t = Array.from({ length: 17 }, (_, i) => start / 1000 + i * 3600);
      chart.series = [{ label: 'p95', colour: '#0b5cad', values: chart.t.map((_, i) => 1 + (i % 3) / 10) }];
      chart.unit = 's';
      chart.style.width = '900px';
      document.body.append(chart);
      await chart.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const { _splits, _values } = chart.plot.axes[0]!;
      chart.remove();
      return { splits: _splits, values: _values };
    }, Date.UTC(2026, 9, 24, 18));
    const uk = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });
    expect(axis.values.length).toBeGreaterThanOrEqual(4);
    // Every label is the UK time of its tick (the first of each day dated), and the hourly ticks fall
    // on UK whole hours, not India's (which are half past in the UK).
    axis.values.forEach((label, i) => expect(label.split('\n')[0]).toBe(uk.format(axis.splits[i]! * 1000)));
    expect((axis.splits[1]! - axis.splits[0]!) % 3600).toBe(0);
    for (const t of axis.splits) expect(new Date(t * 1000).getUTCMinutes()).toBe(0);
    expect(axis.values[0]).toMatch(/\n24 Oct$/);
    expect(axis.values.find((v) => v.endsWith('\n25 Oct'))).toMatch(/^00:00\n25 Oct$/);
    // The clocks going back: between two ticks either side of it, an hour more passes than their UK
    // labels say (00:00 to 02:00 is three hours that night); everywhere else the two agree.
    const minutes = (label: string) => Number(label.slice(0, 2)) * 60 + Number(label.slice(3, 5));
    const extra = axis.splits.slice(1).map((t, i) => (t - axis.splits[i]!) / 60 - ((minutes(axis.values[i + 1]!) - minutes(axis.values[i]!) + 1440) % 1440));
    expect(extra.filter((m) => m !== 0)).toEqual([60]);
    await context.close();
  }, 60_000);

  it('acknowledging a page from the UI silences it with a note, recorded; un-silencing brings it back', async () => {
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/alerts`);
    const id = estate.paging[0]!;
    const row = page.locator(`ww-alerts tr[data-severity="page"]`).filter({ has: page.locator(`a[data-scope="site:${id}"]`) });
    await row.getByRole('button', { name: 'Acknowledge…' }).click();
    const form = page.locator('ww-alerts tr.ack form');
    // A note of spaces says nothing: the form does not send it.
    await form.getByLabel('Note (what is being done)').fill('   ');
    await form.getByRole('button', { name: 'Acknowledge and silence' }).click();
    expect(await form.locator('input[name="note"]').evaluate((input) => (input as HTMLInputElement).validity.valid)).toBe(false);
    expect(((await (await fetch(`${estate.url}/api/alerts`)).json()) as { silences: unknown[] }).silences).toEqual([]);
    await form.getByLabel('Note (what is being done)').fill('Desktop team checking the logon script at this site');
    await form.getByLabel('Silence for').selectOption('4');
    const axeBefore = await axeViolations(page);
    expect(axeBefore, describeViolations(axeBefore)).toEqual([]);
    await form.getByRole('button', { name: 'Acknowledge and silence' }).click();
    // The status line is there (empty) before the click; it says what happened once the server has
    // answered, which on a loaded machine is after the click returns: wait for it to be rendered.
    const acknowledged = new RegExp(`^Acknowledged site-logon-latency on site:${id}: silenced until \\d\\d/\\d\\d/\\d{4}, \\d\\d:\\d\\d\\.$`);
    const message = page.locator('ww-alerts p.message');
    await until(async () => ((await message.innerText()) !== '' ? true : undefined), 10_000, 'the acknowledgement’s status line');
    await expect(message.innerText()).resolves.toMatch(acknowledged);
    await until(async () => ((await row.getAttribute('data-silenced')) !== null ? true : undefined), 10_000, 'the row shown silenced');
    await expect(row.innerText()).resolves.toMatch(/\(silenced\)[\s\S]*Acknowledged/);
    const silence = page.locator('ww-alerts table.silences tbody tr');
    await expect(silence.innerText()).resolves.toMatch(new RegExp(`site-logon-latency · site:${id} · page[\\s\\S]*Desktop team checking the logon script at this site`));
    const stored = (await (await fetch(`${estate.url}/api/alerts`)).json()) as { silences: Array<{ comment: string; endsAt: number; startsAt: number }> };
    expect(stored.silences).toHaveLength(1);
    expect(stored.silences[0]!.comment).toBe('Desktop team checking the logon script at this site');
    expect(stored.silences[0]!.endsAt - stored.silences[0]!.startsAt).toBe(4 * 3_600_000);
    // The site says its page is someone's: the API, and the grid's card or tile.
    const listed = (await (await fetch(`${estate.url}/api/sites`)).json()) as Array<{ id: string; alerts?: { page: number; acknowledged?: number } }>;
    expect(listed.find((x) => x.id === id)!.alerts).toMatchObject({ page: 1, acknowledged: 1 });
    await page.screenshot({ path: `${SCREENSHOTS}alerts-acknowledged.png`, fullPage: true });
    await silence.getByRole('button', { name: 'Un-silence' }).click();
    await until(async () => ((await row.getAttribute('data-silenced')) === null ? true : undefined), 10_000, 'the row firing again');
    expect(await page.locator('ww-alerts table.silences').count()).toBe(0);
  }, 60_000);

  it('assigning a page from the UI: the alert shows who has it, by whom and when, in the page and the API; unassigning takes it back', async () => {
    await page.goto('about:blank');
    await page.goto(`${estate.url}/#/alerts`);
    const id = estate.paging[1]!;
    const row = page.locator(`ww-alerts tr[data-severity="page"]`).filter({ has: page.locator(`a[data-scope="site:${id}"]`) });
    await expect(row.locator('td.assigned').innerText()).resolves.toBe('Nobody');
    await row.getByRole('button', { name: 'Assign…' }).click();
    const form = page.locator('ww-alerts tr.assign form');
    await form.getByLabel('Assign to (person or team)').fill('Network team');
    await form.getByLabel('Note').fill('WAN link check at this site');
    const axeOpen = await axeViolations(page);
    expect(axeOpen, describeViolations(axeOpen)).toEqual([]);
    const clickedAt = Date.now();
    await form.getByRole('button', { name: 'Assign' }).click();
    const message = page.locator('ww-alerts p.message');
    await until(async () => (/^Assigned /.test(await message.innerText()) ? true : undefined), 10_000, 'the assignment’s status line');
    await expect(message.innerText()).resolves.toMatch(new RegExp(`^Assigned site-logon-latency on site:${id} to Network team at \\d\\d/\\d\\d/\\d{4}, \\d\\d:\\d\\d\\.$`));
    await until(async () => ((await row.getAttribute('data-assigned')) !== null ? true : undefined), 10_000, 'the row shown assigned');
    await expect(row.locator('td.assigned').innerText()).resolves.toMatch(/^Network team\s+by the local administrator, \d\d\/\d\d\/\d{4}, \d\d:\d\d — WAN link check at this site$/);
    const alerts = (await (await fetch(`${estate.url}/api/alerts`)).json()) as { firing: Array<{ scope: string; severity: string; assignment: { assignee: string; note: string; assignedBy: string; assignedAt: number } | null }> };
    const assigned = alerts.firing.find((a) => a.scope === `site:${id}` && a.severity === 'page')!;
    expect(assigned.assignment).toMatchObject({ assignee: 'Network team', note: 'WAN link check at this site', assignedBy: '' });
    // When is the server's clock (the estate server's is the wall clock): between the click and now.
    expect(assigned.assignment!.assignedAt).toBeGreaterThanOrEqual(clickedAt);
    expect(assigned.assignment!.assignedAt).toBeLessThanOrEqual(Date.now());
    expect(alerts.firing.filter((a) => a.assignment !== null)).toHaveLength(1);
    const axeAssigned = await axeViolations(page);
    expect(axeAssigned, describeViolations(axeAssigned)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}alerts-assigned.png`, fullPage: true });
    await row.getByRole('button', { name: 'Unassign' }).click();
    await until(async () => ((await row.getAttribute('data-assigned')) === null ? true : undefined), 10_000, 'the row assigned to nobody');
    await expect(row.locator('td.assigned').innerText()).resolves.toBe('Nobody');
  }, 60_000);

  it('a site in planned maintenance, recorded while the wall is open: a dark cap on its tile, its name and its worst-first line say until when and what; the grid\'s card and the site\'s page too', async () => {
    const id = [...estate.expected].find(([, status]) => status === 'degraded')![0];
    const { trust } = (await (await fetch(`${estate.url}/api/sites/${id}`)).json()) as { trust: string };
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(`${estate.url}/#/wall?q=${id}`);
    const tile = wall.locator(`ww-wall a.tile[data-site="${id}"]`);
    await tile.waitFor({ timeout: 20_000 });
    expect(await tile.getAttribute('data-maintenance')).toBeNull();
    const now = Date.now();
    const recorded = await fetch(`${estate.url}/api/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trust, scope: `site:${id}`, kind: 'maintenance', title: 'Wi-Fi controller swap', start: now - 10 * 60_000, end: now + 3_600_000 }),
    });
    expect(recorded.status).toBe(201);
    const { id: annotation } = (await recorded.json()) as { id: string };
    try {
      // The open page hears of it from its stream (the site list is rebuilt within a second).
      await until(async () => ((await tile.getAttribute('data-maintenance')) === '' ? true : undefined), 10_000, 'the tile marked in maintenance');
      await expect(tile.getAttribute('aria-label')).resolves.toMatch(/ — Degraded — planned maintenance until \d\d:\d\d \(Wi-Fi controller swap\) — /);
      // The cap: an inset shadow across the top, whatever the status fill below, as deep as the wall's
      // type is large (one site's tile: six times the smallest, 30 px); the bar says what it means.
      await expect(tile.evaluate((a) => getComputedStyle(a).boxShadow)).resolves.toMatch(/0px 30px 0px 0px inset/);
      await expect(wall.locator('ww-wall .maintenance-key').innerText()).resolves.toBe('1 in planned maintenance');
      await expect(wall.locator(`ww-wall ol.worst a[data-site="${id}"] .word`).innerText()).resolves.toMatch(/ · planned maintenance until \d\d:\d\d$/);
      await wall.screenshot({ path: `${SCREENSHOTS}wall-maintenance.png` });
      await wall.goto(`${estate.url}/#/?q=${id}`);
      await expect(wall.locator(`ww-site-grid a.card[data-site="${id}"] p.maintenance`).innerText({ timeout: 20_000 })).resolves.toMatch(/^Planned maintenance until \d\d:\d\d \(Wi-Fi controller swap\)$/);
      await wall.goto(`${estate.url}/#/sites/${id}`);
      await expect(wall.locator('ww-site-page p.maintenance').innerText({ timeout: 20_000 })).resolves.toMatch(/^Planned maintenance until \d\d:\d\d \(Wi-Fi controller swap\)$/);
    } finally {
      await fetch(`${estate.url}/api/annotations/${annotation}`, { method: 'DELETE' });
      await wall.close();
    }
  });

  it('says it is connecting until its stream first connects, not offline', async () => {
    const waiting = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // The stream refused: the page has never been live.
    await waiting.route(/\/api\/stream/, (route) => route.abort());
    await waiting.goto(`${estate.url}/#/`);
    await waiting.waitForSelector('ww-site-grid ul.tiles a.tile');
    await expect(waiting.locator('ww-app .live').innerText()).resolves.toMatch(/^Connecting · \d\d:\d\d:\d\d$/);
    await waiting.close();
  }, 60_000);

  it('when the server stops, every figure greys out under a banner that says since when and why, and ages go on growing', async () => {
    // A degraded site's page open beside the grid: its status must not pass for current either.
    const degraded = [...estate.expected].find(([, status]) => status === 'degraded')![0];
    const sitePage = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await sitePage.goto(`${estate.url}/#/sites/${degraded}`);
    await sitePage.waitForSelector('ww-site-page ww-status-badge[data-site-status="degraded"]');
    await page.goto(`${estate.url}/#/`);
    await page.waitForSelector('ww-site-grid ul.tiles a.tile');
    await until(async () => ((await page.locator('ww-app .live[data-connected]').count()) > 0 ? true : undefined), 10_000, 'the stream connected');
    await expect(page.locator('ww-app .live').innerText()).resolves.toMatch(/^Live · \d\d:\d\d:\d\d$/);
    expect(await page.locator('ww-site-grid a.tile[data-stale]').count()).toBe(estate.silent.length);
    await estate.stop();
    const banner = page.locator('ww-app [data-stale-banner]');
    await until(async () => ((await banner.count()) > 0 ? true : undefined), 20_000, 'the stale banner');
    await expect(banner.innerText()).resolves.toMatch(/Figures are stale — Live updates stopped at \d\d:\d\d:\d\d: the stream from the server is down/);
    await expect(page.locator('ww-app .live').innerText()).resolves.toMatch(/^Offline · \d\d:\d\d:\d\d$/);
    await until(async () => ((await page.locator('ww-site-grid a.tile[data-stale]').count()) === 1000 ? true : undefined), 5_000, 'every tile greyed');
    // Greyed cards say "Stale · was …" rather than passing for a current status.
    await expect(page.locator('ww-site-grid a.card[data-stale] ww-status-badge span.badge').first().innerText()).resolves.toMatch(/Stale · was (Down|Degraded)/);
    await page.screenshot({ path: `${SCREENSHOTS}grid-1000-stale.png` });
    // The site page says "was" too: its header and its wards' rows.
    await until(async () => ((await sitePage.locator('ww-site-page ww-status-badge[data-site-status] span.badge.stale').count()) > 0 ? true : undefined), 10_000, 'the site page greyed');
    await expect(sitePage.locator('ww-site-page ww-status-badge[data-site-status] span.badge').innerText()).resolves.toMatch(/Stale · was Degraded$/);
    expect(await sitePage.locator('ww-scope-table#wards ww-status-badge[stale]').count()).toBe(await sitePage.locator('ww-scope-table#wards ww-status-badge').count());
    await sitePage.close();
    // With no clock from the server, a card's age still grows with the time since it stopped.
    const ageOf = async () => {
      const text = await page.locator('ww-site-grid a.card[data-stale]').first().innerText();
      const m = /(\d+) (s|min) old/.exec(text);
      if (!m) throw new Error(`no age in ${JSON.stringify(text)}`);
      return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
    };
    // 20 s on, the age has grown by 10 s at least (redrawn every 5 s while offline; the rest is slack
    // for a loaded machine), as the page writes an age: seconds under a minute, whole minutes beyond.
    const before = await ageOf();
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const floor = (s: number) => (s < 60 ? s : s - (s % 60));
    expect(await ageOf()).toBeGreaterThanOrEqual(floor(before + 10));
  }, 120_000);
});
