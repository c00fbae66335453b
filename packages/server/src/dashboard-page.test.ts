// The dashboard's page with the first frame: the caller's sites and likely causes only (trust scoping), none at all
// before sign-in, every name escaped, compressed in one piece, and the page as built when it has no
// place for the frame.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CauseSummary, ScopeStatus, SiteSummary } from '@wardwatch/schema';
import { appFixture, type AppFixture } from './app.fixture.ts';
import { requestWith, sessionCookie, TEST_BASE, testSignOn } from './auth/sessions.fixture.ts';
import { DASHBOARD_PAGE_CACHE_CONTROL } from './dashboard-page.ts';
import { StatusBoard } from './status-board.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const signOn = testSignOn(() => NOW, { trustClaim: true });
const STYLES = 'body { margin: 0; }\nww-app > .first-frame a.tile { display: flex; }\n';
const PAGE = `<!doctype html><html><head><title>wardwatch</title><style>${STYLES}</style>
    <!-- The site list is fetched while the bundle loads. -->
    <link rel="preload" href="api/sites" as="fetch" crossorigin="anonymous" />
    <link rel="modulepreload" href="chunk-XYZ789.js" />
    <script type="module" src="app-ABC123.js"></script></head>
  <body><ww-app></ww-app></body></html>`;

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (id: string, trust: string, status: ScopeStatus['status'] = 'ok', asOf = NOW): ScopeStatus =>
  ({ key: `site:${id}`, scope: 'site', id, trust, site: id, status, reason: status === 'ok' ? '' : 'slow', figures, since: 0, asOf });

const dir = mkdtempSync(join(tmpdir(), 'ww-page-'));
writeFileSync(join(dir, 'index.html'), PAGE);
let fixture: AppFixture;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  // Names are data: one tries to end the JSON block and one to open an element.
  const board = new StatusBoard(
    new Map([
      ['RXX01', { name: 'Xavier </script><script>alert(1)</script>', trust: 'RXX' }],
      ['RXX02', { name: 'Xeno "quoted" & <b>bold</b>', trust: 'RXX' }],
      ['RYY01', { name: 'Yarrow Infirmary', trust: 'RYY' }],
    ]),
  );
  board.applyAll([site('RXX01', 'RXX', 'degraded'), site('RXX02', 'RXX', 'ok', NOW - 10 * 60_000), site('RYY01', 'RYY', 'down')]);
  fixture = await appFixture({ signOn, board, dashboardDir: dir, clock: () => NOW });
  for (const [name, trusts] of [['xena', ['RXX']], ['ada', ['*']]] as const) cookies[name] = await sessionCookie(signOn, { sub: name, name, role: 'viewer', trusts: [...trusts] });
});
afterAll(async () => {
  await fixture.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = async (who: string, path = '/', headers: Record<string, string> = {}) => {
  const res = await requestWith(fixture.app, cookies[who]!, 'GET', path, undefined, { host: 'localhost:8080', ...headers });
  return { res, text: await res.text() };
};
/** The list the page carries for the app, read back as the browser would. */
const dataOf = (html: string): { sites: SiteSummary[]; clock: { now: number; asOf: number } } =>
  JSON.parse(/<script type="application\/json" id="first-frame-data">(.*?)<\/script>/s.exec(html)![1]!);
const tileSites = (html: string) => [...html.matchAll(/<a class="tile"[^>]* data-site="([^"]*)"/g)].map((m) => m[1]);
const cardSites = (html: string) => [...html.matchAll(/<a class="card"[^>]* data-site="([^"]*)"/g)].map((m) => m[1]);

describe('the dashboard page’s first frame', () => {
  it('holds only the sites of the caller’s trusts, in the markup and in the data, and the same list as /api/sites', async () => {
    const { res, text } = await page('xena');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(DASHBOARD_PAGE_CACHE_CONTROL);
    // Three sites are few: cards, as the app draws them.
    expect(cardSites(text).sort()).toEqual(['RXX01', 'RXX02']);
    expect(text).not.toContain('RYY01');
    expect(text).not.toContain('Yarrow');
    const data = dataOf(text);
    const api = (await (await requestWith(fixture.app, cookies.xena!, 'GET', '/api/sites', undefined, { host: 'localhost:8080' })).json()) as SiteSummary[];
    expect(data.sites).toEqual(api);
    expect(data.clock).toEqual({ now: NOW, asOf: fixture.board.asOf() });

    const all = await page('ada');
    expect(cardSites(all.text).sort()).toEqual(['RXX01', 'RXX02', 'RYY01']);
    expect(dataOf(all.text).sites.map((s) => s.id).sort()).toEqual(['RXX01', 'RXX02', 'RYY01']);
  });

  it('sends nothing of the estate before sign-in: a browser is sent to sign in, any other caller refused', async () => {
    const navigation = await fixture.app.request(`${TEST_BASE}/`, { headers: { host: 'localhost:8080', 'sec-fetch-mode': 'navigate' } });
    expect(navigation.status).toBe(302);
    expect(navigation.headers.get('location')).toMatch(/^\/auth\/login/);
    const navigationBody = await navigation.text();
    const other = await fixture.app.request(`${TEST_BASE}/index.html`, { headers: { host: 'localhost:8080' } });
    expect(other.status).toBe(401);
    for (const body of [navigationBody, await other.text()]) {
      for (const leak of ['RXX01', 'RYY01', 'Yarrow', 'first-frame', 'tile']) expect(body).not.toContain(leak);
    }
  });

  it('escapes site names in the markup and cannot be cut short by one in the data', async () => {
    const { text } = await page('xena');
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toContain('<b>bold</b>');
    expect(text).toContain('Xavier &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('Xeno &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    // The data's one script block ends where it should, and gives the names back exactly.
    expect(text.match(/<\/script>/g)).toHaveLength(4); // the deep-link check's, the bundle's, the tile runs' and the data's
    expect(dataOf(text).sites.map((s) => s.name).sort()).toEqual(['Xavier </script><script>alert(1)</script>', 'Xeno "quoted" & <b>bold</b>']);
  });

  it('marks a site whose figures are older than the threshold as stale, with its age, and says so in a banner', async () => {
    const { text } = await page('xena');
    const stale = /<a class="card"[^>]* data-site="RXX02" data-stale=""/.exec(text);
    expect(stale).not.toBeNull();
    expect(text).toMatch(/<span class="age">Stale · as of \d\d:\d\d:\d\d · 10 min old<\/span>/);
    expect(text).not.toMatch(/<a class="card"[^>]* data-site="RXX01" data-stale/);
    expect(text).toContain('1 site(s) have sent no telemetry for over 3 min');
  });

  it('takes the place of the preload: the app reads the list from the page', async () => {
    const { text } = await page('xena');
    expect(text).not.toContain('rel="preload" href="api/sites"');
    // Rendering waits for the whole frame: the expect link in the head names an element after the frame's last.
    expect(text.indexOf('<link rel="expect" href="#first-frame-ready" blocking="render" />')).toBeLessThan(text.indexOf('</head>'));
    expect(text.indexOf('<span id="first-frame-end"></span>')).toBeGreaterThan(text.lastIndexOf('<a class="card"'));
    expect(text.indexOf('<span id="first-frame-end"></span>')).toBeLessThan(text.indexOf('</ww-app>'));
    // … and the tile runs' script after it has run: the element it waits for comes after that script.
    expect(text.indexOf('<span id="first-frame-ready" hidden></span>')).toBeGreaterThan(text.indexOf('data-in-view'));
    // The entry is loaded once the frame is painted, not as a module script run when the page is parsed.
    expect(text).not.toContain('<script type="module"');
    // Nor are its files fetched beside the page: the head's loader preloads the entry and its chunk
    // then (at once for a deep link), and imports the entry.
    expect(text).not.toMatch(/<link rel="modulepreload"/);
    const loader = [...text.slice(0, text.indexOf('</head>')).matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!).find((s) => s.includes('import('))!;
    expect(loader).toContain('["chunk-XYZ789.js","app-ABC123.js"]');
    expect(loader).toMatch(/requestAnimationFrame\(\(\)=>requestAnimationFrame\(\(\)=>setTimeout\(\(\)=>\{if\(!d\)p\(\);import\("\.\/app-ABC123\.js"\)\}\)\)\)/);
    // Client-side routes get the same page.
    expect(cardSites((await page('xena', '/some-route')).text).sort()).toEqual(['RXX01', 'RXX02']);
  });

  it('is compressed in one piece with its length, brotli or gzip by what the browser accepts', async () => {
    const plain = (await page('xena')).text;
    for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
      const res = await requestWith(fixture.app, cookies.xena!, 'GET', '/', undefined, { host: 'localhost:8080', 'accept-encoding': encoding });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      const body = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(body.length);
      // The clock's reading is the same (fixed): the pages are the same text.
      expect(decode(body).toString()).toBe(plain);
    }
  });

  it('allows its inline styles by their hash, for the page alone: no other inline style, nor on other answers', async () => {
    const { res } = await page('xena');
    const hash = `'sha256-${createHash('sha256').update(STYLES).digest('base64')}'`;
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`style-src 'self' ${hash};`);
    expect(csp).not.toMatch(/unsafe-inline/);
    const api = await requestWith(fixture.app, cookies.xena!, 'GET', '/api/sites', undefined, { host: 'localhost:8080' });
    expect(api.headers.get('content-security-policy')).toMatch(/style-src 'self';/);
  });

  it('allows the frame’s three inline scripts (the deep-link check and the entry’s loader in the head, the tile runs’ after the frame) by their hashes, for the page alone', async () => {
    const { res, text } = await page('xena');
    const head = text.slice(0, text.indexOf('</head>'));
    const inline = [...head.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(2);
    expect(inline[0]).toContain('location.hash');
    expect(inline[1]).toContain('import("./app-ABC123.js")');
    const afterFrame = /<\/ww-app><script>([^]*?)<\/script>/.exec(text)![1]!;
    expect(afterFrame).toContain('data-in-view');
    inline.push(afterFrame);
    // No other script without a source anywhere in the page but the data block, which is never run.
    expect([...text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!.trim())).toEqual(['', '', '', 'type="application/json" id="first-frame-data"']);
    const hashes = inline.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`).join(' ');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src 'self' ${hashes};`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const api = await requestWith(fixture.app, cookies.xena!, 'GET', '/api/sites', undefined, { host: 'localhost:8080' });
    expect(api.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
  });

  it('goes as built when the page has no empty <ww-app> to fill', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'ww-page-bare-'));
    writeFileSync(join(bare, 'index.html'), '<!doctype html><title>wardwatch</title><script type="module" src="app.js"></script>');
    const other = await appFixture({ board: fixture.board, dashboardDir: bare });
    try {
      const res = await other.app.request('/', { headers: { host: 'localhost' } });
      expect(await res.text()).toBe('<!doctype html><title>wardwatch</title><script type="module" src="app.js"></script>');
      // No frame, no inline script: none allowed.
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    } finally {
      await other.close();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

// Many sites: tiles, in the grid's order, the sites needing attention also as cards.
describe('the first frame at scale', () => {
  it('draws a tile per site, worst first, and the first twelve needing attention as cards', async () => {
    const board = new StatusBoard(new Map(Array.from({ length: 60 }, (_, i) => [`S${String(i).padStart(2, '0')}`, { name: `Site ${i}`, trust: 'RXX' }])));
    board.applyAll(Array.from({ length: 60 }, (_, i) => site(`S${String(i).padStart(2, '0')}`, 'RXX', i % 4 === 0 ? 'degraded' : i % 15 === 1 ? 'down' : 'ok')));
    const many = await appFixture({ board, dashboardDir: dir, clock: () => NOW });
    try {
      const text = await (await many.app.request('/', { headers: { host: 'localhost' } })).text();
      const tiles = tileSites(text);
      expect(tiles).toHaveLength(60);
      expect(new Set(tiles).size).toBe(60);
      const order = { down: 0, degraded: 1, unknown: 2, ok: 3 } as const;
      const statuses = tiles.map((id) => board.siteSummary(id!)!.status);
      expect(statuses).toEqual([...statuses].sort((a, b) => order[a] - order[b]));
      const attention = statuses.filter((s) => s !== 'ok').length;
      expect(cardSites(text)).toHaveLength(12);
      expect(text).toContain(`Needs attention (${attention})`);
      expect(text).toContain(`${attention - 12} more in the heat map below.`);
    } finally {
      await many.close();
    }
  });
});

// The likely causes above the grid: the caller's trusts' only, the same as /api/causes answers them.
describe('the first frame’s likely causes', () => {
  /** A ward where the board's attribution finds a failing access point (four devices slow on it) and a slow device. */
  const wardWithCauses = (siteId: string, trust: string, octet: string): ScopeStatus[] => {
    const [failing, healthy] = [`3c:a8:2a:${octet}:00:01`, `3c:a8:2a:${octet}:00:02`]; // a BSSID is unique across the estate
    const scope = (key: string, kind: ScopeStatus['scope'], id: string, p95Ms: number, ap?: string): ScopeStatus => ({
      key, scope: kind, id, trust, site: siteId, ward: 'W01', ...(ap ? { ap } : {}), status: p95Ms > 2000 ? 'degraded' : 'ok', reason: p95Ms > 2000 ? 'slow' : '',
      figures: { ...figures, p95Ms, p50Ms: p95Ms / 2 }, since: 0, asOf: NOW,
    });
    const device = (n: number, ap: string, p95Ms: number) => scope(`device:${siteId}-D${n}`, 'device', `${siteId}-D${n}`, p95Ms, ap);
    return [
      scope(`ward:${siteId}/W01`, 'ward', `${siteId}/W01`, 2600),
      scope(`ap:${failing}`, 'ap', failing, 4600),
      scope(`ap:${healthy}`, 'ap', healthy, 600),
      ...[1, 2, 3, 4].map((n) => device(n, failing, 4500 + n * 50)),
      ...[5, 6, 7, 8, 9, 10].map((n) => device(n, healthy, 550 + n * 10)),
      device(11, healthy, 5200),
    ];
  };

  it('draws the causes of the caller’s trusts only, and carries the same list as /api/causes', async () => {
    const board = new StatusBoard(new Map([['RXX01', { name: 'Xavier', trust: 'RXX' }], ['RYY01', { name: 'Yarrow', trust: 'RYY' }]]));
    board.applyAll([site('RXX01', 'RXX', 'degraded'), site('RYY01', 'RYY', 'degraded'), ...wardWithCauses('RXX01', 'RXX', 'a1'), ...wardWithCauses('RYY01', 'RYY', 'b1')]);
    const scoped = await appFixture({ signOn, board, dashboardDir: dir, clock: () => NOW });
    try {
      const xena = await sessionCookie(signOn, { sub: 'xena', name: 'xena', role: 'viewer', trusts: ['RXX'] });
      const text = await (await requestWith(scoped.app, xena, 'GET', '/', undefined, { host: 'localhost:8080' })).text();
      const data = JSON.parse(/<script type="application\/json" id="first-frame-data">(.*?)<\/script>/s.exec(text)![1]!) as { causes: Array<{ culprit: string }> };
      const api = (await (await requestWith(scoped.app, xena, 'GET', '/api/causes', undefined, { host: 'localhost:8080' })).json()) as Array<{ culprit: string }>;
      expect(data.causes).toEqual(api);
      expect(api.map((c) => c.culprit).sort()).toEqual(['ap:3c:a8:2a:a1:00:01', 'device:RXX01-D11']);
      const drawn = [...text.matchAll(/<li data-culprit="([^"]*)"/g)].map((m) => m[1]);
      expect(drawn.sort()).toEqual(['ap:3c:a8:2a:a1:00:01', 'device:RXX01-D11']);
      expect(text).not.toContain('RYY01');
    } finally {
      await scoped.close();
    }
  });

  it('marks the causes felt at a site in planned maintenance, in /api/causes and the first frame alike', async () => {
    const board = new StatusBoard(new Map([['RXX01', { name: 'Xavier', trust: 'RXX' }], ['RXX02', { name: 'Xenia', trust: 'RXX' }]]));
    board.applyAll([site('RXX01', 'RXX', 'degraded'), site('RXX02', 'RXX', 'degraded'), ...wardWithCauses('RXX01', 'RXX', 'a1'), ...wardWithCauses('RXX02', 'RXX', 'a2')]);
    const open = await appFixture({ board, dashboardDir: dir, clock: () => NOW });
    const get = (path: string) => open.app.request(path, { headers: { host: 'localhost:8080' } });
    try {
      const window = { trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'Wi-Fi survey', start: NOW - 3_600_000, end: NOW + 3_600_000 };
      const posted = await open.app.request('/api/annotations', { method: 'POST', headers: { host: 'localhost:8080', 'content-type': 'application/json' }, body: JSON.stringify(window) });
      expect(posted.status).toBe(201);
      const api = (await (await get('/api/causes')).json()) as CauseSummary[];
      expect(Object.fromEntries(api.map((c) => [c.culprit, c.maintenance ?? null]))).toEqual({
        'ap:3c:a8:2a:a1:00:01': ['RXX01'],
        'device:RXX01-D11': ['RXX01'],
        'ap:3c:a8:2a:a2:00:01': null,
        'device:RXX02-D11': null,
      });
      const text = await (await get('/')).text();
      const data = JSON.parse(/<script type="application\/json" id="first-frame-data">(.*?)<\/script>/s.exec(text)![1]!) as { causes: CauseSummary[] };
      expect(data.causes).toEqual(api);
      const marked = [...text.matchAll(/<li data-culprit="([^"]*)" data-cause="[a-z]+" data-maintenance>/g)].map((m) => m[1]);
      expect(marked.sort()).toEqual(['ap:3c:a8:2a:a1:00:01', 'device:RXX01-D11']);
      // The window deleted: no cause is marked.
      const { id } = (await posted.json()) as { id: string };
      expect((await open.app.request(`/api/annotations/${id}`, { method: 'DELETE', headers: { host: 'localhost:8080' } })).status).toBe(204);
      expect(((await (await get('/api/causes')).json()) as CauseSummary[]).filter((c) => c.maintenance)).toEqual([]);
    } finally {
      await open.close();
    }
  });
});
