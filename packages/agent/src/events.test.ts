import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryEvent } from '@wardwatch/schema';
import { EventFactory } from './events.ts';

const place = { trust: 'RXX', site: 'RXX01', ward: 'W01', device: 'RXX01-W01-D01' };

describe('EventFactory', () => {
  it('builds valid events carrying the place and the current access point', () => {
    const factory = new EventFactory(place);
    factory.ap = '3c:a8:2a:10:00:9a';
    const event = factory.app(1_764_000_000_000, { app: 'epr', ok: true, totalMs: 420, source: 'synthetic' });
    expect(TelemetryEvent.parse(event)).toMatchObject({ ...place, ap: '3c:a8:2a:10:00:9a', kind: 'app', ts: 1_764_000_000_000 });
  });

  it('keeps seq growing within a run, across a restart, and when the clock steps back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-seq-'));
    const first = new EventFactory(place, dir);
    const a = first.health(2_000_000, { cpuPct: 1, memPct: 1, diskFreePct: 50, uptimeS: 1 }).seq;
    const b = first.health(2_000_000, { cpuPct: 1, memPct: 1, diskFreePct: 50, uptimeS: 1 }).seq;
    expect(b).toBeGreaterThan(a);
    first.save();
    // Restarted with the clock an hour behind: still above everything sent before.
    const second = new EventFactory(place, dir);
    const c = second.health(2_000_000 - 3_600_000, { cpuPct: 1, memPct: 1, diskFreePct: 50, uptimeS: 1 }).seq;
    expect(c).toBeGreaterThan(b);
    // Without the state file the clock alone keeps it growing in normal operation.
    const fresh = new EventFactory(place, mkdtempSync(join(tmpdir(), 'ww-seq-')));
    expect(fresh.health(2_000_001, { cpuPct: 1, memPct: 1, diskFreePct: 50, uptimeS: 1 }).seq).toBeGreaterThan(b);
  });
});
