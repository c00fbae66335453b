// The tile and card as text: the attributes the grid's tile carries, by status, staleness and alerts;
// every value escaped.
import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { cardHtml, codeShrink, escapeHtml, pagesAndMaintenanceText, tileHtml, tileParts } from './site-markup.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const site = (extra: Partial<SiteSummary> = {}): SiteSummary => ({
  id: 'RXX01', name: 'Royal Infirmary', trust: 'RXX', status: 'ok', reason: '', p95Ms: 900, availability: 0.999, logonP95Ms: 21_000, appChecks: 60, asOf: NOW - 30_000, ...extra,
});
const clock = { now: NOW, asOf: NOW };

describe('escapeHtml', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['</script><img src=x onerror=alert(1)>', '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'],
    [`"double" 'single'`, '&quot;double&quot; &#39;single&#39;'],
  ])('%s', (input, expected) => expect(escapeHtml(input)).toBe(expected));
});

describe('a tile', () => {
  it.each([
    ['an OK site', site(), false, { text: '✓\u2009RXX01', status: 'ok', stale: false, paging: false, label: 'RXX01, Royal Infirmary — OK — under a minute old' }],
    ['a degraded one says why', site({ status: 'degraded', reason: 'app p95 3.4 s' }), false, { text: '▲\u2009RXX01', status: 'degraded', stale: false, paging: false, label: 'RXX01, Royal Infirmary — Degraded — app p95 3.4 s — under a minute old' }],
    ['a paging one counts its alerts', site({ alerts: { page: 1, ticket: 2, slos: ['logon'] } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 1 page, 2 tickets — under a minute old' }],
    ['an acknowledged page says so', site({ alerts: { page: 1, ticket: 2, slos: ['logon'], acknowledged: 1, acknowledgedPages: 1 } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 1 page (acknowledged), 2 tickets — under a minute old' }],
    ['acknowledged tickets are not a page in hand', site({ alerts: { page: 1, ticket: 3, slos: ['logon'], acknowledged: 3 } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 1 page, 3 tickets (acknowledged) — under a minute old' }],
    ['some of each', site({ alerts: { page: 2, ticket: 3, slos: ['logon'], acknowledged: 2, acknowledgedPages: 1 } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 2 pages (1 acknowledged), 3 tickets (1 acknowledged) — under a minute old' }],
    ['a page a maintenance window holds says planned maintenance, not acknowledged', site({ alerts: { page: 1, ticket: 1, slos: ['logon'], planned: 2, plannedPages: 1 } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 1 page (planned maintenance), 1 ticket (planned maintenance) — under a minute old' }],
    ['held both ways', site({ alerts: { page: 3, ticket: 2, slos: ['logon'], acknowledged: 2, acknowledgedPages: 1, planned: 2, plannedPages: 1 } }), false, { paging: true, label: 'RXX01, Royal Infirmary — OK — alerts: 3 pages (1 acknowledged, 1 in planned maintenance), 2 tickets (1 acknowledged, 1 in planned maintenance) — under a minute old' }],
    [
      'one in planned maintenance says so and until when (the last window to close), before its reason',
      site({ status: 'degraded', reason: 'app p95 3.4 s', maintenance: [{ title: 'Wi-Fi survey', start: NOW - 3_600_000, end: NOW + 1_800_000 }, { title: 'Core switch', start: NOW - 3_600_000, end: NOW + 3_600_000 }] }),
      false,
      { maintenance: true, label: 'RXX01, Royal Infirmary — Degraded — planned maintenance until 13:00 (Wi-Fi survey; Core switch) — app p95 3.4 s — under a minute old' },
    ],
    ['one without says nothing of it', site(), false, { maintenance: false }],
    ['a stale one says its last status and age by the minute', site({ asOf: NOW - 11 * 60_000 - 20_000 }), true, { text: '○\u2009RXX01', stale: true, label: 'RXX01, Royal Infirmary — stale, last OK — 11 min old' }],
  ])('%s', (_, s, stale, expected) => {
    expect(tileParts({ site: s, clock, stale })).toMatchObject({ href: '#/sites/RXX01', site: 'RXX01', ...expected });
  });

  it('is written with the same attributes, booleans present only when true', () => {
    expect(tileHtml({ site: site({ status: 'down', reason: 'no check succeeded', alerts: { page: 1, ticket: 0, slos: [] } }), clock, stale: true })).toBe(
      '<a class="tile" href="#/sites/RXX01" data-site="RXX01" data-status="down" data-stale="" data-paging=""'
        + ' aria-label="RXX01, Royal Infirmary — stale, last Down — no check succeeded — alerts: 1 page — under a minute old">○\u2009RXX01</a>',
    );
    expect(tileHtml({ site: site(), clock, stale: false })).not.toMatch(/data-stale|data-paging|data-maintenance/);
    expect(tileHtml({ site: site({ maintenance: [{ title: 'Core switch', start: NOW, end: NOW + 60_000 }] }), clock, stale: false })).toContain(' data-maintenance="" ');
  });

  it.each([
    ['RXX01', ''],
    ['S0000', ''],
    ['S1', ''],
    ['RWEAA', '1'],
    ['RWWWH', '2'],
    ['RXX100', '1'],
    ['RXX1000', '2'],
    ['RXX10000', '3'],
    ['ACUTE-MAIN-BLOCK', '3'],
  ] as const)('draws the code %s smaller by its width past five characters (%j)', (code, long) => {
    expect(codeShrink(code)).toBe(long);
    const html = tileHtml({ site: site({ id: code }), clock, stale: false });
    if (long) expect(html).toContain(` data-long="${long}" `);
    else expect(html).not.toContain('data-long');
  });

  it('escapes a code or name that is markup, and encodes the code in its link', () => {
    const html = tileHtml({ site: site({ id: 'A&B"<x>', name: '<b>Ward</b>' }), clock, stale: false });
    expect(html).toContain('href="#/sites/A%26B%22%3Cx%3E"');
    expect(html).toContain('data-site="A&amp;B&quot;&lt;x&gt;"');
    expect(html).toContain('aria-label="A&amp;B&quot;&lt;x&gt;, &lt;b&gt;Ward&lt;/b&gt; — ');
    expect(html).toContain('>✓\u2009A&amp;B&quot;&lt;x&gt;</a>');
    expect(html).not.toMatch(/<b>|<x>/);
  });
});

describe('a card', () => {
  it('carries its figures, reason, cause, alerts and age, each escaped', () => {
    const html = cardHtml({
      site: site({ status: 'degraded', reason: 'p95 > 2 s & <rising>', type: 'Acute', area: 'North', cause: { kind: 'network', culprit: 'ap:x', summary: 'network: <AP> 3' } as SiteSummary['cause'], alerts: { page: 0, ticket: 1, slos: [] } }),
      clock,
      stale: false,
    });
    expect(html).toContain('<span class="id">RXX01 · Acute · North</span>');
    expect(html).toContain('<span class="badge degraded"><span aria-hidden="true">▲</span>Degraded</span>');
    expect(html).toContain('<dd>900 ms</dd>');
    expect(html).toContain('<p class="reason">p95 &gt; 2 s &amp; &lt;rising&gt;</p>');
    expect(html).toContain('<strong>Likely cause:</strong> network: &lt;AP&gt; 3</p>');
    expect(html).toContain('data-page="0" data-ticket="1">Alerts: 1 ticket</span>');
    expect(html).toMatch(/<span class="age">as of \d\d:\d\d:\d\d · 30 s old<\/span>/);
  });

  it.each<[string, Partial<SiteSummary>, string, string]>([
    // [case, figures, app p95 text, logon p95 text]
    ['a board before the counts: bare, as before', {}, '900 ms', '21.0 s'],
    ['many checks and logons', { logons: 40, slowAppChecks: 0, slowLogons: 1 }, '900 ms', '21.0 s'],
    ['a quiet site: the few logons counted under their p95', { logons: 4, slowAppChecks: 0, slowLogons: 0 }, '900 ms', '21.0 s <small>(4 logons)</small>'],
    [
      'one slow logon of twelve: its p95, over the line beside an OK, says why',
      { logonP95Ms: 35_000, logons: 12, slowAppChecks: 0, slowLogons: 1 },
      '900 ms',
      '35.0 s <small>(1 slow of 12 logons)</small>',
    ],
    ['one slow check of fifteen', { p95Ms: 4_800, appChecks: 15, logons: 30, slowAppChecks: 1, slowLogons: 0 }, '4.8 s <small>(1 slow of 15 checks)</small>', '21.0 s'],
  ])('writes its p95s as the scope tables do: %s', (_case, figures, app, logon) => {
    const html = cardHtml({ site: site(figures), clock, stale: false });
    expect(html).toContain(`<dt>App p95</dt><dd>${app}</dd>`);
    expect(html).toContain(`<dt>Logon p95</dt><dd>${logon}</dd>`);
  });

  it('says when a recorded maintenance window open at the site closes, and what it is, above its reason', () => {
    const html = cardHtml({ site: site({ status: 'down', reason: 'no check succeeded', maintenance: [{ title: 'Core switch <B>', start: NOW - 60_000, end: NOW + 5_400_000 }] }), clock, stale: false });
    expect(html).toContain('<p class="maintenance">Planned maintenance until 13:30 (Core switch &lt;B&gt;)</p><p class="reason">no check succeeded</p>');
    expect(cardHtml({ site: site(), clock, stale: false })).not.toContain('maintenance');
    // A window of a day or more closes on another day: its date is said.
    expect(cardHtml({ site: site({ maintenance: [{ title: 'Refit', start: NOW - 86_400_000, end: NOW + 86_400_000 }] }), clock, stale: false })).toContain(
      '<p class="maintenance">Planned maintenance until 1 Dec 2026, 12:00 (Refit)</p>',
    );
  });

  it('says stale in its badge and age', () => {
    const html = cardHtml({ site: site({ status: 'down', reason: 'x' }), clock, stale: true });
    expect(html).toContain('data-stale=""');
    expect(html).toContain('<span class="badge stale down-was"><span aria-hidden="true">○</span>Stale · was Down</span>');
    expect(html).toMatch(/<span class="age">Stale · as of/);
  });
});

describe("the wall's line after the status word", () => {
  const window = { title: 'Core switch', start: NOW - 60_000, end: NOW + 3_600_000 };
  it.each<[string, Partial<SiteSummary>, string]>([
    ['nothing to say', {}, ''],
    ['a ticket only: the line names pages, not tickets', { alerts: { page: 0, ticket: 1, slos: ['logon'] } }, ''],
    ['a page', { alerts: { page: 1, ticket: 0, slos: ['logon'] } }, '1 page'],
    ['an acknowledged page', { alerts: { page: 1, ticket: 0, slos: ['logon'], acknowledged: 1, acknowledgedPages: 1 } }, '1 page (acknowledged)'],
    ['a window, no page', { maintenance: [window] }, 'planned maintenance until 13:00'],
    ['pages the window holds: one phrase, planned maintenance said once', { alerts: { page: 2, ticket: 0, slos: ['logon', 'app:epr'], planned: 2, plannedPages: 2 }, maintenance: [window] }, '2 pages held for planned maintenance until 13:00'],
    ['a page nobody holds beside a window', { alerts: { page: 1, ticket: 0, slos: ['logon'] }, maintenance: [window] }, '1 page · planned maintenance until 13:00'],
    ['pages held partly by the window', { alerts: { page: 2, ticket: 0, slos: ['logon', 'app:epr'], acknowledged: 1, acknowledgedPages: 1, planned: 1, plannedPages: 1 }, maintenance: [window] }, '2 pages (1 acknowledged, 1 in planned maintenance) · planned maintenance until 13:00'],
    ['a page a maintenance silence holds, no window: the count says so alone', { alerts: { page: 1, ticket: 0, slos: ['logon'], planned: 1, plannedPages: 1 } }, '1 page (planned maintenance)'],
  ])('%s', (_case, extra, text) => {
    expect(pagesAndMaintenanceText(site(extra))).toBe(text);
  });
});
