import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScopeRegistry } from './scope-registry.ts';

// forget skips its scan while nothing can have gone stale; whatever the history, what it keeps must
// be what a full scan keeps: every scope seen live or heard of at `before` or later, and the devices
// whose own scope is kept.
describe('ScopeRegistry.forget', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('device' as const), device: fc.nat(5), site: fc.constantFrom('S0', 'S1', 'S1/x'), ward: fc.nat(2), ap: fc.option(fc.nat(3)) }),
    fc.record({ kind: fc.constant('seen' as const), device: fc.nat(5), scope: fc.nat(3), at: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('heard' as const), device: fc.nat(5), scope: fc.nat(2), at: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('forget' as const), before: fc.integer({ min: 0, max: 1000 }) }),
    // Site × application scopes; "S1"+"x/y" and "S1/x"+"y" share one key.
    fc.record({ kind: fc.constant('app' as const), device: fc.nat(5), app: fc.constantFrom('epr', 'x/y', 'y'), at: fc.integer({ min: 0, max: 1000 }) }),
  );

  it('keeps exactly what a full scan keeps, over random histories', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const registry = new ScopeRegistry();
        const heard = (info: { lastSeen: number; heardAt?: number }) => Math.max(info.lastSeen, info.heardAt ?? -Infinity);
        for (const o of ops) {
          if (o.kind === 'device') {
            const ctx = registry.device(`D${o.device}`, 'T', o.site, `W${o.ward}`);
            if (o.ap !== null) registry.accessPoint(ctx, `ap${o.ap}`);
            continue;
          }
          if (o.kind === 'forget') {
            const scopes = [...registry.scopes.values()].filter((s) => heard(s) >= o.before).map((s) => s.key);
            const devices = [...registry.devices.values()].filter((d) => heard(d.deviceScope) >= o.before).map((d) => d.device);
            registry.forget(o.before);
            expect([...registry.scopes.keys()]).toEqual(scopes);
            expect([...registry.devices.keys()]).toEqual(devices);
            for (const d of registry.devices.values()) if (d.apScope) expect(registry.scopes.get(d.apScope.key)).toBe(d.apScope);
            continue;
          }
          const ctx = registry.devices.get(`D${o.device}`);
          if (!ctx) continue;
          if (o.kind === 'app') {
            const info = registry.siteApp(ctx, o.app);
            // Never a forgotten scope: the registry's own, or a new one.
            expect(registry.scopes.get(info.key)).toBe(info);
            if (o.at > info.lastSeen) info.lastSeen = o.at;
            continue;
          }
          const scope = [ctx.siteScope, ctx.wardScope, ctx.deviceScope, ctx.apScope][o.scope];
          if (!scope) continue;
          // Times only grow, as the processor moves them.
          if (o.kind === 'seen' && o.at > scope.lastSeen) scope.lastSeen = o.at;
          if (o.kind === 'heard' && !(scope.heardAt! >= o.at)) scope.heardAt = o.at;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives a new site × application scope after forgetting one, also for another pair of the same key', () => {
    const registry = new ScopeRegistry();
    const a = registry.device('D1', 'T', 'S1', 'W1');
    const b = registry.device('D2', 'T', 'S1/x', 'W1');
    for (const s of [a.siteScope, a.wardScope, a.deviceScope, b.siteScope, b.wardScope, b.deviceScope]) s.lastSeen = 500;
    const first = registry.siteApp(a, 'x/y');
    expect(registry.siteApp(b, 'y')).toBe(first); // one key: siteapp:S1/x/y
    first.lastSeen = 100;
    registry.forget(200);
    expect(registry.scopes.has(first.key)).toBe(false);
    for (const [ctx, app] of [[b, 'y'], [a, 'x/y']] as const) {
      const again = registry.siteApp(ctx, app);
      expect(again).not.toBe(first);
      expect(registry.scopes.get(again.key)).toBe(again);
    }
  });
});
