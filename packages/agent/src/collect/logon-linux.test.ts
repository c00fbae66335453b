import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { contradiction, LogonBody, type TelemetryEvent } from '@wardwatch/schema';
import { parseLinuxSessions, type LinuxLogon } from './logon-linux.ts';
import { toLogonBody } from './logon-common.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/linux/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);

// Expected values are worked out by hand from __REALTIME_TIMESTAMP (µs), rounded to whole ms.
const cases: Array<[string, string, Array<Partial<LinuxLogon>>]> = [
  [
    'lightdm + Xfce: the desktop is the first xfce4-panel line; greeter, cron and ssh sessions ignored',
    'journal-lightdm.jsonl',
    [
      {
        startedAt: at('2024-11-25T08:05:31.402Z'), account: 'jsmith01', uid: 1001, service: 'lightdm', logonId: '4', ok: true, readyBy: 'desktop-process',
        // PAM 31.402117 → logind 31.447520 → user manager 31.934117 → xfce4-panel 35.716402
        phases: { winlogonMs: 45, profileMs: 487, shellMs: 3782 },
        totalMs: 4314,
      },
    ],
  ],
  [
    'gdm + GNOME, two users starting at once: user-manager lines told apart by _UID, the second user ready first',
    'journal-gdm-overlapping.jsonl',
    [
      {
        startedAt: at('2024-11-25T08:41:12.300Z'), account: 'jsmith01', uid: 1001, service: 'gdm-password', logonId: '5', ok: true, readyBy: 'graphical-session.target',
        // PAM 12.300410 → logind 12.358410 → Startup finished 12.975410 → graphical-session.target 21.208655
        phases: { winlogonMs: 58, profileMs: 617, shellMs: 8233 },
        totalMs: 8908,
      },
      {
        startedAt: at('2024-11-25T08:41:13.400Z'), account: 'adoe02', uid: 1002, service: 'gdm-password', logonId: '6', ok: true, readyBy: 'graphical-session.target',
        // PAM 13.400 → logind 13.452 → Startup finished 14.012 → graphical-session.target 19.533
        phases: { winlogonMs: 52, profileMs: 560, shellMs: 5521 },
        totalMs: 6133,
      },
    ],
  ],
  [
    'gdm + GNOME: shell crash ends the session; the retry works; another session never reaches the desktop',
    'journal-interrupted.jsonl',
    [
      {
        startedAt: at('2024-11-25T08:20:05.113Z'), account: 'jsmith01', logonId: '7', ok: false, reason: 'session ended before the desktop was ready',
        totalMs: 42_787, // "Session 7 logged out." at 20:47.900000 − 20:05.113200
        phases: { winlogonMs: 57, profileMs: 632 }, // gnome-shell logged, then crashed: not ready
      },
      {
        startedAt: at('2024-11-25T08:21:30.250Z'), account: 'jsmith01', logonId: '8', ok: true,
        phases: { winlogonMs: 51, profileMs: 543, shellMs: 5280 },
        totalMs: 5874,
      },
      {
        startedAt: at('2024-11-25T08:35:00.000Z'), account: 'adoe02', logonId: '9', ok: false, reason: 'no desktop within 10 min',
        totalMs: 600_000, // the journal runs to 46:02, past the 10 minutes
        phases: { winlogonMs: 49, profileMs: 662 }, // 00.049500 → 00.711200 = 661.7
      },
    ],
  ],
];

describe('parseLinuxSessions on recorded fixtures', () => {
  it.each(cases)('%s', (_name, file, expected) => {
    const logons = parseLinuxSessions(fixture(file));
    expect(logons).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      expect(logons[i]).toMatchObject(want);
      expect(logons[i]!.phases).toEqual(want.phases);
    });
  });

  it.each(cases)('every result of "%s" fits LogonBody once the account is dropped', (_name, file) => {
    for (const logon of parseLinuxSessions(fixture(file))) {
      const body = toLogonBody(logon);
      expect(body).not.toHaveProperty('account');
      expect(LogonBody.safeParse(body).success).toBe(true);
      // and its phases fit its total as the contract's cross-field rules want (contradiction.ts)
      expect(contradiction({ v: 1, id: 'e1', seq: 1, ts: logon.startedAt, trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1', kind: 'logon', body } as TelemetryEvent)).toBeUndefined();
    }
  });
});

describe('parseLinuxSessions: edge cases', () => {
  const lines = (file: string) => fixture(file).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const jsonl = (entries: Array<Record<string, unknown>>) => entries.map((e) => JSON.stringify(e)).join('\n');

  it('leaves a session that is still starting out until the timeout has passed', () => {
    const text = fixture('journal-interrupted.jsonl');
    const nineMinutesIn = at('2024-11-25T08:44:00.000Z');
    expect(parseLinuxSessions(text, { now: nineMinutesIn }).map((l) => l.logonId)).toEqual(['7', '8']);
  });

  it('reads MESSAGE printed as a byte array (journalctl does this for non-UTF-8 text)', () => {
    const entries = lines('journal-lightdm.jsonl').map((e) =>
      typeof e.MESSAGE === 'string' && e.MESSAGE.startsWith('pam_unix(lightdm:session)') ? { ...e, MESSAGE: [...new TextEncoder().encode(e.MESSAGE)] } : e,
    );
    expect(parseLinuxSessions(jsonl(entries))).toMatchObject([{ account: 'jsmith01', totalMs: 4314 }]);
  });

  it('recognises graphical-session.target from the USER_UNIT field when older systemd prints only the description', () => {
    const entries = lines('journal-gdm-overlapping.jsonl').map((e) =>
      e.USER_UNIT === 'graphical-session.target' ? { ...e, MESSAGE: 'Reached target Current graphical user session.' } : e,
    );
    expect(parseLinuxSessions(jsonl(entries)).map((l) => l.totalMs)).toEqual([8908, 6133]);
  });

  it('falls back to the user name when logind has no LEADER field', () => {
    const entries = lines('journal-gdm-overlapping.jsonl').map(({ LEADER: _leader, ...e }) => e);
    expect(parseLinuxSessions(jsonl(entries)).map((l) => l.logonId)).toEqual(['5', '6']);
  });

  it('returns [] for empty output', () => {
    expect(parseLinuxSessions('')).toEqual([]);
    expect(parseLinuxSessions('\n\n')).toEqual([]);
  });

  it.each([
    ['garbage text', 'Nov 25 08:05:31 ws-ed-0142 lightdm[1520]: pam_unix(lightdm:session): session opened', /line 1 is not JSON/],
    ['a JSON array', '[1,2,3]', /line 1 is not a journal entry object/],
    ['an entry without a timestamp', '{"MESSAGE":"hello"}', /line 1 has no __REALTIME_TIMESTAMP/],
  ])('throws a clear Error for %s', (_name, input, message) => {
    expect(() => parseLinuxSessions(input)).toThrow(message);
  });
});
