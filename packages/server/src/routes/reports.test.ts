import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeValues } from '@wardwatch/sketch';
import { EvidencePack, type ScopeStatus } from '@wardwatch/schema';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { StatusBoard } from '../status-board.ts';
import { directoryFromBoard, reportRoutes, requestedFormat } from './reports.ts';

const OCT_FROM = Date.UTC(2026, 8, 30, 23); // 1 October 00:00 BST
const directory = () => ({
  source: 'test',
  sites: [{ id: 'S1', trust: 'RXX', name: 'Royal Infirmary' }],
  devices: Array.from({ length: 6 }, (_, i) => ({ id: `D${i}`, site: 'S1', ward: 'W1' })),
  accessPoints: [],
});

let store: SqliteRollupStore;
let app: ReturnType<typeof reportRoutes>;

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  const records: RollupRecord[] = [];
  for (let h = 0; h < 48; h++) {
    const start = OCT_FROM + h * 3_600_000;
    const logons = [12_000, 25_000, 41_000, 55_000];
    records.push({ scope: 'site:S1', metric: 'logon.totalMs', resolution: '1h', start, count: 4, valid: 4, good: 4, fast: 2, sketch: encodeValues(logons) });
    const checks = [400, 900, 2_600, 3_100];
    records.push({ scope: 'siteapp:S1/epr', metric: 'app.totalMs', resolution: '1h', start, count: 4, valid: 5, good: 4, fast: 2, sketch: encodeValues(checks) });
  }
  await store.write(records);
  app = reportRoutes({ store, board: new StatusBoard(), directory, version: '9.9.9', now: () => Date.UTC(2026, 10, 1) });
});
afterAll(() => store.close());

describe('GET /reports/:trust/:month', () => {
  it('answers the pack as JSON by default, for the London month (October: 745 hours)', async () => {
    const res = await app.request('/reports/RXX/2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const pack = EvidencePack.parse(await res.json());
    expect(pack.method.period.hours).toBe(745);
    expect(pack.method.softwareVersion).toBe('9.9.9');
    // 48 hours × (11 s + 25 s) beyond 30 s at logon.
    expect(pack.summary.timeLost.logonHours).toBeGreaterThan(48 * 35 / 3600);
    expect(pack.summary.timeLost.logonHours).toBeLessThan(48 * 37 / 3600);
  });

  it.each([
    ['/reports/RXX/2026-10.csv', undefined, /^text\/csv/, 'trust,month,section'],
    ['/reports/RXX/2026-10.html', undefined, /^text\/html/, '<!doctype html>'],
    ['/reports/RXX/2026-10', 'text/csv', /^text\/csv/, 'trust,month,section'],
    ['/reports/RXX/2026-10', 'text/html,application/xhtml+xml;q=0.9', /^text\/html/, '<!doctype html>'],
  ])('%s (Accept %s) answers %s', async (path, accept, type, start) => {
    const res = await app.request(path, accept ? { headers: { accept } } : {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect((await res.text()).startsWith(start)).toBe(true);
  });

  it('prints the PDF with Chromium, as an attachment', async () => {
    const res = await app.request('/reports/RXX/2026-10.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="wardwatch-RXX-2026-10.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('answers 404 for a trust the directory does not know, rather than another trust\'s figures', async () => {
    for (const path of ['/reports/NOPE/2026-10', '/reports/rxx/2026-10.pdf']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe(`no trust "${path.split('/')[2]}": the test knows RXX`);
    }
  });

  it.each([
    ['/reports/RXX/2026-13', /month "2026-13": must be a month as YYYY-MM/],
    ['/reports/RXX/October', /must be a month as YYYY-MM/],
    ['/reports/RXX/2026-10.docx', /unknown report format "\.docx"/],
    ['/reports/RXX/2026-10?site=S9', /site S9 is not one of trust RXX's sites \(S1\)/],
  ])('%s → 400 saying what was wrong', async (path, message) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });
});

describe('reports when signed in', () => {
  const as = (trusts: string[]) => {
    const guarded = new Hono();
    guarded.use(async (c, next) => {
      c.set('principal', { sub: 'u1', name: 'Ann Viewer', role: 'viewer', trusts } as never);
      await next();
    });
    guarded.route('/', app);
    return guarded;
  };

  it('serves only the trusts the caller holds', async () => {
    // As a trust that does not exist: a probe cannot tell the two apart.
    const refused = await as(['RYY']).request('/reports/RXX/2026-10');
    expect(refused.status).toBe(404);
    expect((await refused.json()).error).toBe('no trust "RXX"');
    expect((await as(['RYY', 'RXX']).request('/reports/RXX/2026-10')).status).toBe(200);
    expect((await as(['*']).request('/reports/RXX/2026-10')).status).toBe(200);
  });
});

describe('report helpers', () => {
  it.each([
    ['2026-10.pdf', undefined, { month: '2026-10', format: 'pdf' }],
    ['2026-10', 'application/pdf', { month: '2026-10', format: 'pdf' }],
    ['2026-10', '*/*', { month: '2026-10', format: 'json' }],
    ['2026-10.JSON', 'text/html', { month: '2026-10', format: 'json' }],
  ])('%s with Accept %s → %j', (month, accept, expected) => {
    expect(requestedFormat(month, accept)).toEqual(expected);
  });

  it('places devices and access points as the status board knows them', () => {
    const board = new StatusBoard(new Map([['S1', { name: 'Royal Infirmary', trust: 'RXX' }]]) as never);
    const status = (key: string, scope: ScopeStatus['scope'], extra: Partial<ScopeStatus>): ScopeStatus => ({
      key, scope, id: key.slice(key.indexOf(':') + 1), trust: 'RXX', site: 'S1', status: 'ok', reason: '', since: 0, asOf: 0,
      figures: { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, logons: 0, logonP95Ms: null, wifiSignalDbm: null }, ...extra,
    }) as ScopeStatus;
    board.applyAll([
      status('site:S1', 'site', {}),
      status('device:D1', 'device', { ward: 'W1', ap: '3c:a8:2a:00:00:01' }),
      status('device:D2', 'device', { ward: 'W1', ap: '3c:a8:2a:00:00:01' }),
      status('ap:3c:a8:2a:00:00:01', 'ap', { ward: 'W1' }),
    ]);
    const d = directoryFromBoard(board);
    expect(d.devices).toEqual([{ id: 'D1', site: 'S1', ward: 'W1' }, { id: 'D2', site: 'S1', ward: 'W1' }]);
    expect(d.accessPoints).toEqual([{ id: '3c:a8:2a:00:00:01', site: 'S1', ward: 'W1', devices: 2 }]);
    expect(d.sites.map((s) => s.id)).toEqual(['S1']);
  });
});
