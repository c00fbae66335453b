import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LogonProbe, WINDOWS_LOGON_EVENT_IDS, WINDOWS_LOGON_LOGS, windowsLogonQuery } from './logons.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/windows/${name}`, import.meta.url), 'utf8');
const captureScript = readFileSync(new URL('../../../../deploy/agent/capture-logon-events.ps1', import.meta.url), 'utf8');

describe('LogonProbe on Windows', () => {
  it('runs the named-field query through PowerShell and reports each finished logon once', async () => {
    const calls: Array<{ file: string; args: readonly string[] }> = [];
    const output = fixture('logon-vdi-fslogix.json');
    const probe = new LogonProbe({
      platform: 'win32',
      lookBackMinutes: 45,
      run: async (file, args) => {
        calls.push({ file, args });
        return output;
      },
    });
    const now = Date.parse('2024-11-26T08:45:00Z');
    const first = await probe.poll(now);
    expect(first.map((l) => [l.account, l.ok, l.phases.subscribersMs])).toEqual([['NHS\\jsmith01', true, 16_200]]);
    expect(await probe.poll(now + 60_000)).toEqual([]); // the same records again: nothing new
    expect(calls[0]!.file).toBe('powershell.exe');
    expect(calls[0]!.args.at(-1)).toBe(windowsLogonQuery(45));
  });

  it('once it has seen a shell start on this machine, calls a later logon with none stuck (its own read may hold no 4688)', async () => {
    const normal = JSON.parse(fixture('logon-normal.json')) as Array<{ Id: number; LogName: string; TimeCreated: string }>;
    const start = Date.parse('2024-11-25T07:58:10.234Z');
    // The same logon's 4624 and policy only, as a later read of a logon stuck before its shell would give.
    const stuck = JSON.stringify(normal.filter((r) => r.Id !== 4688 && !/Shell-Core/.test(r.LogName)));
    const reads = [JSON.stringify(normal), stuck];
    const seen = new LogonProbe({ platform: 'win32', run: async () => reads.shift()! });
    expect((await seen.poll(start + 2 * 60_000)).map((l) => l.ok)).toEqual([true]);
    // (keyed by start and logon id: the stuck one reads as another logon here, a minute later)
    reads[0] = stuck.replaceAll('07:58:10', '07:59:10');
    expect((await seen.poll(start + 11 * 60_000)).map((l) => [l.ok, l.reason])).toEqual([[false, 'no shell start within 10 min']]);
    // A probe that has never seen one cannot tell a stuck logon from an unaudited machine: it says nothing.
    const unseen = new LogonProbe({ platform: 'win32', run: async () => stuck });
    expect(await unseen.poll(start + 11 * 60_000)).toEqual([]);
  });

  it('asks for each event\u2019s EventData by name, from the logs and ids the parser reads', () => {
    const query = windowsLogonQuery(30);
    expect(query).toContain('.ToXml()');
    expect(query).toContain('Event.EventData.Data');
    expect(query).toContain(`Id = ${WINDOWS_LOGON_EVENT_IDS.join(',')}`);
    for (const log of WINDOWS_LOGON_LOGS) expect(query).toContain(`'${log}'`);
    expect(query).toContain('AddMinutes(-30)');
  });

  it('the capture script selects the same logs and ids as the agent', () => {
    const ids = /Id\s*=\s*([\d,\s]+)\n/.exec(captureScript)![1]!.split(',').map((s) => Number(s.trim()));
    expect(ids).toEqual([...WINDOWS_LOGON_EVENT_IDS]);
    const logs = /LogName\s*=\s*(.+)\n/.exec(captureScript)![1]!.split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
    expect(logs).toEqual([...WINDOWS_LOGON_LOGS]);
    // and keeps every field the parser reads, for each id
    for (const id of WINDOWS_LOGON_EVENT_IDS) expect(captureScript).toMatch(new RegExp(`^\\s+${id}\\s+= @\\(`, 'm'));
  });
});
