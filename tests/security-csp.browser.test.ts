// The dashboard under its Content-Security-Policy in Chromium: every page (the grid, a site with its
// charts, a ward, the degraded devices, alerts and the SLOs with their budget bars and burn-down
// charts) renders with no CSP violation, and the policy really is enforced (an inline script the
// test plants is refused, so "no violation" is not a policy that allows everything).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { launchChromium } from './helpers/browser.ts';

let pipeline: RunningPipeline;
let browser: Browser;
let page: Page;
const consoleCsp: string[] = [];

declare global {
  interface Window {
    cspViolations: string[];
  }
}

beforeAll(async () => {
  pipeline = await startTestPipeline({ seed: 11, speed: 300, sites: 3, backfillMs: 60 * 60_000, scenario: 'app-down', dashboard: true, sloIntervalMs: 1000 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Injected by the browser itself before the page's scripts, so the policy does not govern it.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

async function violations(): Promise<string[]> {
  return [...consoleCsp, ...(await page.evaluate(() => window.cspViolations))];
}

describe('the dashboard under its CSP in Chromium', () => {
  it('serves the policy with the page', async () => {
    const res = await fetch(pipeline.url);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
  });

  it('renders every page with no CSP violation', async () => {
    await page.goto(pipeline.url);
    await page.waitForSelector('a.card[data-status]', { timeout: 30_000 });
    // The page-wide stylesheet applied (it was an inline <style> before the policy).
    expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px');
    // Lit's constructed stylesheets applied inside the shadow roots.
    await page.locator('a.card').first().click();
    await page.waitForSelector('ww-site-page ww-chart canvas', { timeout: 15_000 });
    await page.locator('ww-site-page #wards td.id a').first().click();
    await page.waitForSelector('ww-scope-page h2', { timeout: 10_000 });
    for (const [link, element] of [['Degraded devices', 'ww-device-list'], ['Alerts', 'ww-alerts'], ['SLOs', 'ww-slos']] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.waitForFunction((name) => document.querySelector('ww-app')?.shadowRoot?.querySelector(name)?.shadowRoot?.childElementCount, element, { timeout: 10_000 });
    }
    await page.waitForSelector('ww-slos section.slo', { timeout: 30_000 });
    await page.waitForSelector('ww-slos ww-chart canvas', { timeout: 30_000 });
    // The budget bar's width is set through the CSSOM (styleMap), which the policy allows.
    const widths = await page.locator('ww-slos div.bar > span').evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.width));
    expect(widths.length).toBeGreaterThan(0);
    expect(widths.filter((w) => !/^[\d.]+%$/.test(w))).toEqual([]);
    expect(await violations()).toEqual([]);
  }, 90_000);

  it('enforces the policy: an inline script is refused and reported', async () => {
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(ran).toBe(false);
    expect((await violations()).join('\n')).toMatch(/script-src/);
  });
});
