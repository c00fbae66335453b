// The dashboard in a real browser against the real embedded pipeline: the site grid appears, the
// site with an injected fault is marked degraded (by word and icon, not only colour) without a
// reload, and its page shows charts and the devices behind the verdict. Screenshots go to test-output/.
// Simulated time moves only when the test advances the pipeline's stepped clock: the test waits for
// the browser to render what the server holds, never for simulated time to race ahead of the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AlertsResponse } from '@wardwatch/slo';
import type { CauseSummary, SiteSummary } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { advanceUntil, MIN, startTestPipeline } from './helpers/pipeline.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  pipeline = await startTestPipeline({ seed: 11, sites: 4, backfillMs: 30 * 60_000, dashboard: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

describe('dashboard in Chromium', () => {
  it('shows the site grid, then marks a faulted site degraded live, and drills down to it', async () => {
    await page.goto(pipeline.url);
    await page.waitForSelector('a.card[data-status="ok"]', { timeout: 30_000 });
    const cards = await page.locator('a.card').count();
    expect(cards).toBe(4);

    // Inject the fault only now, and step simulated time until the server holds the site degraded by
    // its applications, with the network there named as the cause: the page must pick that up over
    // SSE, without a reload.
    const sites = (await (await fetch(`${pipeline.url}/api/sites`)).json()) as SiteSummary[];
    const target = sites[2]!;
    pipeline.simulator!.injectFault('site-wan-congested', { target: target.id, at: pipeline.clock() });
    await advanceUntil(pipeline, async () => {
      const site = ((await (await fetch(`${pipeline.url}/api/sites`)).json()) as SiteSummary[]).find((s) => s.id === target.id)!;
      const causes = (await (await fetch(`${pipeline.url}/api/causes`)).json()) as CauseSummary[];
      return site.status === 'degraded' && /^app p95/.test(site.reason) && causes.some((c) => c.culprit === `site:${target.id}` && c.kind === 'network') ? true : undefined;
    }, { withinMs: 20 * MIN }, `${target.id} degraded by its applications, its network blamed`);
    const card = page.locator(`a.card[data-site="${target.id}"]`);
    await until(async () => ((await card.getAttribute('data-status')) === 'degraded' ? true : undefined), 30_000, 'the card to turn degraded');
    // The word and the icon, not only the colour (the badge lives in its own shadow root).
    expect(await card.locator('ww-status-badge').getByText('Degraded').count()).toBe(1);
    expect(await card.locator('ww-status-badge span.badge.degraded').innerText()).toMatch(/▲\s*Degraded/);
    await expect(card.innerText()).resolves.toMatch(/app p95 [\d.]+ s over the 2\.0 s target/);
    // One figure, one reading: the card's App p95 is the figure its reason names, written alike (they
    // read "4.77 s" above "4.8 s"), and so is its availability where the reason names it.
    const shown = (label: string) => card.locator(`dl div:has(dt:text-is("${label}")) dd`).innerText();
    const reason = await card.locator('p.reason').innerText();
    expect(reason).toContain(`app p95 ${await shown('App p95')} over`);
    if (reason.includes('availability')) expect(reason).toContain(`availability ${await shown('Availability')} (`);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-grid.png`, fullPage: true });

    await card.click();
    await page.waitForSelector('ww-site-page h2', { timeout: 10_000 });
    expect(page.url()).toContain(`#/sites/${target.id}`);
    await page.waitForSelector('ww-site-page ww-chart canvas', { timeout: 10_000 });
    const devices = page.locator('ww-site-page #devices tr[data-status="degraded"]');
    await until(async () => ((await devices.count()) > 0 ? true : undefined), 20_000, 'degraded devices listed');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-site.png`, fullPage: true });

    // The likely cause is named on the site page, and a ward drills down to its devices, a device to
    // its own page with a breadcrumb back.
    await until(async () => ((await page.locator('ww-site-page div.cause[role="note"][data-cause="network"]').count()) > 0 ? true : undefined), 20_000, 'the cause on the site page');
    await expect(page.locator('ww-site-page div.cause[role="note"]').innerText()).resolves.toMatch(new RegExp(`network: site ${target.id}`));
    // Said once above the tables, the site's cause is not said again on every ward's row, and the
    // site's devices behind it come as one group under it, not a row each above the wards.
    await expect(page.locator('ww-site-page #wards tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('ww-site-page #wards div.cause').allInnerTexts()).resolves.not.toContainEqual(expect.stringContaining(`site ${target.id}`));
    await until(async () => ((await page.locator(`ww-site-page #devices section.shared[data-group="site:${target.id}"]`).count()) > 0 ? true : undefined), 20_000, 'the site’s devices grouped under its cause');
    const tableOrder = await page.locator('ww-site-page .tables > *').evaluateAll((elements) => elements.map((e) => e.id));
    expect(tableOrder).toEqual(['wards', 'aps', 'apps', 'devices']);
    await page.locator('ww-site-page #wards td.id a').first().click();
    await page.waitForSelector('ww-scope-page h2', { timeout: 10_000 });
    expect(decodeURIComponent(page.url())).toContain(`#/scopes/ward:${target.id}/`);
    await expect(page.locator('ww-scope-page h2').innerText()).resolves.toMatch(/^Ward W\d+$/);
    const wardDevices = page.locator('ww-scope-page #devices tbody tr');
    await until(async () => ((await wardDevices.count()) > 0 ? true : undefined), 10_000, 'the ward’s devices');
    await page.locator('ww-scope-page #devices td.id a').first().click();
    await until(async () => ((await page.locator('ww-scope-page h2').innerText()).startsWith('Device ') ? true : undefined), 10_000, 'the device page');
    await expect(page.locator('ww-scope-page nav').innerText()).resolves.toMatch(/All sites › .+ › Ward W\d+/);
    // The charts' span is one the picker offers, and shown pressed: a day of a device's hourly rows.
    await expect(page.locator('ww-scope-page .ranges button[aria-pressed="true"]').allInnerTexts()).resolves.toEqual(['24 h']);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-device.png`, fullPage: true });

    // The degraded devices across the trust: those behind the congested site are one group under its
    // cause, counted, folded away until asked for, with a link up to the site; each row there does
    // not say the cause again.
    await page.goto(`${pipeline.url}/#/devices`);
    const group = page.locator(`ww-device-groups section.shared[data-group="site:${target.id}"]`);
    await until(async () => ((await group.count()) > 0 ? true : undefined), 20_000, 'the congested site’s devices as one group');
    const rows = group.locator('tbody tr');
    const grouped = Number(await group.getAttribute('data-devices'));
    expect(grouped).toBeGreaterThan(1);
    expect(await rows.count()).toBe(grouped);
    await expect(group.locator('h3').innerText()).resolves.toBe(`${grouped} devices — likely cause: network: site ${target.id}`);
    expect((await rows.locator('td:nth-child(2)').allTextContents()).every((place) => place.startsWith(`${target.id} / `))).toBe(true);
    expect(await group.locator('div.cause').count()).toBe(0);
    expect(await rows.first().isVisible()).toBe(false);
    await group.locator('summary').click();
    expect(await rows.first().isVisible()).toBe(true);
    await expect(page.locator('ww-device-groups p[data-lead]').innerText()).resolves.toMatch(/^[\d,]+ devices not OK[,:] .*likely cause/);
    await group.locator(`a[href="#/sites/${target.id}"]`).click();
    await page.waitForSelector('ww-site-page h2', { timeout: 10_000 });
    expect(page.url()).toContain(`#/sites/${target.id}`);

    // The congested site burns its latency budget: the server pages within the hour, and the alerts
    // view shows the page.
    await advanceUntil(pipeline, async () => {
      const alerts = (await (await fetch(`${pipeline.url}/api/alerts`)).json()) as AlertsResponse;
      return alerts.firing.some((a) => a.scope === `site:${target.id}` && a.severity === 'page') ? true : undefined;
    }, { withinMs: 60 * MIN }, `page for site:${target.id}`);
    await page.goto(`${pipeline.url}/#/alerts`);
    const pageRow = page.locator(`ww-alerts tr[data-severity="page"]`).filter({ hasText: `site:${target.id}` });
    await until(async () => ((await pageRow.count()) > 0 ? true : undefined), 20_000, 'the page for the congested site in the alerts view');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-alerts.png`, fullPage: true });

    // Planned work recorded at the site (an annotation, as the evidence page records it) holds its
    // pages: the row says so, and the window is listed beside the silences.
    const { now } = (await (await fetch(`${pipeline.url}/healthz`)).json()) as { now: number };
    const recorded = await fetch(`${pipeline.url}/api/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trust: target.trust, scope: `site:${target.id}`, kind: 'maintenance', title: 'Core switch', start: now - 10 * MIN, end: now + 2 * 60 * MIN }),
    });
    expect(recorded.status).toBe(201);
    const { id } = (await recorded.json()) as { id: string };
    const held = page.locator('ww-alerts table.alerts tr[data-severity="page"] [data-held]').filter({ hasText: '(planned maintenance)' });
    await until(async () => ((await held.count()) > 0 ? true : undefined), 20_000, 'the page held by the maintenance window');
    const alerts = (await (await fetch(`${pipeline.url}/api/alerts`)).json()) as AlertsResponse;
    const atTarget = alerts.firing.filter((a) => a.scope === `site:${target.id}`);
    expect(atTarget.length).toBeGreaterThan(0);
    expect(new Set(atTarget.map((a) => a.silencedBy))).toEqual(new Set([id]));
    await expect(page.locator(`ww-alerts table.maintenance tr[data-maintenance="${id}"]`).innerText()).resolves.toContain('Core switch');
    // Where to record one, from where it acts.
    await expect(page.locator('ww-alerts a[data-record-maintenance]').getAttribute('href')).resolves.toBe('#/evidence');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-alerts-maintenance.png`, fullPage: true });
    // The grid agrees: the site's card counts its pages as held for planned work, not acknowledged,
    // and the likely cause felt there says the site is in planned maintenance — on the wall too.
    await page.goto(`${pipeline.url}/#/`);
    const siteCard = page.locator(`ww-site-grid a.card[data-site="${target.id}"]`);
    await expect(siteCard.locator('.alerts').innerText({ timeout: 20_000 })).resolves.toMatch(/^Alerts: \d+ pages? \(planned maintenance\)/);
    const cause = page.locator(`ww-causes li[data-culprit="site:${target.id}"]`);
    await expect(cause.getAttribute('data-maintenance', { timeout: 20_000 })).resolves.toBe('');
    await expect(cause.locator('.planned').innerText()).resolves.toBe(' · in planned maintenance');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-grid-maintenance.png`, fullPage: true });
    await page.goto(`${pipeline.url}/#/wall`);
    await expect(page.locator(`ww-wall ul.causes a[data-culprit="site:${target.id}"] .felt`).innerText({ timeout: 20_000 })).resolves.toMatch(/^In planned maintenance · felt by /);
    await page.goto(`${pipeline.url}/#/alerts`);
    await until(async () => ((await held.count()) > 0 ? true : undefined), 20_000, 'the alerts page again');
    expect((await fetch(`${pipeline.url}/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(204);
    await until(async () => ((await held.count()) === 0 ? true : undefined), 20_000, 'the hold gone with the window');

    // On a phone, where whoever is paged opens it: the alert is a card of labelled lines, its summary
    // and actions in view without scrolling sideways.
    const desk = page.viewportSize()!;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const region = page.locator('ww-alerts div.scroll[aria-label="Firing"]');
      await until(async () => ((await region.evaluate((el) => el.scrollWidth <= el.clientWidth)) ? true : undefined), 5_000, 'the firing alerts fitting a phone');
      const summary = pageRow.locator('td[data-label="Summary"]');
      const box = (await summary.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await expect(summary.innerText()).resolves.toMatch(/^site-app-latency on site:/);
      expect(await summary.evaluate((td) => getComputedStyle(td, '::before').content)).toMatch(/Summary/);
      // The column headers are still the table's, for a screen reader; not shown.
      expect(await page.locator('ww-alerts table.alerts thead').first().evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(1);
      await page.screenshot({ path: `${SCREENSHOTS}dashboard-alerts-phone.png`, fullPage: true });
    } finally {
      await page.setViewportSize(desk);
    }
  }, 150_000);
});
