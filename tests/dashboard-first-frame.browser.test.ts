// The server's first frame in Chromium at 1920×1080 with 1,000 sites from the real server: with
// JavaScript off, every tile is in the page as served, with the status the grid must show (paging
// sites raised, silent sites stale); with it on, the app takes the frame over — the same tiles and
// cards, in the same places, no frame without the grid between the two — and stays live. A deep link
// (#/wall, a site's page) never paints the served grid: its first paint is blank until its own page,
// while `/` paints the grid first. Times are UK time in both, whatever the browser's zone. The heat
// map's runs (ui/markup/tile-runs.ts), at five window sizes: every tile where the flat grid puts it,
// each held run's placeholder exactly its height, every tile in view painted in the first presented
// frame (Element Timing), and at 1920×1080 still lists of links to Chromium's accessibility tree and axe.
// Screenshot of the frame as served goes to test-output/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { startEstateServer, type EstateServer } from './helpers/estate-server.ts';
import { axeViolations, describeViolations } from './helpers/axe.ts';

let estate: EstateServer;
let browser: Browser;

const SITES = 1000;
const VIEWPORT = { width: 1920, height: 1080 };

interface Drawn {
  site: string;
  badge: string;
  status: string;
  stale: boolean;
  paging: boolean;
  text: string;
  /** The label without its age, which moves on by the minute between two loads. */
  label: string;
  box: { x: number; y: number; w: number; h: number };
}

/** Every tile and card under `root` (a selector run in the page), as drawn. In-page code goes as text (no TypeScript helpers there). */
const drawnUnder = (page: Page, root: string, kind: 'tile' | 'card') =>
  page.evaluate(`(() => {
    const root = ${root};
    return [...root.querySelectorAll('a.${kind}')].map((a) => {
      const r = a.getBoundingClientRect();
      // A card's badge: drawn in place in the served frame, in its own shadow root by the app.
      const badge = (a.querySelector('.badge-host')?.textContent ?? a.querySelector('ww-status-badge')?.shadowRoot?.textContent ?? '').replace(/\s+/g, '');
      const bare = a.cloneNode(true);
      bare.querySelector('.badge-host, ww-status-badge')?.remove();
      return {
        badge,
        site: a.dataset.site, status: a.dataset.status, stale: a.hasAttribute('data-stale'), paging: a.hasAttribute('data-paging'),
        // Ages move on between two loads; the whitespace between a template's lines is not drawn.
        text: bare.textContent.replace(/\\d+ s old|under a minute old|\\d+ min old|as of \\d\\d:\\d\\d:\\d\\d/g, '').replace(/\\s+/g, ''),
        label: (a.getAttribute('aria-label') ?? '').split(' — ').slice(0, -1).join(' — '),
        box: { x: r.x, y: r.y, w: r.width, h: r.height },
      };
    });
  })()`) as Promise<Drawn[]>;

/** Polls an expression in the page until it is true (waitForFunction's string form is refused by the page's CSP: no eval). */
async function until(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(`(() => { try { return Boolean(${expression}); } catch { return false; } })()`))) {
    if (Date.now() > end) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Each status's glyph, as the tiles write it (the dashboard's STATUS_LABEL icons). */
const GLYPHS: Record<string, string> = { ok: '✓', degraded: '▲', down: '✕', unknown: '?' };

const SERVED = `document.querySelector('ww-app > .first-frame')`;
const APP_GRID = `document.querySelector('ww-app').shadowRoot.querySelector('ww-site-grid').shadowRoot`;

beforeAll(async () => {
  estate = await startEstateServer({ sites: SITES });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await estate?.stop();
});

describe('the first frame: 1,000 sites in the page as served', () => {
  let served: { tiles: Drawn[]; cards: Drawn[] };

  it('with JavaScript off, every tile is there with the status the grid must show, silent sites stale', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${estate.url}/#/`);
    served = { tiles: await drawnUnder(page, SERVED, 'tile'), cards: await drawnUnder(page, SERVED, 'card') };
    expect(served.tiles).toHaveLength(SITES);
    for (const tile of served.tiles) {
      expect(tile.status, tile.site).toBe(estate.expected.get(tile.site));
      expect(tile.stale, tile.site).toBe(estate.silent.includes(tile.site));
      expect(tile.paging, tile.site).toBe(estate.paging.includes(tile.site));
      // The status's glyph (○ when stale) before the code, as text.
      expect(tile.text).toBe(`${tile.stale ? '○' : GLYPHS[tile.status]}${tile.site}`.replace(/\s+/g, ''));
    }
    // The sites needing attention lead as cards; every tile has a place on the page.
    expect(served.cards.length).toBe(12);
    for (const card of served.cards) expect(['down', 'degraded']).toContain(card.status);
    expect(served.tiles.every((t) => t.box.w > 0 && t.box.h > 0)).toBe(true);
    // Silent sites are announced, as the app does.
    await expect(page.locator('ww-app > .first-frame [data-silent-banner]').innerText()).resolves.toContain(`${estate.silent.length} site(s) have sent no telemetry`);
    // The likely causes are above the grid from the first paint, as the panel draws them: the estate's
    // failing access points and slow devices (degradedWard), found by the board's own attribution.
    // Six causes found; the panel lists three and counts the rest (CAUSES_SHOWN), as the app's does.
    const causes = page.locator('ww-app > .first-frame .causes li');
    const culprits = await causes.evaluateAll((items) => items.map((li) => li.getAttribute('data-culprit') ?? ''));
    expect(culprits).toHaveLength(3);
    expect(culprits.every((c) => /^(ap|device):/.test(c))).toBe(true);
    await expect(page.locator('ww-app > .first-frame .causes p.more').innerText()).resolves.toMatch(/^and 3 more likely causes/);
    expect((await causes.first().boundingBox())!.height).toBeGreaterThan(40);
    await page.screenshot({ path: `${SCREENSHOTS}first-frame-no-script-1000-sites.png` });
    await context.close();
  });

  it('with JavaScript on, the app takes it over: the same tiles and cards in the same places, and no frame without them between', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    // From the document's start, every frame: the first frame's tiles on screen (no shadow root yet),
    // the app's, or neither.
    await page.addInitScript(`(() => {
      window.__frames = [];
      const look = () => {
        const app = document.querySelector('ww-app');
        const shadow = app?.shadowRoot;
        const grid = shadow?.querySelector('ww-site-grid')?.shadowRoot;
        const state = !shadow ? (document.querySelectorAll('ww-app > .first-frame a.tile').length === ${SITES} ? 'server' : 'none')
          : (grid?.querySelectorAll('a.tile').length === ${SITES} ? 'app' : 'none');
        if (window.__frames[window.__frames.length - 1] !== state) window.__frames.push(state);
        if (window.__frames.length < 20) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })()`);
    await page.goto(`${estate.url}/#/`);
    await until(page, `${APP_GRID}.querySelectorAll('a.tile').length === ${SITES}`, 20_000);
    await page.waitForTimeout(300);
    const frames = (await page.evaluate('window.__frames')) as string[];
    // Nothing before the page's first paint at most, then the served grid, then the app's — never
    // nothing between them (a state is recorded when it changes).
    expect(frames.join(' → ')).toMatch(/^(none → )?server → app$/);

    const app = { tiles: await drawnUnder(page, APP_GRID, 'tile'), cards: await drawnUnder(page, APP_GRID, 'card') };
    const strip = ({ box: _, ...rest }: Drawn) => rest;
    expect(app.tiles.map(strip)).toEqual(served.tiles.map(strip));
    expect(app.cards.map(strip)).toEqual(served.cards.map(strip));
    // In the same places (to the pixel): taking over moves nothing.
    const near = (a: Drawn['box'], b: Drawn['box']) => Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.w - b.w) < 1 && Math.abs(a.h - b.h) < 1;
    const moved = app.tiles.filter((t, i) => !near(t.box, served.tiles[i]!.box)).concat(app.cards.filter((c, i) => !near(c.box, served.cards[i]!.box)));
    expect(moved.map((d) => `${d.site} ${JSON.stringify(d.box)}`)).toEqual([]);
    // The served frame is gone from the document once taken over.
    await expect(page.evaluate(`[document.querySelectorAll('ww-app > .first-frame').length, document.querySelectorAll('#first-frame-data').length]`)).resolves.toEqual([0, 0]);

    // And live: a site that changes is redrawn from the stream.
    const id = [...estate.expected].find(([s, status]) => status === 'ok' && !estate.silent.includes(s))![0];
    const before = estate.board.get(`site:${id}`)!;
    estate.board.applyAll([{ ...before, status: 'down', reason: 'no application check succeeded (15 min, 40 checks)', asOf: Date.now() }]);
    await until(page, `${APP_GRID}.querySelector('a.tile[data-site="${id}"]').dataset.status === 'down'`, 15_000);
    estate.board.applyAll([{ ...before, asOf: Date.now() }]);
    await page.close();
  });
});

describe('times: the served frame and the app tell the same UK times, whatever the browser’s zone', () => {
  /** Each card's site and its "as of HH:MM:SS" under `root`, in order. */
  const asOfTimes = (page: Page, root: string) =>
    page.evaluate(`[...${root}.querySelectorAll('a.card')].map((a) => [a.dataset.site, /as of (\\d\\d:\\d\\d:\\d\\d)/.exec(a.querySelector('.age').textContent)?.[1] ?? ''])`) as Promise<Array<[string, string]>>;

  it('in Tokyo without JavaScript and in New York with it, the cards’ times are the same text, in UK time', async () => {
    const served = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT, timezoneId: 'Asia/Tokyo' });
    const frame = await served.newPage();
    await frame.goto(`${estate.url}/`);
    const fromServer = await asOfTimes(frame, SERVED);
    await served.close();

    const live = await browser.newContext({ viewport: VIEWPORT, timezoneId: 'America/New_York' });
    const page = await live.newPage();
    await page.goto(`${estate.url}/`);
    await until(page, `${APP_GRID}.querySelectorAll('a.tile').length === ${SITES}`, 20_000);
    const fromApp = await asOfTimes(page, APP_GRID);
    // The premise: the browser's own zone would tell another hour.
    const hour = (timeZone?: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(Date.now());
    await expect(page.evaluate(`new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23' }).format(Date.now())`)).resolves.toBe(hour('America/New_York'));
    expect(hour('America/New_York')).not.toBe(hour('Europe/London'));
    await live.close();

    expect(fromServer).toHaveLength(12);
    expect(fromApp).toEqual(fromServer);
    // In UK time: each card's site's figures as the board holds them.
    const uk = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });
    expect(fromServer).toEqual(fromServer.map(([site]) => [site, uk.format(estate.board.get(`site:${site}`)!.asOf)]));
  });
});

describe('a deep link: the served grid is never painted for another page', () => {
  /**
   * From the document's start, before every frame is painted: 'frame' when a served tile is drawn,
   * 'hidden' when the served frame's grid is in the document but not drawn, 'app' once the app shows the
   * page expected, else 'none'; with any CSP violation (the head's script refused would show the grid).
   */
  const watch = (element: string) => `(() => {
    window.__frames = [];
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    const look = () => {
      const tile = document.querySelector('ww-app > .first-frame a.tile, ww-app > .first-frame a.card');
      const app = document.querySelector('ww-app')?.shadowRoot?.querySelector('${element}');
      const state = tile && tile.getClientRects().length > 0 ? 'frame' : app ? 'app' : tile ? 'hidden' : 'none';
      // While hidden, what the frame draws instead: its header and the page's heading (deep-link.ts).
      if (state === 'hidden') {
        const header = document.querySelector('ww-app > .first-frame header');
        const heading = [...document.querySelectorAll('ww-app > .first-frame .deep-link h2')].find((h) => h.getClientRects().length > 0);
        window.__skeleton = { header: !!header && header.getClientRects().length > 0, heading: heading?.textContent ?? null };
      }
      if (window.__frames[window.__frames.length - 1] !== state) window.__frames.push(state);
      if (state !== 'app' && window.__frames.length < 20) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
    // When the frame has been parsed (the element rendering waits for is in).
    new MutationObserver((_, observer) => {
      if (!document.getElementById('first-frame-ready')) return;
      window.__parsed = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  })()`;

  it('with JavaScript off, the frame is shown whatever the fragment (nothing else can be)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT });
    const page = await context.newPage();
    for (const address of ['/', '/#/wall']) {
      await page.goto(`${estate.url}${address}`);
      await expect(page.evaluate(`[${SERVED}.querySelectorAll('a.tile').length, ${SERVED}.querySelector('a.tile').getClientRects().length > 0]`)).resolves.toEqual([SITES, true]);
    }
    await context.close();
  });

  it.each([
    ['/', 'ww-site-grid', true, undefined],
    ['/#/', 'ww-site-grid', true, undefined],
    ['/#/?status=down', 'ww-site-grid', true, undefined],
    ['/#/wall', 'ww-wall', false, 'Wall'],
    ['/#/wall?status=degraded', 'ww-wall', false, 'Wall'],
    ['/#/sites/S0001', 'ww-site-page', false, 'Site'],
    ['/#/alerts', 'ww-alerts', false, 'Alerts'],
  ])('%s shows %s; the served grid painted first: %s', async (address, element, painted, heading) => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.addInitScript(watch(element));
    await page.goto(`${estate.url}${address}`);
    await until(page, `document.querySelector('ww-app').shadowRoot.querySelector('${element}')`, 20_000);
    await until(page, `window.__frames[window.__frames.length - 1] === 'app'`, 5_000);
    const frames = ((await page.evaluate('window.__frames')) as string[]).join(' → ');
    await expect(page.evaluate('window.__csp')).resolves.toEqual([]);
    // The grid's addresses paint the served grid, then the app's; another page's never draws the frame
    // (in the document, not drawn) before its own.
    expect(frames).toMatch(painted ? /^(none → )?frame → app$/ : /^(none → )?hidden( → none)? → app$/);
    await expect(page.evaluate(`document.documentElement.hasAttribute('data-deep-link')`)).resolves.toBe(!painted);
    // Not a blank page meanwhile: the served header and that page's heading were drawn in the grid's place.
    if (!painted) await expect(page.evaluate('window.__skeleton')).resolves.toEqual({ header: true, heading: heading! });
    // The bundle is fetched once the served grid is drawn (two frames after it is parsed), not beside
    // the page, where it slowed that frame; for another page, which draws no grid, at once.
    const bundle = (await page.evaluate(`performance.getEntriesByType('resource').filter((e) => /\\/(app|chunk)-[A-Z0-9]+\\.js$/.test(e.name)).map((e) => ({ file: e.name.split('/').pop(), afterFrame: e.startTime > window.__parsed }))`)) as { file: string; afterFrame: boolean }[];
    const entry = bundle.filter((f) => f.file.startsWith('app-'));
    expect(entry).toHaveLength(1);
    expect(bundle.length).toBeGreaterThan(1);
    if (painted) expect(bundle.filter((f) => !f.afterFrame)).toEqual([]);
    else expect(entry[0]!.afterFrame).toBe(false);
    await page.close();
  });
});

describe('the heat map in runs: every tile where the flat grid puts it, every tile in view in the first frame, at any size', () => {
  /**
   * From the document's start, with the app's scripts held back so the served frame stays: each
   * served tile named for Element Timing once the frame is parsed (before anything is drawn, as
   * rendering waits for the frame's end), its first paint kept.
   */
  const probe = `(() => {
    window.__painted = new Map();
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!window.__painted.has(e.identifier)) window.__painted.set(e.identifier, e.renderTime); }).observe({ type: 'element', buffered: true });
    const observer = new MutationObserver(() => {
      if (!document.getElementById('first-frame-end')) return;
      observer.disconnect();
      for (const a of document.querySelectorAll('ww-app > .first-frame a.tile')) a.setAttribute('elementtiming', a.dataset.site);
    });
    observer.observe(document, { childList: true, subtree: true });
  })()`;
  const boxes = `[...document.querySelectorAll('ww-app > .first-frame a.tile')].map((a) => { const r = a.getBoundingClientRect(); return [a.dataset.site, r.x, r.y, r.width, r.height].join(' '); })`;
  const runHeights = `[...document.querySelectorAll('ww-app > .first-frame .tile-run')].map((r) => r.getBoundingClientRect().height)`;
  /** The served lists laid out as one flat grid each, as the app's are (the runs generate no box). */
  const FLAT = `ww-app > .first-frame .tiles { display: grid !important; } ww-app > .first-frame .tile-run { display: contents !important; }`;

  it.each([
    [1920, 1080],
    [1366, 0],
    [800, 0],
    [2560, 1440],
    [500, 0],
  ])('%i wide, %i tall (0: the fold in the OK sites’ list)', async (width, tall) => {
    /** A fresh page of that size, loaded, its first frame presented and the runs let go. CSP bypassed for the flat grid's style only; the page is the same. */
    const load = async (height: number) => {
      const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
      const page = await context.newPage();
      await page.route(/\/(app|chunk)-\w+\.js$/, (route) => route.abort());
      await page.addInitScript(probe);
      await page.goto(`${estate.url}/#/`);
      await until(page, `performance.getEntriesByName('first-contentful-paint').length === 1 && !document.documentElement.hasAttribute('data-runs-held')`, 10_000);
      await page.waitForTimeout(300);
      return { context, page };
    };
    let { context, page } = await load(tall || 800);
    if (!tall) {
      // A window whose bottom edge cuts the largest list's third row.
      const top = (await page.evaluate(`document.querySelector('ww-app > .first-frame [aria-label="OK sites"]').getBoundingClientRect().top`)) as number;
      await context.close();
      ({ context, page } = await load(Math.round(top + 80)));
    }
    const fcp = (await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0].startTime`)) as number;
    // Every tile with any part in the viewport was painted in the first presented frame.
    const inView = (await page.evaluate(`[...document.querySelectorAll('ww-app > .first-frame a.tile')].filter((a) => { const r = a.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }).map((a) => [a.dataset.site, window.__painted.get(a.dataset.site) ?? null])`)) as Array<[string, number | null]>;
    expect(inView.length).toBeGreaterThan(0);
    expect(inView.filter(([, at]) => at === null || at > fcp + 0.5)).toEqual([]);
    // And those far out of view were not (at the bench's size, most): the point of the runs.
    const paintedFirst = (await page.evaluate(`[...window.__painted.values()].filter((at) => at <= ${fcp} + 0.5).length`)) as number;
    expect(paintedFirst).toBeLessThan(width === 1920 ? SITES / 4 : SITES);

    if (width === 1920) {
      // Still a list of links to assistive technology: in Chromium's accessibility tree each list's
      // items are its tiles, the runs between them ignored; and axe finds nothing.
      const cdp = await context.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ nodeId: string; ignored: boolean; role?: { value: string }; name?: { value: string }; childIds?: string[] }> };
      const byId = new Map(nodes.map((n) => [n.nodeId, n]));
      const items = (id: string): typeof nodes => (byId.get(id)?.childIds ?? []).flatMap((c) => (byId.get(c)?.ignored ? items(c) : [byId.get(c)!]));
      const lists = nodes.filter((n) => n.role?.value === 'list' && / sites$/.test(n.name?.value ?? '') && !/attention/.test(n.name?.value ?? ''));
      const served = (await page.evaluate(`[...document.querySelectorAll('ww-app > .first-frame .tiles')].map((l) => [l.getAttribute('aria-label'), l.querySelectorAll('a.tile').length])`)) as Array<[string, number]>;
      expect(lists.map((l) => [l.name!.value, items(l.nodeId).filter((i) => i.role?.value === 'listitem').length])).toEqual(served);
      expect(lists.every((l) => items(l.nodeId).every((i) => i.role?.value === 'listitem'))).toBe(true);
      const violations = await axeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    }

    // A held run's placeholder is exactly as tall as the run drawn: hold them all again and compare.
    const drawn = (await page.evaluate(runHeights)) as number[];
    await page.evaluate(`document.querySelectorAll('[data-in-view]').forEach((r) => r.removeAttribute('data-in-view')); document.documentElement.setAttribute('data-runs-held', '')`);
    const held = (await page.evaluate(`[...document.querySelectorAll('ww-app > .first-frame .tile-run')].map((r) => [getComputedStyle(r).contentVisibility, r.getBoundingClientRect().height])`)) as Array<[string, number]>;
    expect(held.filter(([visibility]) => visibility === 'hidden').length).toBeGreaterThan(0);
    expect(held.map(([, h]) => h)).toEqual(drawn);
    await page.evaluate(`document.documentElement.removeAttribute('data-runs-held')`);

    // Every tile where the flat grid puts it (the app's grid is one).
    const inRuns = (await page.evaluate(boxes)) as string[];
    await page.evaluate(`document.head.append(Object.assign(document.createElement('style'), { textContent: ${JSON.stringify(FLAT)} }))`);
    const flat = (await page.evaluate(boxes)) as string[];
    expect(inRuns).toHaveLength(SITES);
    expect(inRuns.filter((b, i) => b !== flat[i])).toEqual([]);
    await context.close();
  }, 90_000);
});
