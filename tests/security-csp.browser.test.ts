// The dashboard under its Content-Security-Policy in Chromium: every page (the grid, the wall, a site
// with its charts, a ward, the degraded devices, alerts, the SLOs with their budget bars and burn-down
// charts, the evidence pack) renders with no CSP violation, and the policy really is enforced (an inline script the
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
  // Half an hour of history with an outage in it, processed and evaluated before the pipeline starts
  // (the stepped clock then stands still): every page has something to draw.
  pipeline = await startTestPipeline({ seed: 11, sites: 3, backfillMs: 30 * 60_000, scenario: 'app-down', dashboard: true });
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
    // The page's own inline scripts and style (the first frame's entry loader, deep-link check and tile runs' script, the page's styles) by hash alone.
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+'){0,3}; style-src 'self'( 'sha256-[A-Za-z0-9+/=]+')?;/);
  });

  it('renders every page with no CSP violation', async () => {
    // Each page by its address (the grid's own links change with its design; the pages do not).
    const sites = (await (await fetch(`${pipeline.url}/api/sites`)).json()) as Array<{ id: string }>;
    const detail = (await (await fetch(`${pipeline.url}/api/sites/${sites[0]!.id}`)).json()) as { wards: Array<{ key: string }> };
    const pages: Array<[string, string, string]> = [
      ['#/', 'ww-site-grid', ''],
      ['#/wall', 'ww-wall', ''],
      [`#/sites/${encodeURIComponent(sites[0]!.id)}`, 'ww-site-page', 'ww-chart'],
      [`#/scopes/${encodeURIComponent(detail.wards[0]!.key)}`, 'ww-scope-page', ''],
      ['#/devices', 'ww-device-list', ''],
      ['#/alerts', 'ww-alerts', ''],
      ['#/slos', 'ww-slos', 'ww-chart'],
      ['#/evidence', 'ww-evidence', ''],
    ];
    await page.goto(pipeline.url);
    // The page-wide stylesheet applied (it was an inline <style> before the policy).
    expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px');
    for (const [hash, element, inner] of pages) {
      await page.goto(`${pipeline.url}/${hash}`);
      // Rendered: the page's element has drawn into its shadow root (Lit's constructed stylesheets
      // applied there), and a chart where the page has one.
      // Playwright's locators pierce the shadow roots.
      await page.locator(element).locator('*').first().waitFor({ timeout: 45_000 });
      if (inner) await page.locator(`${element} ${inner} canvas`).first().waitFor({ timeout: 45_000 });
      expect(await violations(), hash).toEqual([]);
      if (element === 'ww-slos') {
        // The SLO budget bar's width is set through the CSSOM, which the policy allows.
        await page.locator('ww-slos div.bar > span').first().waitFor({ state: 'attached', timeout: 45_000 });
        const widths = await page.locator('ww-slos div.bar > span').evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.width));
        expect(widths.filter((w) => !/^[\d.]+%$/.test(w))).toEqual([]);
      }
    }
  }, 420_000);

  it('the printable evidence pack (the page\'s "Print (web page)" link) is drawn with its own styles, no violation', async () => {
    // The month the pipeline's clock stands in, in London time, as the pack counts months.
    const { now } = (await (await fetch(`${pipeline.url}/healthz`)).json()) as { now: number };
    const month = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: 'Europe/London' }).format(now);
    const res = await page.goto(`${pipeline.url}/api/reports/RXX/${month}.html`);
    expect(res!.status()).toBe(200);
    expect(await violations()).toEqual([]);
    // Its inline stylesheet applied: a headline figure's number on a line of its own, tables ruled.
    // Under style-src 'self' alone the page was drawn unstyled, the figures run together.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.figure b')!).display)).toBe('block');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('td')!).borderBottomStyle)).not.toBe('none');
  }, 120_000);

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
