import { encodeValues } from '@wardwatch/sketch';
import type { EvidencePack } from '@wardwatch/schema';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvidencePack } from './pack.ts';
import { loadPackInputs, type PackRequest } from './pack-inputs.ts';
import { ChromiumMissingError } from './render/pdf.ts';
import { MonthlyReportSender, type ReportMailbox, type ReportMessage } from './report-mailer.ts';

const HOUR = 3_600_000;
const directory = { source: 'test', sites: [{ id: 'RXX01', trust: 'RXX', name: "St Aldhelm's" }], devices: [], accessPoints: [] };
let store: SqliteRollupStore;
const requests: PackRequest[] = [];

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  // November 2026 at one site: every hour 40 logons, a quarter of them 50 s.
  const records: RollupRecord[] = [];
  const logons = [...Array(30).fill(20_000), ...Array(10).fill(50_000)];
  for (let t = Date.parse('2026-11-01T00:00:00Z'); t < Date.parse('2026-12-01T00:00:00Z'); t += HOUR) {
    records.push({ scope: 'site:RXX01', metric: 'logon.totalMs', resolution: '1h', start: t, count: 40, valid: 40, good: 40, fast: 30, sketch: encodeValues(logons) });
  }
  await store.write(records);
});
afterAll(() => store.close());

const build = async (request: PackRequest): Promise<EvidencePack> => {
  requests.push(request);
  return buildEvidencePack(await loadPackInputs(store, request, { directory, softwareVersion: 'test', now: Date.parse('2026-12-01T07:00:00Z') }));
};

function inbox(failures = 0): ReportMailbox & { messages: ReportMessage[] } {
  const messages: ReportMessage[] = [];
  let fail = failures;
  return {
    name: 'test inbox',
    messages,
    async sendMessage(message) {
      if (fail-- > 0) throw new Error('SMTP server replied 451');
      messages.push(message);
    },
  };
}

const html = async (pack: EvidencePack, format: string) => (format === 'pdf' ? new Uint8Array([37, 80, 68, 70]) : `<html>${pack.title}</html>`);

describe('MonthlyReportSender', () => {
  it('sends last month\'s pack on the first working day at the set time, then plans the next month', async () => {
    const mailbox = inbox();
    const sender = new MonthlyReportSender({ trust: 'RXX', mailbox, build, render: html, dashboardUrl: 'https://wardwatch.trust.nhs.uk/' }, Date.parse('2026-11-30T12:00:00Z'));
    expect(new Date(sender.next.at).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(await sender.tick(Date.parse('2026-12-01T06:59:59Z'))).toBeUndefined();
    expect(mailbox.messages).toHaveLength(0);

    const sent = await sender.tick(Date.parse('2026-12-01T07:00:00Z'));
    expect(mailbox.messages).toEqual([sent]);
    expect(requests.at(-1)).toEqual({ trust: 'RXX', month: '2026-11' });
    expect(sent!.subject).toBe('Evidence pack for November 2026: RXX');
    expect(sent!.attachments).toEqual([{ filename: 'wardwatch-evidence-RXX-2026-11.pdf', content: new Uint8Array([37, 80, 68, 70]), contentType: 'application/pdf' }]);
    // The headline figures in the body: 10 logons an hour 20 s over the 30 s target for 720 hours is
    // 40 h, read from sketches (the 50 s bin within 1 %); the pack's own sentences come first.
    const hours = Number(/Staff time lost: ([\d.]+) hours/.exec(sent!.text)![1]);
    expect(hours).toBeGreaterThan(39);
    expect(hours).toBeLessThanOrEqual(40);
    // Hours and money as the pack writes them ("£2,076 – £12,456", not "£2,076–£12,456").
    expect(sent!.text).toMatch(/Staff time lost: [\d.,]+ hours \([\d.]+ FTE\), £[\d,]+ – £[\d,]+ at 2023\/24 prices\./);
    expect(sent!.text).toContain('November 2026: clinicians lost about');
    expect(sent!.text).toContain('https://wardwatch.trust.nhs.uk/#/evidence/2026-11');
    expect(new Date(sender.next.at).toISOString()).toBe('2027-01-04T07:00:00.000Z');
    expect(await sender.tick(Date.parse('2026-12-01T08:00:00Z'))).toBeUndefined();
  });

  it('tries again an hour after a failure, and gives a month up a day after it was due', async () => {
    const errors: unknown[] = [];
    const mailbox = inbox(2);
    const sender = new MonthlyReportSender({ trust: 'RXX', site: 'RXX01', format: 'html', time: '09:00', mailbox, build, render: html, onError: (e) => errors.push(e) }, Date.parse('2026-11-30T12:00:00Z'));
    const due = Date.parse('2026-12-01T09:00:00Z');
    expect(await sender.tick(due)).toBeUndefined();
    expect(await sender.tick(due + 30 * 60_000)).toBeUndefined(); // not yet an hour
    expect(await sender.tick(due + HOUR)).toBeUndefined(); // second failure
    const sent = await sender.tick(due + 2 * HOUR);
    expect(sent!.attachments[0]!.filename).toBe('wardwatch-evidence-RXX-RXX01-2026-11.html');
    expect(errors).toHaveLength(2);

    const never = new MonthlyReportSender({ trust: 'RXX', mailbox: inbox(100), build, render: html, retryMs: 10 * HOUR }, Date.parse('2026-11-30T12:00:00Z'));
    for (const h of [0, 10, 20]) await never.tick(due - 2 * HOUR + h * HOUR);
    expect(new Date(never.next.at).toISOString()).toBe('2027-01-04T07:00:00.000Z');
  });

  it('attaches the web page, and says why, when Chromium is missing for the PDF', async () => {
    const mailbox = inbox();
    const render = async (pack: EvidencePack, format: string) => {
      if (format === 'pdf') throw new ChromiumMissingError('PDF needs Chromium, not found at /nowhere');
      return html(pack, format);
    };
    const sender = new MonthlyReportSender({ trust: 'RXX', mailbox, build, render }, Date.parse('2026-11-30T12:00:00Z'));
    const sent = await sender.tick(Date.parse('2026-12-01T07:00:00Z'));
    expect(sent!.attachments[0]).toMatchObject({ filename: 'wardwatch-evidence-RXX-2026-11.html', contentType: 'text/html; charset=utf-8' });
    expect(sent!.text).toContain('The PDF could not be printed (PDF needs Chromium, not found at /nowhere)');
  });
});
