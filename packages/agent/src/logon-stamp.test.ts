// When a logon goes out: stamped with the time it ended (the desktop ready, or given up on), the time
// it became known — stamped at its start, a two-minute logon arrived minutes behind the device's other
// events and missed the live windows. A clinical application's marked logon likewise, and marked as such.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import { Agent } from './agent.ts';
import { parseAgentConfig } from './config.ts';
import { Spool } from './spool/spool.ts';

const LOGON_NORMAL = readFileSync(new URL('../fixtures/windows/logon-normal.json', import.meta.url), 'utf8');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function spooled(dir: string): Promise<TelemetryEvent[]> {
  const spool = await Spool.open(join(dir, 'queue'));
  const batch = await spool.peek(1000, 10_000_000);
  await spool.close();
  return batch.records.map((r) => JSON.parse(r.data) as TelemetryEvent);
}

describe('the agent stamps a logon when it ended', () => {
  it('a Windows logon: its start plus its total, with its total and phases as parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-agent-stamp-'));
    dirs.push(dir);
    // Nothing is delivered (no server on port 9): what was measured stays in the spool to read.
    const config = parseAgentConfig(`
identity: { trust: RXX, site: RXX01, ward: W01, device: D1 }
delivery: { http: { url: "http://127.0.0.1:9/api/ingest", token: test-device-token }, flushInterval: 1h }
spool: { dir: "${dir}" }
collect: { logon: { interval: 10s }, wifi: { enabled: false }, health: { enabled: false } }
marks: { port: 0 }
`);
    const now = Date.parse('2024-11-25T08:10:00Z');
    const agent = await Agent.start(config, { log: () => {}, now: () => now, platform: 'win32', run: async (file) => (file === 'powershell.exe' ? LOGON_NORMAL : '') });
    try {
      for (let i = 0; i < 600 && (agent.status().measured.logon ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 50));
      agent.mark('epr-login', 'start', now + 1000);
      agent.mark('epr-login', 'end', now + 5500);
    } finally {
      await agent.stop();
    }
    const events = await spooled(dir);
    const windowsLogon = events.find((e) => e.kind === 'logon' && e.body.readyBy !== 'application-mark');
    // 4624 at 07:58:10.234, desktop ready 18,726 ms later (the fixture's hand-worked figures).
    expect(windowsLogon).toMatchObject({ ts: Date.parse('2024-11-25T07:58:10.234Z') + 18_726, body: { totalMs: 18_726, ok: true } });
    const marked = events.find((e) => e.kind === 'logon' && e.body.readyBy === 'application-mark');
    expect(marked).toMatchObject({ ts: now + 5500, body: { totalMs: 4500, ok: true, readyBy: 'application-mark', phases: { appLogonMs: 4500 } } });
  });
});
