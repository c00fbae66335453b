// The first frame's times are the app's times: written by the server in Node, in whatever zone the
// host runs, they are the UK's 24-hour clock, as the app tells them in any browser. The process's
// zone is set elsewhere before anything formats a time, so that a frame told in the host's zone fails.
import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';

process.env.TZ = 'America/New_York';
const { firstFrameHtml } = await import('./first-frame.ts');
const { cardHtml } = await import('./site-markup.ts');
const { clockTime, time } = await import('../format.ts');

const site = (asOf: number, i = 0): SiteSummary => ({
  id: `S${i}`, name: `Site ${i}`, trust: 'RXX', status: 'ok', reason: '', p95Ms: 900, availability: 0.999, logonP95Ms: 21_000, appChecks: 60, asOf,
});

describe('the first frame tells times as the app does, in UK time, whatever the host’s zone', () => {
  it.each([
    ['summer (BST, UTC+1)', '2026-07-15T11:04:05Z', '12:04:05'],
    ['winter (GMT)', '2026-12-01T04:27:09Z', '04:27:09'],
    ['the last BST hour of October', '2026-10-25T00:30:00Z', '01:30:00'],
    ['the same hour again, in GMT', '2026-10-25T01:30:00Z', '01:30:00'],
    ['the first BST hour of March', '2026-03-29T01:00:00Z', '02:00:00'],
    ['UK evening, New York afternoon', '2026-01-10T23:59:59Z', '23:59:59'],
  ])('%s: %s → %s', (_, iso, uk) => {
    const at = Date.parse(iso);
    // The premise: this process's own zone would tell it otherwise.
    expect(new Date(at).toLocaleTimeString('en-GB', { hourCycle: 'h23' })).not.toBe(uk);
    // The app's texts: the header's clock, a card's age.
    expect(time(at)).toBe(uk);
    expect(clockTime(at)).toBe(uk);
    // The frame's: header, card and (the processor behind) the stale banner, at the same instant.
    const fresh = firstFrameHtml({ sites: [site(at)], clock: { now: at + 20_000, asOf: at } }, at + 20_000);
    expect(fresh).toContain(`Connecting · ${time(at)}</span>`);
    expect(fresh).toContain(`<span class="age">as of ${clockTime(at)} · 20 s old</span>`);
    expect(fresh).toContain(cardHtml({ site: site(at), clock: { now: at + 20_000, asOf: at }, stale: false }));
    const lagging = firstFrameHtml({ sites: [site(at)], clock: { now: at + 10 * 60_000, asOf: at } }, at + 10 * 60_000);
    expect(lagging).toContain(`No new figures since ${uk} (10 min behind`);
  });
});
