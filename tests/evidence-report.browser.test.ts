// The evidence pack's outputs for a simulated trust: HTML, CSV, JSON, and the PDF printed by
// Chromium, read back with pdftotext; its first page rendered to PNG in test-output/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePack, durationText } from '@wardwatch/schema';
import { SqliteRollupStore } from '@wardwatch/store';
import { buildEvidencePack, ChromiumMissingError, loadPackInputs, londonMonth, parseEvidenceConfig, renderPack, renderPdf } from '@wardwatch/evidence';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';

const OUT = 'test-output';
const config = parseEvidenceConfig('applications: { checkIntervalS: 300 }');
let store: SqliteRollupStore;
let pack: EvidencePack;

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  await writeTrust(store, { from: londonMonth('2026-09').from, to: londonMonth('2026-10').to });
  const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 10, 1, 9) });
  pack = buildEvidencePack(inputs, config);
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await store?.close();
});

const money = (v: number) => `£${Math.round(v).toLocaleString('en-GB')}`;

describe('evidence pack outputs', () => {
  it('HTML: self-contained (no scripts, nothing loaded from elsewhere), the headline figures and every section', async () => {
    const html = String(await renderPack(pack, 'html'));
    expect(html).not.toMatch(/<script|src=|href="http|@import/i);
    expect(html).toContain(money(pack.summary.timeLost.cost.low));
    expect(html).toContain(money(pack.summary.timeLost.cost.high));
    for (const h of ['Summary', 'Sensitivity', 'Trend', 'Logons', 'Applications', 'Wi-Fi', 'Devices', 'Experience score', 'Before and after', 'Method', 'What Good Looks Like']) expect(html).toContain(`<h2>${h}`);
    expect(html.match(/<svg/g)!.length).toBe(2);
    // The trend's months before the data began read "no data", never 0.0 hours lost worth £0: one row
    // for all of them, not a row each.
    expect(pack.trend.months[0]).toMatchObject({ month: '2025-10', hoursWithData: 0 });
    const firstWithData = pack.trend.months.findIndex((m) => m.hoursWithData > 0);
    expect(firstWithData).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`<tr><td class="k">2025-10 – ${pack.trend.months[firstWithData - 1]!.month}</td><td>no data (${firstWithData} months)</td><td class="n">–</td>`);
    expect(html).not.toContain('<td>no data</td>');
    expect(html).not.toMatch(/£0 – £0/);
    // Changes with a true minus, as on the dashboard: never a hyphen, and one that rounds to nothing
    // "0 %", never "-0 %" (this trust's months got worse: a pack with its changes turned round).
    const fell = structuredClone(pack);
    fell.summary.vsLastMonth.relative = -0.094;
    fell.trend.months.at(-1)!.vsBaseline = -0.004;
    const fellHtml = String(await renderPack(fell, 'html'));
    expect(fellHtml).toContain('−9.4 %');
    expect(fellHtml).not.toMatch(/[>\s]-[\d.]+ %/);
    expect(fellHtml).toMatch(/<td class="n">0 %<\/td>|<td>0 %<\/td>/);
    // Counts with their thousands grouped, as on the dashboard.
    const logons = pack.logons[0]!.logons;
    expect(logons).toBeGreaterThan(999);
    expect(html).toContain(`<td class="n">${logons.toLocaleString('en-GB')}</td>`);
    expect(html).not.toContain(`<td class="n">${logons}</td>`);
    writeFileSync(`${OUT}/evidence-pack.html`, html);
  });

  it('CSV: one figure a row, the summary figures as in the pack', async () => {
    const csv = String(await renderPack(pack, 'csv'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('trust,month,section,scope,name,figure,value,unit');
    const hours = lines.find((l) => l.includes(',summary,') && l.includes(',hours lost,'))!;
    expect(Number(hours.split(',').at(-2))).toBeCloseTo(pack.summary.timeLost.hours, 6);
    expect(lines.filter((l) => l.includes(',trend,'))).toHaveLength(13 * 8);
    // A month without data has blank figures, not 0 hours lost.
    expect(lines).toContain('RXX,2026-10,trend,trust,2025-10,hours lost,,hours');
    expect(lines).toContain('RXX,2026-10,trend,trust,2025-10,hours with data,0,hours');
    expect(lines.some((l) => l.includes('site:S3'))).toBe(true); // only as "left out"
    expect(lines.filter((l) => l.includes('site:S3')).every((l) => l.includes(',method,'))).toBe(true);
  });

  it('JSON: the pack itself, valid against the schema', async () => {
    const json = JSON.parse(String(await renderPack(pack, 'json')));
    expect(EvidencePack.parse(json)).toEqual(pack);
  });

  it('PDF: printed by Chromium; pdftotext shows the headline figures; page 1 as PNG in test-output/', async () => {
    const pdf = (await renderPack(pack, 'pdf')) as Uint8Array;
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    writeFileSync(`${OUT}/evidence-pack.pdf`, pdf);
    const text = execFileSync('pdftotext', ['-layout', `${OUT}/evidence-pack.pdf`, '-'], { encoding: 'utf8' });
    expect(text).toContain('Staff hours lost');
    expect(text).toContain(money(pack.summary.timeLost.cost.low));
    expect(text).toContain(money(pack.summary.timeLost.cost.high));
    expect(text).toContain(`${pack.summary.timeLost.fte.toFixed(2)} FTE`);
    expect(text).toContain('Royal Infirmary');
    // A figure stays whole on the page: each trend month's row starts with its month, unbroken, and
    // its logon p95 with its unit on the same line ("23.6" over "s" read as two figures).
    for (const m of pack.trend.months.filter((x) => x.logonP95Ms !== null)) {
      expect(text).toMatch(new RegExp(`^\\s*${m.month}\\s.*\\s${durationText(m.logonP95Ms).replace('.', '\\.')}\\s`, 'm'));
    }
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', `${OUT}/evidence-pack.pdf`, `${OUT}/evidence-pack-page1`]);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [`${OUT}/evidence-pack.pdf`], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(2);
  }, 60_000);

  it('names the Debian package when Chromium is missing', async () => {
    const error = await renderPdf('<p>x</p>', '/nonexistent/chromium').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChromiumMissingError);
    expect((error as Error).message).toMatch(/Debian package "chromium".*WARDWATCH_CHROMIUM/);
  });
});
