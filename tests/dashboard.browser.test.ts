// The dashboard in a real browser against the real embedded pipeline: the site grid appears, the
// site with an injected fault is marked degraded (by word and icon, not only colour) without a
// reload, and its page shows charts and the devices behind the verdict. Screenshots go to test-output/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SiteSummary } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  pipeline = await startTestPipeline({ seed: 11, speed: 300, sites: 4, backfillMs: 30 * 60_000, dashboard: true, sloIntervalMs: 1000 });
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

    // Inject the fault only now: the page must pick it up over SSE, without a reload.
    const sites = (await (await fetch(`${pipeline.url}/api/sites`)).json()) as SiteSummary[];
    const target = sites[2]!;
    pipeline.simulator!.injectFault('site-wan-congested', { target: target.id, at: pipeline.clock() });
    const card = page.locator(`a.card[data-site="${target.id}"]`);
    await until(async () => ((await card.getAttribute('data-status')) === 'degraded' ? true : undefined), 45_000, 'the card to turn degraded');
    // The word and the icon, not only the colour (the badge lives in its own shadow root).
    expect(await card.locator('ww-status-badge').getByText('Degraded').count()).toBe(1);
    expect(await card.locator('ww-status-badge span.badge.degraded').innerText()).toMatch(/▲\s*Degraded/);
    await expect(card.innerText()).resolves.toMatch(/app p95 [\d.]+ s over the 2\.0 s target/);
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
    await until(async () => ((await page.locator('ww-site-page div.cause[role="note"][data-cause="network"]').count()) > 0 ? true : undefined), 30_000, 'the cause on the site page');
    await expect(page.locator('ww-site-page div.cause[role="note"]').innerText()).resolves.toMatch(new RegExp(`network: site ${target.id}`));
    await page.locator('ww-site-page #wards td.id a').first().click();
    await page.waitForSelector('ww-scope-page h2', { timeout: 10_000 });
    expect(decodeURIComponent(page.url())).toContain(`#/scopes/ward:${target.id}/`);
    await expect(page.locator('ww-scope-page h2').innerText()).resolves.toMatch(/^Ward W\d+$/);
    const wardDevices = page.locator('ww-scope-page #devices tbody tr');
    await until(async () => ((await wardDevices.count()) > 0 ? true : undefined), 10_000, 'the ward’s devices');
    await page.locator('ww-scope-page #devices td.id a').first().click();
    await until(async () => ((await page.locator('ww-scope-page h2').innerText()).startsWith('Device ') ? true : undefined), 10_000, 'the device page');
    await expect(page.locator('ww-scope-page nav').innerText()).resolves.toMatch(/All sites › .+ › Ward W\d+/);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-device.png`, fullPage: true });

    // The congested site burns its latency budget: the alerts view shows the page.
    await page.goto(`${pipeline.url}/#/alerts`);
    const pageRow = page.locator(`ww-alerts tr[data-severity="page"]`).filter({ hasText: `site:${target.id}` });
    await until(async () => ((await pageRow.count()) > 0 ? true : undefined), 45_000, 'a page for the congested site in the alerts view');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-alerts.png`, fullPage: true });
  }, 150_000);
});
