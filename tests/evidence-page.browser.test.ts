// The Evidence page in a real browser against the embedded demo with its history: reached from the
// navigation, it shows last month's pack — time lost as hours, FTE and a £ range, the trend over the
// history's months, and the SSO roll-out found better before and after — with print and download
// links; the trust's annotations are listed, one is added through the form, and a bad one is refused
// with the field named. Screenshot in test-output/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPipeline } from '@wardwatch/cli';
import type { EvidencePack } from '@wardwatch/schema';
import { startTestPipeline } from './helpers/pipeline.ts';
import { launchChromium, SCREENSHOTS } from './helpers/browser.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
let browser: Browser;
let page: Page;
const now = new Date();
const lastMonth = now.getMonth() === 0 ? `${now.getFullYear() - 1}-12` : `${now.getFullYear()}-${String(now.getMonth()).padStart(2, '0')}`;

beforeAll(async () => {
  // The stepped clock at today's date (the page shows last month by the browser's calendar), standing
  // still: nothing is simulated live while the history is written.
  pipeline = await startTestPipeline({ seed: 11, startAt: Date.now(), sites: 3, historyMonths: 3, dashboard: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  // The history is written in the background, newest day first, so the oldest month comes last
  // (seconds; minutes on a loaded machine): wait until last month's pack has it all.
  await until(async () => {
    const response = await fetch(`${pipeline.url}/api/reports/RXX/${lastMonth}.json`);
    if (!response.ok) return undefined;
    const pack = (await response.json()) as EvidencePack;
    return pack.beforeAfter.comparisons.length > 0 && pack.trend.months.filter((m) => m.hoursWithData > 0).length >= 3 ? pack : undefined;
  }, 240_000, 'the demo history in last month\'s pack');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

describe('Evidence page in Chromium', () => {
  it('shows last month\'s pack with its trend and the SSO roll-out found better', async () => {
    await page.goto(pipeline.url);
    await page.getByRole('link', { name: 'Evidence' }).click();
    expect(page.url()).toContain('#/evidence');
    const evidence = page.locator('ww-evidence');
    await evidence.locator('[data-figure="hours"]').waitFor({ timeout: 60_000 });
    expect(await evidence.locator('input[type="month"]').inputValue()).toBe(lastMonth);
    expect(await evidence.locator('[data-figure="cost"]').innerText()).toMatch(/^£[\d,]+ – £[\d,]+$/);
    // The headline's sentence says the change the figure beside it shows ("9.5 % less" once stood
    // beside "−9 %").
    const headline = await evidence.locator('section.headline').innerText();
    for (const figure of ['vs-last-month', 'vs-baseline']) {
      const shown = await evidence.locator(`[data-figure="${figure}"]`).innerText();
      if (shown === '–') continue;
      expect(headline).toContain(shown === '0 %' ? 'no change' : `${shown.slice(1)} ${shown.startsWith('−') ? 'less' : 'more'}`);
    }

    // Trend: at least three months with data, drawn and tabled.
    const withData = await evidence.locator('table[data-table="trend"] tbody tr').evaluateAll((rows) => rows.filter((r) => !r.textContent!.includes('no data')).length);
    expect(withData).toBeGreaterThanOrEqual(3);
    expect(await evidence.locator('ww-chart').evaluate((el) => (el as unknown as { t: number[] }).t.length)).toBeGreaterThanOrEqual(3);
    // Part months (the one the history began in, unless it began on the 1st) are marked, not compared
    // and not drawn; the full months are drawn, and the line's latest point is said as a month.
    const pack = (await (await fetch(`${pipeline.url}/api/reports/RXX/${lastMonth}.json`)).json()) as EvidencePack;
    const partMonths = pack.trend.months.filter((m) => m.hoursWithData > 0 && !m.full).map((m) => m.month);
    const marked = await evidence.locator('table[data-table="trend"] tbody tr[data-part]').evaluateAll((rows) => rows.map((r) => [r.children[0]!.textContent, r.children[1]!.textContent, r.children[6]!.textContent]));
    expect(marked).toEqual(partMonths.map((m) => [m, expect.stringMatching(/\(part month\)$/), '–']));
    const drawn = await evidence.locator('ww-chart').evaluate((el) => (el as unknown as { series: Array<{ values: Array<number | null> }> }).series[0]!.values);
    expect(drawn).toEqual(pack.trend.months.map((m) => (m.full ? m.hours : null)));
    expect(pack.trend.months.filter((m) => m.full).length).toBeGreaterThanOrEqual(2);
    // The months before the history's first are one row, not a row of "no data" each; the rest a row a month.
    const firstWithData = pack.trend.months.findIndex((m) => m.hoursWithData > 0);
    expect(firstWithData).toBeGreaterThanOrEqual(2);
    const rows = await evidence.locator('table[data-table="trend"] tbody tr').evaluateAll((trs) => trs.map((r) => [r.children[0]!.textContent, r.children[1]!.textContent]));
    expect(rows).toEqual([
      [`${pack.trend.months[0]!.month} – ${pack.trend.months[firstWithData - 1]!.month}`, `no data (${firstWithData} months)`],
      ...pack.trend.months.slice(firstWithData).map((m) => [m.month, expect.any(String)]),
    ]);
    // The demo's history has the sites' logon phases: each site's logons name the phase where the time goes.
    const siteLogons = pack.logons.filter((r) => r.level === 'site');
    expect(siteLogons.length).toBeGreaterThan(0);
    expect(siteLogons.filter((r) => r.dominantPhase === null).map((r) => r.scope)).toEqual([]);
    // Named on the page as the printed pack names it: the phase and its share of the time.
    const logonsTable = evidence.locator('section[aria-labelledby="ev-logons"] table');
    expect(await logonsTable.locator('thead th').last().innerText()).toMatch(/^dominant phase$/i);
    const phaseCells = await logonsTable.locator('tbody tr td:last-child').allInnerTexts();
    expect(phaseCells).toEqual(pack.logons.map((r) => expect.stringMatching(r.dominantPhase ? new RegExp(`^${r.dominantPhase.label} \\([\\d.]+ %\\)$`) : /^not reported$/)));
    // Screen and paper read alike: each logon and application figure on the page is written as the
    // printed pack writes it (they once rounded a p95 to "15.5 s" and "16 s", 99.6 % availability to
    // "99.60 %" and "100 %").
    const printed = await browser.newPage();
    await printed.goto(`${pipeline.url}/api/reports/RXX/${lastMonth}.html`);
    const printedRows = (header: string, columns: string[]) =>
      printed.evaluate(
        `(() => { const t = [...document.querySelectorAll('table')].find((t) => t.querySelector('th')?.textContent === ${JSON.stringify(header)} && [...t.querySelectorAll('th')].some((th) => th.textContent === ${JSON.stringify(columns.at(-1))}));
          const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent);
          const at = ${JSON.stringify(columns)}.map((c) => heads.indexOf(c));
          return [...t.querySelectorAll('tbody tr')].map((tr) => at.map((i) => tr.children[i].textContent)); })()`,
      ) as Promise<string[][]>;
    const screenRows = (table: string, columns: number[]) =>
      evidence.locator(`table[data-table="${table}"] tbody tr`).evaluateAll((rows, at) => rows.map((r) => at.map((i) => (r.children[i] as HTMLElement).innerText)), columns);
    const logonFigures = ['p50', 'p95', 'Over 30 s', 'Over 40 s', 'Hours lost', 'Dominant phase'];
    expect(await screenRows('logons', [0, 2, 3, 4, 5, 6, 7])).toEqual(await printedRows('Scope', ['Scope', ...logonFigures]));
    const appFigures = ['Site', 'Application', 'p50', 'p95', 'Over target', 'Availability', 'Hours lost'];
    const onScreen = await screenRows('applications', [0, 1, 2, 3, 4, 5, 6]);
    expect(onScreen.length).toBeGreaterThan(0);
    expect(onScreen).toEqual(await printedRows('Site', appFigures));
    await printed.close();
    expect(await evidence.locator('ww-chart .when').innerText()).toMatch(/^latest: (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$/);

    // Before and after: the SSO at RXX03, logons better, said in words.
    const sso = evidence.locator('.comparison[data-scope="site:RXX03"]');
    expect(await sso.locator('h4').innerText()).toMatch(/Single sign-on/);
    expect(await sso.locator('tr[data-figure="logon.p50"] [data-verdict]').innerText()).toMatch(/✓\s*better/);
    expect(await sso.locator('p').first().innerText()).toMatch(/Logon time, median fell from/);

    // Print and download links name the same pack.
    const links = await evidence.locator('.outputs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['html', 'pdf', 'csv', 'json'].map((ext) => `api/reports/RXX/${lastMonth}.${ext}`));
    const csv = await fetch(`${pipeline.url}/${links[2]}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    await page.screenshot({ path: `${SCREENSHOTS}evidence-page.png`, fullPage: true });
  }, 120_000);

  it('lists the annotations, records a new one, and names the field of a bad one', async () => {
    // Until the list has come it says so, not "None recorded": the list held back in a second page.
    const held = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await held.route((url) => url.pathname === '/api/annotations', async (route) => {
      await released;
      await route.continue();
    });
    await held.goto(`${pipeline.url}/#/evidence`);
    const heldList = held.locator('ww-evidence ww-annotations ul');
    await until(async () => ((await heldList.locator('li[data-loading]').count()) === 1 ? true : undefined), 20_000, 'the list said to be loading');
    await expect(heldList.innerText()).resolves.toBe('Loading…');
    release();
    await until(async () => ((await heldList.locator('li[data-annotation]').count()) >= 2 ? true : undefined), 20_000, 'the annotations once let through');
    await expect(heldList.locator('li[data-loading]').count()).resolves.toBe(0);
    await held.close();

    const annotations = page.locator('ww-evidence ww-annotations');
    await until(async () => ((await annotations.locator('li[data-annotation]').count()) >= 2 ? true : undefined), 20_000, 'the demo annotations listed');
    expect(await annotations.locator('li[data-annotation]').allInnerTexts()).toEqual([expect.stringMatching(/change\s+Single sign-on/), expect.stringMatching(/maintenance\s+Network maintenance/)]);

    const form = annotations.locator('form');
    await form.locator('input[name="scope"]').fill('site:RXX02');
    await form.locator('input[name="title"]').fill('New thin clients on every ward');
    await form.locator('input[name="start"]').fill(`${lastMonth}-10T08:00`);
    await form.locator('button[type="submit"]').click();
    await until(async () => ((await annotations.locator('li[data-annotation]').count()) === 3 ? true : undefined), 20_000, 'the new annotation listed');
    const stored = (await (await fetch(`${pipeline.url}/api/annotations?scope=site:RXX02`)).json()) as Array<{ title: string; start: number }>;
    expect(stored.map((a) => a.title)).toEqual(['New thin clients on every ward']);

    await form.locator('input[name="scope"]').fill('RXX02');
    await form.locator('input[name="title"]').fill('Typo');
    await form.locator('input[name="start"]').fill(`${lastMonth}-11T08:00`);
    await form.locator('button[type="submit"]').click();
    await until(async () => ((await annotations.locator('[role="alert"]').count()) > 0 ? true : undefined), 10_000, 'the refusal shown');
    expect(await annotations.locator('[role="alert"]').innerText()).toMatch(/^scope: must be "trust" or a scope key/);
  }, 60_000);
});
