// Generated rules are checked by Prometheus's own tool: `promtool check rules` for syntax and
// `promtool test rules` for behaviour. promtool comes from Debian's "prometheus" package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { burnRateRule } from './burn-rate-rules.ts';
import { DEFAULT_SLOS, parseSloConfig } from './config-file.ts';
import { generatePrometheusRules } from './prometheus-rules.ts';

function promtool(args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('promtool is not installed: these tests need it. Install Debian\'s "prometheus" package (apt-get install -y prometheus), which provides /usr/bin/promtool.');
    }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slo-rules-'));
  expect(promtool(['--version']).ok).toBe(true);
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('generatePrometheusRules', () => {
  it('passes promtool check rules for the default SLOs', () => {
    const file = write('defaults.yaml', generatePrometheusRules(DEFAULT_SLOS));
    const result = promtool(['check', 'rules', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
    // Per SLO: 7 windows × (error ratio, valid events, bad events) + objective + page + ticket alerts, and a budget group.
    expect(result.output).toContain(`${DEFAULT_SLOS.length * 25} rules found`);
  });

  it('passes promtool for a custom rule table, labels and runbook', () => {
    const { slos } = parseSloConfig('slos:\n  - { name: trust-logons, scope: { kind: trust }, indicator: { kind: logon }, objective: 0.9, timeWindow: { duration: 30d } }\n');
    const rules = [burnRateRule({ severity: 'page', burnRate: 14, longWindow: '1h', shortWindow: '5m' })];
    const text = generatePrometheusRules(slos, { rules, interval: '30s', runbookUrl: 'https://wiki.example/slo', alertLabels: { team: 'desk' } });
    const result = promtool(['check', 'rules', write('custom.yaml', text)]);
    expect(result.ok, result.output).toBe(true);
    const doc = parse(text) as { groups: Array<{ name: string; interval: string; rules: Array<Record<string, unknown>> }> };
    expect(doc.groups.map((g) => [g.name, g.interval])).toEqual([
      ['wardwatch-slo-trust-logons', '30s'],
      ['wardwatch-slo-trust-logons-budget', '5m'],
    ]);
    const alerts = doc.groups[0]!.rules.filter((r) => r.alert);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ labels: { severity: 'page', slo: 'trust-logons', indicator: 'logon', team: 'desk' }, annotations: { runbook_url: 'https://wiki.example/slo' } });
    // 14 × (1 − 0.9) = 1.4, written without floating-point noise
    expect(alerts[0]!.expr).toContain('wardwatch_slo:sli_error:ratio_rate1h{slo="trust-logons"} >= 1.4\n');
    expect(doc.groups[1]!.rules[0]!.expr).toContain('[30d]');
  });

  it('is rejected by promtool when broken (the check can fail)', () => {
    const broken = generatePrometheusRules(DEFAULT_SLOS.slice(0, 1)).replace('sum by (slo, scope) (rate(', 'sum by (slo, scope) (rate((');
    expect(promtool(['check', 'rules', write('broken.yaml', broken)]).ok).toBe(false);
  });

  it('pages and tickets when 20 % of checks fail, and stays quiet when healthy (promtool test rules)', () => {
    const slo = DEFAULT_SLOS.find((s) => s.name === 'site-app-availability')!;
    write('availability.yaml', generatePrometheusRules([slo]));
    const series = (metric: string, scope: string, perMinute: number) => ({ series: `${metric}{slo="${slo.name}", scope="${scope}"}`, values: `0+${perMinute}x180` });
    const annotations = (severity: string, rows: string) => ({
      summary: `${slo.name} on site:S1 is burning its error budget (${severity})`,
      description: `${slo.description} Objective 99.5 % over 28d; fires at a burn rate of ${rows}.`,
    });
    const labels = (severity: string) => ({ severity, slo: slo.name, scope: 'site:S1', indicator: 'availability' });
    const test = {
      rule_files: ['availability.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series('wardwatch_sli_events_total', 'site:S1', 100),
            series('wardwatch_sli_good_events_total', 'site:S1', 80),
            series('wardwatch_sli_events_total', 'site:S2', 100),
            series('wardwatch_sli_good_events_total', 'site:S2', 100),
          ],
          alert_rule_test: [
            {
              eval_time: '90m',
              alertname: 'WardwatchSloBurn',
              exp_alerts: [
                { exp_labels: labels('page'), exp_annotations: annotations('page', '14.4x over 1h and 5m, or 6x over 6h and 30m') },
                { exp_labels: labels('ticket'), exp_annotations: annotations('ticket', '3x over 1d and 2h, or 1x over 3d and 6h') },
              ],
            },
          ],
          promql_expr_test: [
            // round(): 1 − 80/100 is 0.20000000000000007 in floating point
            { expr: 'round(wardwatch_slo:sli_error:ratio_rate1h{scope="site:S1"}, 0.0001)', eval_time: '90m', exp_samples: [{ labels: `{slo="${slo.name}", scope="site:S1"}`, value: 0.2 }] },
            { expr: 'round(wardwatch_slo:sli_error:ratio_rate1h{scope="site:S2"}, 0.0001)', eval_time: '90m', exp_samples: [{ labels: `{slo="${slo.name}", scope="site:S2"}`, value: 0 }] },
          ],
        },
      ],
    };
    const result = promtool(['test', 'rules', write('availability.test.json', JSON.stringify(test))]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('keeps a page firing KEEP_FIRING_FOR_MS after its burn stops, as the built-in alerts do (promtool test rules)', () => {
    const slo = DEFAULT_SLOS.find((s) => s.name === 'site-app-availability')!;
    write('hold.yaml', generatePrometheusRules([slo], { rules: [burnRateRule({ severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m' })] }));
    // 20 % of checks failing for 90 minutes, then none: the 5-minute window is clean from about 95m.
    const good = Array.from({ length: 181 }, (_, m) => (m <= 90 ? 80 * m : 7200 + 100 * (m - 90))).join(' ');
    const page = [
      {
        exp_labels: { severity: 'page', slo: slo.name, scope: 'site:S1', indicator: 'availability' },
        exp_annotations: {
          summary: `${slo.name} on site:S1 is burning its error budget (page)`,
          description: `${slo.description} Objective 99.5 % over 28d; fires at a burn rate of 14.4x over 1h and 5m.`,
        },
      },
    ];
    const test = {
      rule_files: ['hold.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `wardwatch_sli_events_total{slo="${slo.name}", scope="site:S1"}`, values: '0+100x180' },
            { series: `wardwatch_sli_good_events_total{slo="${slo.name}", scope="site:S1"}`, values: good },
          ],
          alert_rule_test: [
            { eval_time: '90m', alertname: 'WardwatchSloBurn', exp_alerts: page },
            // The rule stopped matching at about 95m: held, not resolved, ten minutes on from there …
            { eval_time: '103m', alertname: 'WardwatchSloBurn', exp_alerts: page },
            // … and resolved after.
            { eval_time: '110m', alertname: 'WardwatchSloBurn', exp_alerts: [] },
          ],
          promql_expr_test: [
            { expr: 'wardwatch_slo:sli_error:ratio_rate5m{scope="site:S1"}', eval_time: '100m', exp_samples: [{ labels: `wardwatch_slo:sli_error:ratio_rate5m{slo="${slo.name}", scope="site:S1"}`, value: 0 }] },
          ],
        },
      ],
    };
    const result = promtool(['test', 'rules', write('hold.test.json', JSON.stringify(test))]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('keeps the built-in alerts\u2019 floors: a quiet site\u2019s one failed check is no page or ticket (promtool test rules)', () => {
    const slo = DEFAULT_SLOS.find((s) => s.name === 'site-app-availability')!;
    write('floors.yaml', generatePrometheusRules([slo]));
    // A check every 6 minutes for three hours, the last one failed: 100 % errors over 5 minutes, but
    // one event in the short window and one bad event in the long (ALERT_FLOORS: 10 and 5).
    const events = Array.from({ length: 181 }, (_, m) => Math.floor(m / 6)).join(' ');
    const good = Array.from({ length: 181 }, (_, m) => Math.min(Math.floor(m / 6), 29)).join(' ');
    const quiet = {
      rule_files: ['floors.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `wardwatch_sli_events_total{slo="${slo.name}", scope="site:Q1"}`, values: events },
            { series: `wardwatch_sli_good_events_total{slo="${slo.name}", scope="site:Q1"}`, values: good },
          ],
          alert_rule_test: [{ eval_time: '180m', alertname: 'WardwatchSloBurn', exp_alerts: [] }],
          promql_expr_test: [
            { expr: 'wardwatch_slo:sli_error:ratio_rate5m{scope="site:Q1"} > bool 0', eval_time: '180m', exp_samples: [{ labels: `{slo="${slo.name}", scope="site:Q1"}`, value: 1 }] },
          ],
        },
      ],
    };
    const result = promtool(['test', 'rules', write('floors.test.json', JSON.stringify(quiet))]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});
