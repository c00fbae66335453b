// The monthly email end to end: an SLO file with an SMTP notifier and a `reports:` entry, read and
// wired as `wardwatch start` wires it; on the first working day the evidence pack for last month,
// built from the store (the demo history, with its SSO roll-out), reaches a real SMTP server on
// 127.0.0.1 as an attachment.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoHistory, demoStory, startMonthlyReports } from '@wardwatch/cli';
import { buildEstate } from '@wardwatch/simulator';
import { createNotifiers, parseSloConfig } from '@wardwatch/slo';
import { SqliteRollupStore } from '@wardwatch/store';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
let server: SMTPServer;
let port: number;
const received: Array<{ to: string[]; raw: string }> = [];
let store: SqliteRollupStore;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;

  // November's history for a small trust, the SSO roll-out six weeks before the end of it.
  store = new SqliteRollupStore(':memory:');
  const estate = buildEstate({ seed: 3, sites: 3, wardsPerSite: 2, devicesPerWard: 5 });
  const story = demoStory(estate, NOW);
  const history = new DemoHistory({ estate, seed: 3, from: 0, to: 0, changes: story.changes, maintenance: story.maintenance });
  const from = Date.parse('2026-09-01T00:00:00Z');
  for (let t = from; t < NOW; t += DAY) await store.write(history.hours(t, Math.min(t + DAY, NOW - (NOW % 3_600_000))));
  for (const a of story.annotations) await store.addAnnotation({ ...a, createdAt: NOW });
});

/** The parts of a multipart message: headers and decoded body (base64 or quoted-printable). */
function mimeParts(raw: string): Array<{ headers: string; body: string }> {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)![1]!;
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const headers = part.slice(0, split);
      const encoded = part.slice(split + 4);
      const body = /content-transfer-encoding: base64/i.test(headers)
        ? Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8')
        : /content-transfer-encoding: quoted-printable/i.test(headers)
          ? Buffer.from(encoded.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
          : encoded;
      return { headers, body };
    });
}

afterAll(async () => {
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('monthly evidence pack by email', () => {
  it('goes out on the first working day through the SLO file\'s SMTP notifier, to the report\'s recipients', async () => {
    const file = parseSloConfig(`slos:
  - name: app-availability
    scope: { kind: application, selector: "*" }
    indicator: { kind: availability }
    objective: 0.995
notifications:
  - { type: email, name: board-mail, host: 127.0.0.1, port: ${port}, from: wardwatch@trust.example.nhs.uk, to: [desk@trust.example.nhs.uk] }
reports:
  - { trust: RXX, email: board-mail, to: [cio@trust.example.nhs.uk], format: html, dashboardUrl: "https://wardwatch.trust.example.nhs.uk" }
`);
    const notifiers = createNotifiers(file.notifications);
    const reports = startMonthlyReports({ reports: file.reports, notifiers, store, log: pino({ level: 'silent' }), clock: () => NOW });
    try {
      const [sender] = reports.senders;
      expect(new Date(sender!.next.at).toISOString()).toBe('2026-12-01T07:00:00.000Z');
      expect(await sender!.tick(Date.parse('2026-12-01T06:00:00Z'))).toBeUndefined();
      expect(received).toHaveLength(0);
      await sender!.tick(Date.parse('2026-12-01T07:00:00Z'));
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['cio@trust.example.nhs.uk']);
      const raw = received[0]!.raw;
      expect(raw).toMatch(/^Subject: Evidence pack for November 2026: RXX\r$/m);
      const [text, attachment] = mimeParts(raw);
      expect(text!.body).toMatch(/Staff time lost: [\d.]+ hours/);
      expect(text!.body).toContain('https://wardwatch.trust.example.nhs.uk/#/evidence/2026-11');
      expect(attachment!.headers).toContain('filename=wardwatch-evidence-RXX-2026-11.html');
      const html = attachment!.body;
      expect(html).toContain('November 2026');
      // The pack's before-and-after section found the SSO roll-out of the history.
      expect(html).toMatch(/Single sign-on \(tap and go\) live at/);
      expect(new Date(sender!.next.at).toISOString()).toBe('2027-01-04T07:00:00.000Z');
    } finally {
      await reports.stop();
      for (const n of notifiers) (n as { close?: () => void }).close?.();
    }
  }, 60_000);
});
