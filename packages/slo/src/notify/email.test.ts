// EmailNotifier against a real SMTP server (smtp-server) on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmailNotifier } from './email.ts';
import { NotifierError } from './notifier.ts';
import { ALERT, FIRING, RESOLVED } from './sample-alert.fixture.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Decodes a quoted-printable body (nodemailer uses it for text with non-ASCII such as "×"). */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function bodyOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return /content-transfer-encoding: quoted-printable/i.test(raw) ? decodeQuotedPrintable(body) : body;
}

let server: SMTPServer;
let port: number;
let received: Received[];
let rejectNext: number[];

beforeEach(async () => {
  received = [];
  rejectNext = [];
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = rejectNext.shift();
        if (code) return callback(Object.assign(new Error(`scripted ${code}`), { responseCode: code }));
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const notifier = () =>
  new EmailNotifier({ host: '127.0.0.1', port, from: 'wardwatch@trust.example.nhs.uk', to: ['oncall@trust.example.nhs.uk', 'desk@trust.example.nhs.uk'], retry: { attempts: 3, baseDelayMs: 1 }, dashboardUrl: 'https://wardwatch.example.nhs.uk/' });

describe('EmailNotifier', () => {
  it('sends subject and body to every recipient', async () => {
    const email = notifier();
    await email.send(FIRING);
    email.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe('wardwatch@trust.example.nhs.uk');
    expect(received[0]!.to).toEqual(['oncall@trust.example.nhs.uk', 'desk@trust.example.nhs.uk']);
    expect(received[0]!.raw).toMatch(/^Subject: \[FIRING page\] site-app-availability on site:S1\r$/m);
    const body = bodyOf(received[0]!.raw);
    expect(body).toContain(ALERT.summary);
    expect(body).toContain('Budget left: 75.0 %');
    expect(body).toContain('Fingerprint: 0123456789abcdef');
    expect(body).toContain('Open wardwatch: https://wardwatch.example.nhs.uk/');
  });

  it('says when an alert resolved', async () => {
    const email = notifier();
    await email.send(RESOLVED);
    email.close();
    expect(received[0]!.raw).toMatch(/^Subject: \[RESOLVED page\] site-app-availability on site:S1\r$/m);
    expect(bodyOf(received[0]!.raw)).toContain('Resolved: 2025-01-15T13:00:00.000Z');
  });

  it('retries a transient 451 and then delivers', async () => {
    rejectNext = [451];
    const email = notifier();
    await email.send(FIRING);
    email.close();
    expect(received).toHaveLength(1);
    expect(rejectNext).toEqual([]);
  });

  it('does not retry a permanent 554', async () => {
    rejectNext = [554, 554];
    const email = notifier();
    const error = await email.send(FIRING).then(() => undefined, (e: unknown) => e);
    email.close();
    expect(error).toBeInstanceOf(NotifierError);
    expect(error).toMatchObject({ code: 'SMTP', status: 554, retriable: false });
    expect(rejectNext).toEqual([554]);
    expect(received).toEqual([]);
  });

  it('reports a server that is down as a retriable network error', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const email = notifier();
    await expect(email.send(FIRING)).rejects.toMatchObject({ code: 'NETWORK', retriable: true });
    email.close();
    server = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
});
