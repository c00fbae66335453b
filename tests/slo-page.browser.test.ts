// The SLO page in a real browser against the embedded pipeline with an application outage: reached
// from the navigation, it lists every SLO target the API serves with its budget in words (not only
// colour), shows the outage's budget exhausted, and draws burn-down charts. Screenshot in test-output/.
// The pipeline's clock is stepped: the outage's minutes are processed and evaluated before the browser
// opens, and simulated time stands still while the test waits for the page to render them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPipeline } from '@wardwatch/cli';
import { KEEP_FIRING_FOR_MS, type AlertsResponse, type SloSummary } from '@wardwatch/schema';
import { advanceUntil, startTestPipeline } from './helpers/pipeline.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The outage starts 20 simulated minutes before the end of an hour of history, processed and
  // evaluated before the pipeline starts.
  pipeline = await startTestPipeline({ seed: 11, sites: 3, backfillMs: 60 * 60_000, scenario: 'app-down', dashboard: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

describe('SLO page in Chromium', () => {
  it('lists every SLO target with its budget in words and draws the burn-down charts', async () => {
    // What the server holds: the failing application's budget spent and its page firing.
    const served = (await (await fetch(`${pipeline.url}/api/slos`)).json()) as SloSummary[];
    const pacsServed = served.find((s) => s.slo === 'app-availability' && s.scope === 'app:pacs')!;
    expect(pacsServed.errorBudgetRemaining).toBeLessThan(0);
    expect(pacsServed.firing.map((f) => `${f.severity} ${f.longWindow}/${f.shortWindow}`)).toContain('page 1h/5m');

    const budgetRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/slos\/[^/]+\/budget/.test(r.url())) budgetRequests.push(decodeURIComponent(new URL(r.url()).searchParams.get('scope') ?? ''));
    });
    await page.goto(pipeline.url);
    await page.getByRole('link', { name: 'SLOs' }).click();
    expect(page.url()).toContain('#/slos');
    await page.waitForSelector('ww-slos section.slo', { timeout: 30_000 });

    // One card per SLO target the API serves.
    const slos = (await (await fetch(`${pipeline.url}/api/slos`)).json()) as Array<{ slo: string; scope: string }>;
    expect(slos.length).toBeGreaterThan(4);
    await until(async () => ((await page.locator('ww-slos section.slo').count()) >= slos.length ? true : undefined), 20_000, 'every SLO target listed');
    const pacs = page.locator('ww-slos section.slo[data-slo="app-availability"][data-scope="app:pacs"]');
    expect(await pacs.count()).toBe(1);

    // The failing application's budget is spent: said in words with an icon, and as a number.
    await until(async () => ((await pacs.getAttribute('data-budget')) === 'exhausted' ? true : undefined), 20_000, 'the pacs budget shown exhausted');
    expect(await pacs.locator('[data-budget-word]').innerText()).toMatch(/✕\s*Exhausted/);
    expect(await pacs.locator('dl.figures').innerText()).toMatch(/Error budget left\s*✕\s*Exhausted\s*−[\d.]+ %/);
    expect(await pacs.locator('[role="meter"]').getAttribute('aria-valuetext')).toMatch(/^Exhausted: −[\d.]+ %$/);
    // An hour of history: the 28-day budget is of that hour, and the card and the alert say so — an
    // hour's outage overspends it many times, which must not read as four weeks'.
    expect(pacsServed.budgetCoverage).toBeGreaterThan(0);
    expect(pacsServed.budgetCoverage).toBeLessThan(2 / 672);
    expect(await pacs.locator('[data-coverage]').innerText()).toMatch(/^Of the data so far: (5\d min|1 h) of the 28d window\.$/);
    const alerts = (await (await fetch(`${pipeline.url}/api/alerts`)).json()) as { firing: Array<{ slo: string; scope: string; summary: string }> };
    const pacsPage = alerts.firing.find((a) => a.slo === 'app-availability' && a.scope === 'app:pacs')!;
    expect(pacsPage.summary).toMatch(/% of the 28-day budget left, on the (5\d min|1 h) of data so far$/);
    // The budget written as the card writes it, true minus and all (the summary said "-1081.7 %").
    const cardBudget = (await pacs.locator('dl.figures').innerText()).match(/(−[\d.]+ %)/)![1]!;
    expect(pacsPage.summary).toMatch(/; −[\d.]+ % of the 28-day budget left/);
    // Burn rates per alerting window, and the page that fires.
    expect(await pacs.locator('table.burn thead').innerText()).toMatch(/5m\s+30m\s+1h\s+2h\s+6h\s+1d\s+3d/);
    // The page the server holds, shown.
    await until(async () => (/✕ Page: burning ≥ 14\.4× over 1h and 5m/.test(await pacs.locator('p.firing').innerText()) ? true : undefined), 20_000, 'the pacs page shown firing');
    // Planned work on the application (a silence of kind maintenance): the card says the page is held
    // for it, as the alerts page's row does; removed, the card says the page plainly again. (In a page
    // of its own: the pipeline's clock stands still between steps, so the page is opened again to ask.)
    const { now: serverNow } = (await (await fetch(`${pipeline.url}/healthz`)).json()) as { now: number };
    const planned = await fetch(`${pipeline.url}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'maintenance', matchers: { scope: 'app:pacs' }, startsAt: serverNow - 60_000, endsAt: serverNow + 3_600_000, comment: 'PACS upgrade' }),
    });
    expect(planned.status).toBe(201);
    const { id: plannedId } = (await planned.json()) as { id: string };
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const pacsFiring = other.locator('ww-slos section.slo[data-slo="app-availability"][data-scope="app:pacs"] p.firing');
      await other.goto(`${pipeline.url}/#/slos`);
      await until(async () => (/^✕ Page \(planned maintenance\): burning ≥ 14\.4× over 1h and 5m/.test(await pacsFiring.innerText()) ? true : undefined), 20_000, 'the pacs page shown held for planned work');
      await other.goto(`${pipeline.url}/#/alerts`);
      await expect(other.locator('ww-alerts tr[data-severity="page"]').filter({ hasText: 'app:pacs' }).locator('[data-held]').innerText({ timeout: 20_000 })).resolves.toBe('(planned maintenance)');
      expect((await fetch(`${pipeline.url}/api/silences/${plannedId}`, { method: 'DELETE' })).status).toBe(204);
      await other.goto(`${pipeline.url}/#/slos`);
      await other.reload();
      await until(async () => (/^✕ Page: burning/.test(await pacsFiring.innerText()) ? true : undefined), 20_000, 'the pacs page shown plainly again');
    } finally {
      await other.close();
    }
    // Why the evaluation's time trails the live grid's, said beside it.
    expect(await page.locator('ww-slos p[data-settled]').innerText()).toMatch(/count only settled minutes.*trail the live site grid by a few minutes/s);
    // A healthy application still has its budget.
    const epr = page.locator('ww-slos section.slo[data-slo="app-availability"][data-scope="app:epr"]');
    expect(await epr.locator('[data-budget-word]').innerText()).toMatch(/✓\s*Healthy|▲\s*Low/);

    // The burn-down is drawn: a canvas with a size, fed more than one point.
    const chart = pacs.locator('ww-slo-burndown ww-chart');
    await until(async () => ((await chart.count()) > 0 && (await chart.evaluate((el) => (el as unknown as { t: number[] }).t.length)) > 1 ? true : undefined), 30_000, 'the pacs burn-down with data');
    const canvas = chart.locator('canvas').first();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(box!.height).toBeGreaterThan(100);
    expect(await canvas.evaluate((el) => (el as HTMLCanvasElement).width * (el as HTMLCanvasElement).height)).toBeGreaterThan(0);
    const described = (await chart.locator('.chart').getAttribute('aria-label'))!;
    expect(described).toMatch(/^Error budget left over the rolling 28d window for app-availability on app:pacs, from .+; now −[\d.]+ %$/);
    // The legend says the overspent budget as the card writes a budget, not the −100 % the axis stops
    // at (nor "−1398.53 %"), and the spent line is a named target, not a series with a value.
    const now = described.slice(described.lastIndexOf('now ') + 4);
    expect(Number(now.replace('−', '-').replace(' %', ''))).toBeLessThan(-100);
    await expect(chart.locator('ul.latest li[data-series="budget left"] .v').innerText()).resolves.toBe(now);
    await expect(chart.locator('ul.latest li[data-target]').allInnerTexts()).resolves.toEqual(['all spent (0 % left)']);
    // A budget left is a value at its time (over the window ending then), not a window of its own.
    await expect(chart.locator('ul.latest li.when').innerText()).resolves.toMatch(/^latest at \d\d\/\d\d\/\d{4}, \d\d:\d\d$/);
    // Charts are drawn as their cards come near the screen, not all at once: the last card, two
    // screens down, has asked for nothing yet and says when it will be drawn.
    const cards = page.locator('ww-slos section.slo');
    const lastCard = cards.last();
    expect(await lastCard.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThan(2 * 900);
    const lastScope = (await lastCard.getAttribute('data-scope'))!;
    const lastSlo = (await lastCard.getAttribute('data-slo'))!;
    expect(budgetRequests.length).toBeLessThan(slos.length);
    await expect(lastCard.locator('ww-slo-burndown p.note').innerText()).resolves.toBe('The burn-down is drawn when the card comes into view.');
    expect(await lastCard.locator('ww-chart').count()).toBe(0);
    // Scrolled to, it draws.
    await lastCard.scrollIntoViewIfNeeded();
    await until(async () => ((await lastCard.locator('ww-slo-burndown ww-chart canvas').count()) > 0 ? true : undefined), 20_000, `the chart of ${lastSlo} on ${lastScope} once in view`);
    expect(budgetRequests).toContain(lastScope);
    // Every target gets its chart as the page is scrolled through.
    for (let i = 0; i < slos.length; i++) await cards.nth(i).scrollIntoViewIfNeeded();
    await until(async () => ((await page.locator('ww-slos ww-slo-burndown ww-chart canvas').count()) >= slos.length ? true : undefined), 30_000, 'a chart for every SLO target');
    await page.evaluate('window.scrollTo(0, 0)');

    // Worst first: the targets paging lead, and the healthy come after every target with an alert
    // firing or a budget low or spent.
    const order = await page.locator('ww-slos section.slo').evaluateAll((cards) => cards.map((c) => [c.getAttribute('data-slo'), c.getAttribute('data-scope'), c.getAttribute('data-budget'), c.querySelector('p.firing.page') ? 'page' : c.querySelector('p.firing.ticket') ? 'ticket' : '']));
    expect(order[0]![3]).toBe('page');
    const attention = (card: (string | null)[]) => card[3] !== '' || card[2] === 'low' || card[2] === 'exhausted';
    const lastAttention = order.map(attention).lastIndexOf(true);
    expect(order.slice(0, lastAttention + 1).every(attention)).toBe(true);
    // Only those needing attention, on asking: as many as the button says.
    await page.locator('ww-slos .show button[data-show="attention"]').click();
    const said = Number(/\((\d+)\)/.exec(await page.locator('ww-slos .show button[data-show="attention"]').innerText())![1]);
    await until(async () => ((await page.locator('ww-slos section.slo').count()) === said ? true : undefined), 10_000, 'only the targets needing attention');
    expect(said).toBe(lastAttention + 1);
    expect(await page.locator('ww-slos section.slo[data-slo="app-availability"][data-scope="app:pacs"]').count()).toBe(1);
    await page.locator('ww-slos .show button[data-show="all"]').click();
    await until(async () => ((await page.locator('ww-slos section.slo').count()) >= slos.length ? true : undefined), 10_000, 'every target again');

    await page.screenshot({ path: `${SCREENSHOTS}slo-page.png`, fullPage: true });

    // The alerts table says the same budget as the card (the stepped clock stands still: one
    // evaluation behind both); it wrote "-1081.7 %" beside the card's "−1081.7 %".
    await page.getByRole('link', { name: 'Alerts' }).click();
    const pacsRows = page.locator('ww-alerts tr[data-severity]').filter({ has: page.locator('td', { hasText: /^app-availability$/ }) }).filter({ hasText: 'app:pacs' });
    await until(async () => ((await pacsRows.count()) > 0 ? true : undefined), 20_000, 'the pacs alerts listed');
    expect(await pacsRows.evaluateAll((rows) => rows.map((r) => (r.children[4] as HTMLElement).innerText))).toEqual(Array((await pacsRows.count())).fill(cardBudget));

    // The application recovers: once the page's rules stop, the page is held firing a while, and the
    // alerts table says since when and until when (a burn hovering at a threshold is one alert).
    const fault = pipeline.simulator!.faults.find((f) => f.scenario === 'app-down')!;
    pipeline.simulator!.clearFault(fault.id, pipeline.clock());
    const held = await advanceUntil(pipeline, async () => {
      const alerts = (await (await fetch(`${pipeline.url}/api/alerts`)).json()) as AlertsResponse;
      return alerts.firing.find((a) => a.slo === 'app-availability' && a.scope === 'app:pacs' && a.severity === 'page' && a.clearingSince !== undefined);
    }, { withinMs: 45 * 60_000 }, 'the pacs page held after recovery');
    await page.reload();
    const heldRow = page.locator(`ww-alerts tr[data-fingerprint="${held.fingerprint}"]`);
    await until(async () => ((await heldRow.count()) > 0 ? true : undefined), 20_000, 'the held page listed');
    const heldText = await heldRow.locator('[data-clearing]').innerText();
    expect(heldText).toMatch(/burning below its thresholds since .+; resolves .+ unless it burns again/);
    // The dashboard writes times as UK time, en-GB ("04/12/2026, 13:05").
    const ukTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/London' });
    expect(heldText).toContain(`since ${ukTime.format(held.clearingSince!)}; resolves ${ukTime.format(held.clearingSince! + KEEP_FIRING_FOR_MS)}`);
  }, 150_000);
});
