// The rollups the evidence pack reads beyond the status metrics: logon phases (which phase dominates)
// and real application timings kept apart from the synthetic checks.
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import { DEFAULT_THRESHOLDS } from './config.ts';
import { StreamProcessor } from './stream-processor.ts';
import { sketchQuantiles } from '@wardwatch/sketch';
import { app, logon, MIN, nextSeq, T0 } from './test-events.fixture.ts';

const health = (ts: number, body: { cpuPct: number; memPct: number; diskFreePct: number; uptimeS: number; bootMs?: number }, device = 'D1'): TelemetryEvent => ({
  v: 1, id: `h-${device}-${ts}`, seq: nextSeq(device), ts, trust: 'RXX', site: 'S1', ward: 'W1', device, kind: 'health', body,
});

const withPhases = (event: TelemetryEvent, phases: Record<string, number>): TelemetryEvent =>
  ({ ...event, body: { ...event.body, phases } }) as TelemetryEvent;
const real = (event: TelemetryEvent): TelemetryEvent => ({ ...event, body: { ...event.body, source: 'real' } }) as TelemetryEvent;

describe('evidence metrics', () => {
  it('rolls logon phases up per site and ward, one metric per phase, only the phases measured', () => {
    const p = new StreamProcessor({ watermarkLagMs: 10_000, allowedLatenessMs: MIN });
    p.add(withPhases(logon(T0 + 1_000, 40_000), { profileMs: 25_000, groupPolicyMs: 10_000, shellMs: 5_000 }));
    p.add(withPhases(logon(T0 + 2_000, 20_000, { device: 'D2' }), { profileMs: 5_000, groupPolicyMs: 12_000 }));
    p.add(logon(T0 + 3_000, 10_000, { device: 'D3' }));
    const rollups = p.advanceTo(T0 + 2 * 3_600_000).rollups.filter((r) => r.resolution === '1h');
    const of = (scope: string, metric: string) => rollups.find((r) => r.scope === scope && r.metric === metric);
    expect(of('site:S1', 'logon.profileMs')).toMatchObject({ count: 2, valid: 2 });
    expect(of('ward:S1/W1', 'logon.groupPolicyMs')).toMatchObject({ count: 2 });
    expect(of('site:S1', 'logon.shellMs')).toMatchObject({ count: 1 });
    expect(of('site:S1', 'logon.appLogonMs')).toBeUndefined();
    expect(of('device:D1', 'logon.profileMs')).toBeUndefined();
    const [max] = sketchQuantiles(of('site:S1', 'logon.profileMs')!.sketch, [1]);
    expect(max).toBeCloseTo(25_000, -3);
  });

  it('rolls up the phases added to v1 later (logon tasks, Winlogon subscribers, logon scripts) under their own metrics', () => {
    const p = new StreamProcessor({ watermarkLagMs: 10_000, allowedLatenessMs: MIN });
    p.add(withPhases(logon(T0 + 1_000, 40_000), { subscribersMs: 16_200, logonTasksMs: 2_300, gpScriptsMs: 4_100, shellMs: 2_400 }));
    const rollups = p.advanceTo(T0 + 2 * 3_600_000).rollups.filter((r) => r.resolution === '1h' && r.scope === 'site:S1');
    const metrics = rollups.map((r) => r.metric);
    expect(metrics).toEqual(expect.arrayContaining(['logon.subscribersMs', 'logon.logonTasksMs', 'logon.gpScriptsMs', 'logon.shellMs']));
    const [subscribers] = sketchQuantiles(rollups.find((r) => r.metric === 'logon.subscribersMs')!.sketch, [1]);
    expect(subscribers).toBeCloseTo(16_200, -3);
  });

  it('rolls device health up per device: memory in use and disk free against their thresholds, boots when reported', () => {
    const p = new StreamProcessor({ watermarkLagMs: 10_000, allowedLatenessMs: MIN });
    p.add(health(T0 + 1_000, { cpuPct: 20, memPct: 95, diskFreePct: 4, uptimeS: 90, bootMs: 48_000 }));
    p.add(health(T0 + 5 * MIN, { cpuPct: 30, memPct: 60, diskFreePct: 4, uptimeS: 390 }));
    p.add(health(T0 + 10 * MIN, { cpuPct: 95, memPct: 89.9, diskFreePct: 10, uptimeS: 690 }));
    p.add(health(T0 + MIN, { cpuPct: 10, memPct: 40, diskFreePct: 50, uptimeS: 30, bootMs: 150_000 }, 'D2'));
    const rollups = p.advanceTo(T0 + 2 * 3_600_000).rollups.filter((r) => r.resolution === '1h');
    const of = (scope: string, metric: string) => rollups.find((r) => r.scope === scope && r.metric === metric);
    // Memory pressure at 90 % in use or more; low disk below 10 % free: "good" counts the others.
    expect(of('device:D1', 'health.memPct')).toMatchObject({ count: 3, valid: 3, good: 2 });
    expect(of('device:D1', 'health.diskFreePct')).toMatchObject({ count: 3, valid: 3, good: 1 });
    expect(of('device:D1', 'health.cpuPct')).toMatchObject({ valid: 3, good: 2 });
    // One boot each, counted once (only the sample that carried it); over 2 minutes is slow.
    expect(of('device:D1', 'health.bootMs')).toMatchObject({ count: 1, valid: 1, fast: 1 });
    expect(of('device:D2', 'health.bootMs')).toMatchObject({ count: 1, valid: 1, fast: 0 });
    const [boot] = sketchQuantiles(of('device:D1', 'health.bootMs')!.sketch, [0.5]);
    expect(boot).toBeCloseTo(48_000, -3);
    // Devices only: no site or ward health rollups.
    expect(rollups.filter((r) => r.metric.startsWith('health.') && !r.scope.startsWith('device:'))).toEqual([]);
  });

  it('judges device health by the thresholds it is given: CPU, memory, disk and boot', () => {
    const p = new StreamProcessor({ watermarkLagMs: 10_000, allowedLatenessMs: MIN, thresholds: { ...DEFAULT_THRESHOLDS, cpuPressurePct: 80, memPressurePct: 70, diskLowFreePct: 20, bootSlowMs: 40_000 } });
    p.add(health(T0 + 1_000, { cpuPct: 85, memPct: 75, diskFreePct: 15, uptimeS: 90, bootMs: 48_000 }));
    p.add(health(T0 + 5 * MIN, { cpuPct: 79, memPct: 69, diskFreePct: 20, uptimeS: 390 }));
    const rollups = p.advanceTo(T0 + 2 * 3_600_000).rollups.filter((r) => r.resolution === '1h' && r.scope === 'device:D1');
    const of = (metric: string) => rollups.find((r) => r.metric === metric);
    expect(of('health.cpuPct')).toMatchObject({ valid: 2, good: 1 });
    expect(of('health.memPct')).toMatchObject({ valid: 2, good: 1 });
    expect(of('health.diskFreePct')).toMatchObject({ valid: 2, good: 1 });
    expect(of('health.bootMs')).toMatchObject({ valid: 1, fast: 0 });
  });

  it('keeps real application timings in app.realMs per site application; app.totalMs still holds every check', () => {
    const p = new StreamProcessor({ watermarkLagMs: 10_000, allowedLatenessMs: MIN });
    p.add(app(T0 + 1_000, 300));
    p.add(real(app(T0 + 2_000, 2_500)));
    p.add(real(app(T0 + 3_000, 900)));
    const rollups = p.advanceTo(T0 + 2 * 3_600_000).rollups.filter((r) => r.resolution === '1h' && r.scope === 'siteapp:S1/epr');
    expect(rollups.find((r) => r.metric === 'app.totalMs')).toMatchObject({ count: 3 });
    expect(rollups.find((r) => r.metric === 'app.realMs')).toMatchObject({ count: 2, fast: 1 });
  });
});
