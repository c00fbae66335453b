// The first frame as text: the grid's default view for a few sites (cards) and many (tiles), every
// tile stale when the whole estate is (the processor behind the server's clock), the page's data
// block that cannot be ended early, and the page left alone when it has no place for the frame.
import { describe, expect, it } from 'vitest';
import type { CauseSummary, SiteSummary } from '@wardwatch/schema';
import { firstFrameDataHtml, firstFrameHtml, withFirstFrame } from './first-frame.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const site = (i: number, extra: Partial<SiteSummary> = {}): SiteSummary => ({
  id: `S${String(i).padStart(3, '0')}`, name: `Site ${i}`, trust: 'RXX', status: 'ok', reason: '', p95Ms: 900, availability: 0.999, logonP95Ms: 21_000, appChecks: 60, asOf: NOW - 20_000, ...extra,
});
const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('the first frame', () => {
  it.each([
    ['no sites: the grid waits', 0, 0, 0],
    ['a few sites: a card each', 48, 48, 0],
    ['many: a tile each', 49, 0, 49],
  ])('%s', (_, n, cards, tiles) => {
    const html = firstFrameHtml({ sites: Array.from({ length: n }, (_, i) => site(i)), clock: { now: NOW, asOf: NOW } }, NOW);
    expect(count(html, /<a class="card"/g)).toBe(cards);
    expect(count(html, /<a class="tile"/g)).toBe(tiles);
    expect(html.includes('Waiting for the first figures…')).toBe(n === 0);
    expect(html).toContain(`<p class="summary">${n} sites · 0 down · 0 degraded`);
  });

  it('greys every tile and says why when the newest figures trail the server’s clock past the threshold', () => {
    const sites = Array.from({ length: 60 }, (_, i) => site(i, { asOf: NOW - 60_000 }));
    const lagging = firstFrameHtml({ sites, clock: { now: NOW + 5 * 60_000, asOf: NOW - 60_000 } }, NOW);
    expect(count(lagging, /<a class="tile"[^>]* data-stale=""/g)).toBe(60);
    expect(lagging).toMatch(/<p class="banner" role="alert" data-stale-banner>○ Figures are stale — No new figures since \d\d:\d\d:\d\d \(6 min behind the server&#39;s clock\)/);
    const fresh = firstFrameHtml({ sites, clock: { now: NOW, asOf: NOW - 60_000 } }, NOW);
    expect(count(fresh, /data-stale/g)).toBe(0);
    expect(fresh).not.toContain('banner');
  });

  it('writes the likely causes above the grid as the panel draws them, their words escaped; none, an empty place', () => {
    const cause: CauseSummary = {
      kind: 'network', culprit: 'site:S001', summary: 'network: site S001', evidence: 'gateway round trip p95 105 ms against 4 ms <elsewhere>',
      affected: { sites: 1, wards: 8, accessPoints: 16, devices: 1_280, applications: 0 }, siteIds: ['S001'],
    };
    const html = firstFrameHtml({ sites: [site(1)], clock: { now: NOW, asOf: NOW }, causes: [cause] }, NOW);
    expect(html).toContain(
      '<div class="causes"><section aria-labelledby="causes-heading"><h2 id="causes-heading">Likely causes</h2><ul><li data-culprit="site:S001" data-cause="network"><span class="kind">⌁ Network</span>site S001'
        + '<span class="felt"> · felt by 1 site, 8 wards, 16 access points, 1,280 devices · <a href="#/sites/S001">S001</a></span>'
        + '<p class="evidence" title="gateway round trip p95 105 ms against 4 ms &lt;elsewhere&gt;">gateway round trip p95 105 ms against 4 ms &lt;elsewhere&gt;</p></li></ul></section></div>',
    );
    // The causes come first: the grid's controls and sites are under them.
    expect(html.indexOf('Likely causes')).toBeLessThan(html.indexOf('<form role="search"'));
    expect(firstFrameHtml({ sites: [site(1)], clock: { now: NOW, asOf: NOW } }, NOW)).toContain('<div class="causes"></div>');
  });

  it('lists the three widest-felt causes and counts the rest, with a link to the degraded devices', () => {
    const cause = (i: number, kind: CauseSummary['kind']): CauseSummary => ({
      kind, culprit: `${kind === 'device' ? 'device' : 'ap'}:X${i}`, summary: `${kind}: X${i}`, evidence: 'e', affected: { sites: 1, wards: 0, accessPoints: 0, devices: 1, applications: 0 }, siteIds: ['S001'],
    });
    const frame = (causes: CauseSummary[]) => firstFrameHtml({ sites: [site(1)], clock: { now: NOW, asOf: NOW }, causes }, NOW);
    const seven = frame([0, 1, 2].map((i) => cause(i, 'network')).concat([3, 4, 5].map((i) => cause(i, 'device')), [cause(6, 'network')]));
    expect(count(seven, /<li /g)).toBe(3);
    expect(seven).toContain('<p class="more">and 4 more likely causes (3 of them devices at fault on their own) · <a href="#/devices">Degraded devices</a></p>');
    expect(frame([0, 1, 2, 3].map((i) => cause(i, 'device')))).toContain('<p class="more">and 1 more likely cause (a device at fault on its own)');
    expect(frame([0, 1, 2, 3, 4].map((i) => cause(i, 'device')))).toContain('<p class="more">and 2 more likely causes (all devices at fault on their own)');
    expect(frame([0, 1, 2].map((i) => cause(i, 'network')))).not.toContain('class="more"');
  });

  it('writes its data so that no text in it ends the block, and reads back exactly', () => {
    const tricky = site(1, { name: '</script><script>alert(1)</script> \u2028 <!--' });
    const block = firstFrameDataHtml({ sites: [tricky], clock: { now: NOW, asOf: NOW } });
    expect(block.match(/<\/script/gi)).toHaveLength(1);
    expect(block).not.toContain('<!--');
    const json = /^<script type="application\/json" id="first-frame-data">(.*)<\/script>$/s.exec(block)![1]!;
    expect(JSON.parse(json).sites[0].name).toBe(tricky.name);
  });

  it('goes into an empty <ww-app> with the runs’ script after it, holds rendering until parsed, and drops the site list’s preload', () => {
    const page = '<html><head><link rel="preload" href="api/sites" as="fetch" crossorigin="anonymous" /></head><body><ww-app></ww-app></body></html>';
    const out = withFirstFrame(page, { sites: [site(1)], clock: { now: NOW, asOf: NOW } }, NOW);
    expect(out).not.toContain('api/sites');
    expect(out).toMatch(/<link rel="expect" href="#first-frame-ready" blocking="render" \/>\s*<\/head>/);
    expect(out).toMatch(/<ww-app><div class="first-frame">.*<span id="first-frame-end"><\/span><\/div><\/ww-app><script>[^]*?<\/script><span id="first-frame-ready" hidden><\/span>\s*<script type="application\/json" id="first-frame-data">/s);
    for (const other of ['<html><body><ww-app id="x"></ww-app></body></html>', '<html><body><p>no app</p></body></html>']) {
      expect(withFirstFrame(other, { sites: [site(1)], clock: { now: NOW, asOf: NOW } }, NOW)).toBe(other);
    }
  });
});
