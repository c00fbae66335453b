// The package entry exposes the whole public API and works end to end: defaults → rollups →
// evaluation → alert book → notification payload.
import { describe, expect, it } from 'vitest';
import * as slo from '@wardwatch/slo';

describe('@wardwatch/slo entry', () => {
  it('exports the names other packages call', () => {
    for (const name of ['parseSloConfig', 'loadSloFile', 'DEFAULT_SLOS', 'burnRate', 'errorBudgetRemaining', 'BURN_RATE_RULES', 'evaluateBurnRates', 'evaluateSlos', 'SliCounter', 'loadSliCounter', 'AlertBook', 'fingerprint', 'parseSilence', 'WebhookNotifier', 'TeamsNotifier', 'SlackNotifier', 'AlertmanagerNotifier', 'EmailNotifier', 'generatePrometheusRules']) {
      expect(slo, name).toHaveProperty(name);
    }
  });

  it('turns failing rollups into a page notification', () => {
    const t0 = Date.UTC(2025, 0, 15, 12, 0);
    const records = Array.from({ length: 60 }, (_, i) => ({ scope: 'siteapp:S1/epr', metric: 'app.totalMs', resolution: '1m' as const, start: t0 - (i + 1) * 60_000, count: 50, valid: 100, good: 50, fast: 50, sketch: new Uint8Array() }));
    const evaluations = slo.evaluateSlos(slo.DEFAULT_SLOS, new slo.SliCounter(records), t0);
    const book = new slo.AlertBook();
    const notifications = book.update(t0, evaluations);
    expect(notifications.map((n) => `${n.status} ${n.alert.slo} ${n.alert.scope} ${n.alert.severity}`)).toEqual([
      'firing app-availability app:epr page',
      'firing app-availability app:epr ticket',
    ]);
    expect(slo.alertmanagerPayload(notifications[0]!).alerts[0]!.labels).toMatchObject({ slo: 'app-availability', scope: 'app:epr', severity: 'page' });
  });
});
