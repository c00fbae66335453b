import { describe, expect, it, vi } from 'vitest';
import { LiveAttribution, WholeEstateAttribution } from '@wardwatch/attribution';
import type { ScopeStatus } from '@wardwatch/schema';
import { SITE_NETWORK_REFRESH_MS, StatusBoard } from './status-board.ts';

// Counts the board's attribution runs (the real ones run), by site or of the whole estate: a batch
// that changes nothing attribution reads must not run one.
const bySiteRuns = vi.spyOn(LiveAttribution.prototype, 'run');
const wholeEstateRuns = vi.spyOn(WholeEstateAttribution.prototype, 'run');
const attributions = {
  get runs() {
    return bySiteRuns.mock.calls.length + wholeEstateRuns.mock.calls.length;
  },
};

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
function status(key: string, overrides: Partial<ScopeStatus> = {}): ScopeStatus {
  const [scope, id] = key.split(/:(.*)/s) as [ScopeStatus['scope'], string];
  return { key, scope, id, trust: 'RXX', site: 'S1', status: 'ok', reason: '', figures, since: 0, asOf: 1000, ...overrides };
}

describe('StatusBoard', () => {
  it('lists directory sites before they report, as unknown', () => {
    const board = new StatusBoard(new Map([['S9', { name: 'Nine', trust: 'RXX' }]]));
    expect(board.sites()).toEqual([
      expect.objectContaining({ id: 'S9', name: 'Nine', status: 'unknown', reason: 'no telemetry received yet', p95Ms: null }),
    ]);
  });

  it('sorts sites worst first and takes figures from the site status', () => {
    const board = new StatusBoard();
    board.apply(status('site:S1', { id: 'S1' }));
    board.apply(status('site:S2', { id: 'S2', site: 'S2', status: 'degraded', reason: 'slow' }));
    board.apply(status('site:S3', { id: 'S3', site: 'S3', status: 'down', reason: 'unreachable' }));
    expect(board.sites().map((s) => [s.id, s.status])).toEqual([
      ['S3', 'down'],
      ['S2', 'degraded'],
      ['S1', 'ok'],
    ]);
    expect(board.siteSummary('S1')).toMatchObject({ p95Ms: 800, availability: 1, logonP95Ms: 20_000, appChecks: 10, logons: 2 });
    // The slow counts, where the site's figures carry them; absent (not zero) where they do not.
    expect(board.siteSummary('S1')).not.toHaveProperty('slowLogons');
    board.apply(status('site:S1', { id: 'S1', asOf: 2000, figures: { ...figures, slowAppChecks: 0, slowLogons: 1 } }));
    expect(board.siteSummary('S1')).toMatchObject({ logons: 2, slowAppChecks: 0, slowLogons: 1 });
  });

  it('ignores a status older than the one it holds', () => {
    const board = new StatusBoard();
    board.apply(status('device:D1', { asOf: 2000, status: 'degraded', reason: 'slow' }));
    board.apply(status('device:D1', { asOf: 1000 }));
    expect(board.get('device:D1')?.status).toBe('degraded');
  });

  it('tells listeners whether the state or reason changed', () => {
    const board = new StatusBoard();
    const seen: Array<[string, boolean]> = [];
    board.subscribe((s, changed) => seen.push([s.status, changed]));
    board.apply(status('device:D1', { asOf: 1 }));
    board.apply(status('device:D1', { asOf: 2 }));
    board.apply(status('device:D1', { asOf: 3, status: 'degraded', reason: 'slow' }));
    expect(seen).toEqual([
      ['ok', true],
      ['ok', false],
      ['degraded', true],
    ]);
  });

  it('finds the scopes within a site and filters devices by state', () => {
    const board = new StatusBoard();
    board.apply(status('device:D1'));
    board.apply(status('device:D2', { status: 'degraded', reason: 'slow' }));
    board.apply(status('device:D3', { site: 'S2' }));
    board.apply(status('ward:S1/W1'));
    expect(board.within('S1', 'device').map((s) => s.id)).toEqual(['D2', 'D1']);
    expect(board.within('S1', 'ward').map((s) => s.id)).toEqual(['S1/W1']);
    expect(board.list('device', ['degraded']).map((s) => s.id)).toEqual(['D2']);
  });

  it('attributes each batch across the whole board, tells listeners when a cause appears, and lists causes', () => {
    const board = new StatusBoard();
    const device = (n: number, slow: boolean) =>
      status(`device:D${n}`, {
        ward: 'W1',
        status: slow ? 'degraded' : 'ok',
        reason: slow ? 'slow' : '',
        figures: { ...figures, appChecks: 60, p95Ms: slow ? 4000 : 700, cpuPct: slow ? 96 : 20 },
      });
    const seen: Array<[string, string | undefined, boolean]> = [];
    board.subscribe((s, changed) => seen.push([s.key, s.cause?.culprit, changed]));
    board.applyAll([device(1, false), device(2, false), device(3, false)]);
    expect(board.causes()).toEqual([]);
    seen.length = 0;
    board.applyAll([{ ...device(4, true), asOf: 2000 }]);
    expect(board.get('device:D4')?.cause).toMatchObject({ kind: 'device', culprit: 'device:D4', evidence: expect.stringMatching(/p95 4\.0 s against 700 ms .*CPU median 96 %/) });
    expect(seen).toEqual([['device:D4', 'device:D4', true]]);
    expect(board.causes()).toEqual([
      expect.objectContaining({ culprit: 'device:D4', kind: 'device', siteIds: ['S1'], affected: { sites: 0, wards: 0, accessPoints: 0, devices: 1, applications: 0 } }),
    ]);
    // Recovered: the cause goes with the degradation.
    board.applyAll([{ ...device(4, false), asOf: 3000 }]);
    expect(board.get('device:D4')?.cause).toBeUndefined();
    expect(board.causes()).toEqual([]);
  });

  it('attributes again only when a batch changes what attribution reads, and keeps the causes found meanwhile', () => {
    const board = new StatusBoard();
    const device = (n: number, slow: boolean, asOf: number, extra: Partial<ScopeStatus['figures']> = {}) =>
      status(`device:D${n}`, { ward: 'W1', asOf, status: slow ? 'degraded' : 'ok', reason: slow ? 'slow' : '', figures: { ...figures, appChecks: 60, p95Ms: slow ? 4000 : 700, ...extra } });
    const site = (asOf: number, p95Ms: number) => status('site:S1', { id: 'S1', asOf, status: 'degraded', reason: 'slow', figures: { ...figures, p95Ms } });
    board.applyAll([device(1, false, 1), device(2, false, 1), device(3, false, 1), device(4, true, 1), site(1, 2500)]);
    const runs = attributions.runs;
    const cause = board.get('device:D4')!.cause;
    expect(cause).toMatchObject({ culprit: 'device:D4' });
    const seen: Array<[string, boolean]> = [];
    board.subscribe((s, changed) => seen.push([s.key, changed]));

    // A tick between window ends: the site's own figures and time, a device's reason and time.
    board.applyAll([site(2, 2700), { ...device(4, true, 2), reason: 'slower' }]);
    expect(attributions.runs).toBe(runs);
    expect(board.get('device:D4')).toMatchObject({ asOf: 2, reason: 'slower', cause });
    expect(board.get('site:S1')).toMatchObject({ asOf: 2, cause: { culprit: 'device:D4' } });
    expect(seen).toEqual([['site:S1', false], ['device:D4', true]]);

    // A figure the rules read (a neighbour's p95): attributed afresh.
    board.applyAll([device(1, false, 3, { p95Ms: 900 })]);
    expect(attributions.runs).toBe(runs + 1);
    // A scope seen for the first time: attributed afresh.
    board.applyAll([device(5, false, 3)]);
    expect(attributions.runs).toBe(runs + 2);
    // And a state change: D4 recovers, its cause goes.
    board.applyAll([device(4, false, 4)]);
    expect(attributions.runs).toBe(runs + 3);
    expect(board.get('device:D4')!.cause).toBeUndefined();
    expect(board.causes()).toEqual([]);
  });

  it('rewords a site’s cause for its name resolution and gateway at most every SITE_NETWORK_REFRESH_MS of event time', () => {
    const board = new StatusBoard();
    const device = (n: number, site: string, slow: boolean) =>
      status(`device:${site}-D${n}`, { site, ward: 'W1', status: slow ? 'degraded' : 'ok', reason: slow ? 'slow' : '', figures: { ...figures, appChecks: 60, p95Ms: slow ? 4000 : 700 } });
    const site = (id: string, asOf: number, dnsP95Ms: number) =>
      status(`site:${id}`, { id, site: id, asOf, status: id === 'S1' ? 'degraded' : 'ok', reason: id === 'S1' ? 'slow' : '', figures: { ...figures, dnsP95Ms } });
    // S1 slow everywhere (its devices and its only ward), S2 and S3 fine.
    board.applyAll([
      ...[1, 2, 3].flatMap((n) => [device(n, 'S1', true), device(n, 'S2', false), device(n, 'S3', false)]),
      status('ward:S1/W1', { site: 'S1', ward: 'W1', status: 'degraded', reason: 'slow' }),
      site('S1', 1000, 3000), site('S2', 1000, 10), site('S3', 1000, 12),
    ]);
    const runs = attributions.runs;
    expect(board.get('site:S1')!.cause).toMatchObject({ culprit: 'site:S1', summary: 'network: site S1 (name resolution)', evidence: expect.stringMatching(/DNS lookups p95 3\.0 s against 11 ms/) });
    // Name resolution moves at the next ticks: the cause keeps its words until the refresh is due.
    board.applyAll([site('S1', 1000 + SITE_NETWORK_REFRESH_MS - 250, 20), site('S2', 1000 + SITE_NETWORK_REFRESH_MS - 250, 10)]);
    expect(attributions.runs).toBe(runs);
    expect(board.get('site:S1')!.cause!.summary).toBe('network: site S1 (name resolution)');
    // Then it is reworded (and who is blamed is the same).
    board.applyAll([site('S1', 1000 + SITE_NETWORK_REFRESH_MS, 20)]);
    expect(attributions.runs).toBe(runs + 1);
    expect(board.get('site:S1')!.cause).toMatchObject({ culprit: 'site:S1', summary: 'network: site S1' });
    expect(board.get('device:S1-D1')!.cause).toMatchObject({ culprit: 'site:S1' });
    // A site's figures attribution does not read move nothing, however long after.
    board.applyAll([{ ...site('S2', 1000 + 5 * SITE_NETWORK_REFRESH_MS, 10), figures: { ...figures, dnsP95Ms: 10, p95Ms: 900 } }]);
    expect(attributions.runs).toBe(runs + 1);
  });
});

describe('StatusBoard live edges', () => {
  const site = (id: string, asOf: number, partition: number | undefined, trust = 'RXX') =>
    status(`site:${id}`, { id, site: id, trust, asOf, ...(partition === undefined ? {} : { partition }) });
  const edge = (partitions: number[], asOf: number) => ({ key: `edge:${partitions.join(',')}`, partitions, asOf });

  it.each<[string, number | undefined, Array<ReturnType<typeof edge>>, number]>([
    // [case, the site's partition, edges applied after its status (asOf 1000), the site's time then]
    ['its partition’s edge, later than its status', 2, [edge([2], 1_250)], 1_250],
    ['the latest of several', 2, [edge([1, 2], 1_250), edge([2], 1_500)], 1_500],
    ['an edge older than one already applied is ignored', 2, [edge([2], 1_500), edge([2], 1_250)], 1_500],
    ['an edge older than the status itself', 2, [edge([2], 750)], 1_000],
    ['another partition’s edge', 2, [edge([3], 1_250)], 1_000],
    ['no partition named (a writer that publishes every site at every tick)', undefined, [edge([2], 1_250)], 1_000],
  ])('a site is as of %s', (_case, partition, edges, asOf) => {
    const board = new StatusBoard();
    board.apply(site('S1', 1_000, partition));
    for (const e of edges) board.applyAll([], [e]);
    expect(board.siteSummary('S1')!.asOf).toBe(asOf);
    expect(board.get('site:S1')!.asOf).toBe(asOf);
    expect(board.list('site')[0]!.asOf).toBe(asOf);
  });

  it('takes a status again after the edge, and follows a site to another partition', () => {
    const board = new StatusBoard();
    board.apply(site('S1', 1_000, 2));
    board.applyAll([], [edge([2], 1_500)]);
    board.apply(site('S1', 1_750, 5));
    expect(board.siteSummary('S1')!.asOf).toBe(1_750);
    board.applyAll([], [edge([2], 2_000)]);
    expect(board.siteSummary('S1')!.asOf).toBe(1_750);
    board.applyAll([], [edge([5], 2_000)]);
    expect(board.siteSummary('S1')!.asOf).toBe(2_000);
    expect(board.asOf()).toBe(2_000);
  });

  it('tells time listeners the trusts whose sites moved, and status listeners nothing', () => {
    const board = new StatusBoard();
    board.applyAll([site('S1', 1_000, 0, 'RA'), site('S2', 1_000, 1, 'RB'), site('S3', 1_000, 1, 'RC')]);
    const times: string[][] = [];
    let statuses = 0;
    board.subscribeTime((trusts) => times.push([...trusts].sort()));
    board.subscribe(() => statuses++);
    board.applyAll([], [edge([1], 1_250)]);
    board.applyAll([], [edge([1], 1_250)]); // moves nothing
    board.applyAll([], [edge([0, 1], 1_500)]);
    expect(times).toEqual([['RB', 'RC'], ['RA', 'RB', 'RC']]);
    expect(statuses).toBe(0);
  });

  it('gives status listeners a status as of its partition’s edge when both come in one batch', () => {
    const board = new StatusBoard();
    const seen: number[] = [];
    board.subscribe((s) => seen.push(s.asOf));
    board.applyAll([site('S1', 1_000, 0)], [edge([0], 1_250)]);
    expect(seen).toEqual([1_250]);
  });
});
