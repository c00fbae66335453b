import { describe, expect, it } from 'vitest';
import { contradiction, decodeEvent, type TelemetryEvent } from '../index.ts';

const now = Date.UTC(2026, 10, 24, 9, 0, 0);
const envelope = { v: 1, id: 'evt-00000001', seq: 1, ts: now - 1000, trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1' } as const;
const app = (body: Record<string, unknown>) => ({ ...envelope, kind: 'app', body: { app: 'epr', ok: true, status: 200, ...body } }) as TelemetryEvent;
const logon = (totalMs: number, phases: Record<string, number>, extra: Record<string, unknown> = {}) => ({ ...envelope, kind: 'logon', body: { totalMs, ok: true, phases, ...extra } }) as TelemetryEvent;

describe('contradiction: fields that cannot all be true', () => {
  it.each<[string, TelemetryEvent, RegExp]>([
    ['app phases adding up to more than the total', app({ dnsMs: 3, tcpMs: 10, tlsMs: 30, ttfbMs: 500, totalMs: 420 }), /^body: dnsMs \+ tcpMs \+ tlsMs \+ ttfbMs come to 543 ms, more than totalMs 420 ms: an application check's phases are parts of its total time$/],
    ['one app phase longer than the total', app({ dnsMs: 5200, totalMs: 1000 }), /^body: dnsMs 5,200 ms is more than totalMs 1,000 ms/],
    ['a failed check whose first byte came after it ended', app({ ok: false, error: 'timeout', ttfbMs: 10_500, totalMs: 10_000 }), /^body: ttfbMs 10,500 ms is more than totalMs 10,000 ms/],
    ['sequential logon phases longer than the logon', logon(10_000, { winlogonMs: 1000, profileMs: 6000, preShellMs: 1500, shellMs: 3000 }), /^body\.phases: winlogonMs \+ profileMs \+ preShellMs \+ shellMs come to 11,500 ms, more than totalMs 10,000 ms: these phases follow one another inside the logon$/],
    ['a profile load longer than the logon', logon(10_000, { profileMs: 12_000 }), /^body\.phases: profileMs 12,000 ms is more than totalMs 10,000 ms/],
    ['Winlogon subscribers holding the logon longer than it lasted', logon(26_300, { subscribersMs: 30_000 }), /^body\.phases\.subscribersMs 30,000 ms is longer than totalMs 26,300 ms: the phase lies inside the logon$/],
    ['logon tasks longer than the logon', logon(17_615, { shellMs: 6770, logonTasksMs: 18_000 }), /^body\.phases\.logonTasksMs 18,000 ms is longer than totalMs 17,615 ms/],
  ])('%s', (_name, event, message) => {
    expect(contradiction(event)).toMatch(message);
    // Every receiver refuses it alike, with the reason the dead-letter topic is labelled with.
    const decoded = decodeEvent(JSON.stringify(event), { now });
    expect(decoded).toEqual({ ok: false, reason: 'inconsistent', message: contradiction(event) });
  });

  it.each<[string, TelemetryEvent]>([
    ['app phases inside the total', app({ dnsMs: 3, tcpMs: 10, tlsMs: 30, ttfbMs: 300, totalMs: 420 })],
    ['app phases exactly the total', app({ dnsMs: 3.25, tcpMs: 10.5, tlsMs: 30.125, ttfbMs: 376.125, totalMs: 420 })],
    // Each rounded to whole ms by its sender: 100.4 + 100.4 + 100.4 + 100.4 = 401.6 → 4 × 100 against 402.
    ['app phases rounded by their sender, past the rounded total by rounding alone', app({ dnsMs: 100, tcpMs: 101, tlsMs: 101, ttfbMs: 101, totalMs: 402 })],
    ['an app check without phases', app({ totalMs: 420 })],
    ['a refused connection: DNS then nothing', app({ ok: false, error: 'refused', dnsMs: 4, totalMs: 5 })],
    // The agent's Windows fixture logon-vdi-fslogix.json (packages/agent/fixtures/windows): subscribers
    // inside Winlogon and the profile load; Group Policy and its scripts alongside.
    ['an FSLogix logon', logon(26_300, { winlogonMs: 14_320, subscribersMs: 16_200, profileMs: 1780, groupPolicyMs: 5350, gpScriptsMs: 4100, preShellMs: 2300, shellMs: 2400, logonTasksMs: 2300 })],
    // Asynchronous Group Policy and its logon scripts run on after the desktop is ready.
    ['asynchronous Group Policy outlasting the logon', logon(9000, { winlogonMs: 900, profileMs: 2000, groupPolicyMs: 45_000, gpScriptsMs: 40_000, preShellMs: 1500, shellMs: 3000 })],
    ['a clinical application logon after the desktop', logon(12_000, { winlogonMs: 1000, profileMs: 3000, shellMs: 4000, appLogonMs: 20_000 })],
    ['a clinical application logon alone', logon(8000, { appLogonMs: 8000 }, { readyBy: 'application-mark' })],
    // The agent's Linux fixture journal-gdm-overlapping.jsonl: phases of whole ms adding up to the total.
    ['a Linux session', logon(4314, { winlogonMs: 45, profileMs: 487, shellMs: 3782 })],
    // Given up after ten minutes without a shell; the profile load it was stuck in ended two minutes later.
    ['a failed logon whose stuck phase ended after it was given up', logon(600_000, { winlogonMs: 1200, profileMs: 719_000 }, { ok: false })],
    ['a logon without phases', { ...envelope, kind: 'logon', body: { totalMs: 9000, ok: true } } as TelemetryEvent],
    ['a Wi-Fi reading', { ...envelope, kind: 'wifi', body: { connected: true, signalDbm: -61 } } as TelemetryEvent],
  ])('accepts %s', (_name, event) => {
    expect(contradiction(event)).toBeUndefined();
    expect(decodeEvent(JSON.stringify(event), { now }).ok).toBe(true);
  });
});
