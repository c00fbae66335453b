// Prometheus rules for Prometheus users: recording rules (error ratio per window) and multiwindow,
// multi-burn-rate alerting rules over the SLI counters wardwatch's /metrics exposes:
//   wardwatch_sli_events_total{slo, scope}       valid events
//   wardwatch_sli_good_events_total{slo, scope}  good events among them
import { stringify } from 'yaml';
import { ALERT_NAME } from './alert.ts';
import { KEEP_FIRING_FOR_MS } from '@wardwatch/schema';
import { BURN_RATE_RULES, type BurnRateRule } from './burn-rate-rules.ts';
import { SEVERITIES, type SloDefinition } from './definition.ts';
import { formatSloDuration, parseSloDuration } from './duration.ts';
import { ALERT_FLOORS } from './evaluate.ts';

export const SLI_EVENTS_METRIC = 'wardwatch_sli_events_total';
export const SLI_GOOD_EVENTS_METRIC = 'wardwatch_sli_good_events_total';

export interface PrometheusRulesOptions {
  rules?: readonly BurnRateRule[];
  /** Evaluation interval of the burn-rate groups (default "1m"). */
  interval?: string;
  /** Added to every alert as the runbook_url annotation. */
  runbookUrl?: string;
  /** Extra labels on every alert, e.g. { team: "service-desk" }. */
  alertLabels?: Record<string, string>;
}

/** Name of the recording rule holding the error ratio over `window` ("5m", "1h"). */
export function errorRatioRecord(window: string): string {
  return `wardwatch_slo:sli_error:ratio_rate${window}`;
}

/** Names of the recording rules holding the valid and the bad events over `window`: the alerts' floors. */
export function eventsRecord(window: string, kind: 'valid' | 'bad'): string {
  return `wardwatch_slo:sli_${kind}_events:increase${window}`;
}

/** Formats a threshold without binary noise (14.4 × 0.001 is 0.014400000000000001). */
function number(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function quote(value: string): string {
  return JSON.stringify(value);
}

export function generatePrometheusRules(slos: readonly SloDefinition[], options: PrometheusRulesOptions = {}): string {
  const rules = options.rules ?? BURN_RATE_RULES;
  const floors = ALERT_FLOORS;
  const interval = options.interval ?? '1m';
  const windows = [...new Set(rules.flatMap((r) => [r.shortWindowMs, r.longWindowMs]))].sort((a, b) => a - b).map(formatSloDuration);
  const groups = slos.map((slo) => {
    const selector = `{slo=${quote(slo.name)}}`;
    const budgetWindow = formatSloDuration(parseSloDuration(slo.timeWindow.duration)!);
    const recording = [
      ...windows.map((window) => ({
        record: errorRatioRecord(window),
        expr: [
          '1 - (',
          `  sum by (slo, scope) (rate(${SLI_GOOD_EVENTS_METRIC}${selector}[${window}]))`,
          '  /',
          `  sum by (slo, scope) (rate(${SLI_EVENTS_METRIC}${selector}[${window}]))`,
          ')',
        ].join('\n'),
        // The static label is redundant with the expression's but makes each SLO's rules distinct to promtool's lint.
        labels: { slo: slo.name },
      })),
      // The floors the built-in alerts apply (ALERT_FLOORS): events per window, bad events per long window.
      ...windows.flatMap((window) => [
        { record: eventsRecord(window, 'valid'), expr: `sum by (slo, scope) (increase(${SLI_EVENTS_METRIC}${selector}[${window}]))`, labels: { slo: slo.name } },
        {
          record: eventsRecord(window, 'bad'),
          expr: `sum by (slo, scope) (increase(${SLI_EVENTS_METRIC}${selector}[${window}])) - sum by (slo, scope) (increase(${SLI_GOOD_EVENTS_METRIC}${selector}[${window}]))`,
          labels: { slo: slo.name },
        },
      ]),
      { record: 'wardwatch_slo:objective:ratio', expr: `vector(${number(slo.objective)})`, labels: { slo: slo.name } },
    ];
    const alerting = SEVERITIES.flatMap((severity) => {
      const rows = rules.filter((r) => r.severity === severity);
      if (rows.length === 0) return [];
      const expr = rows
        .map((row) => {
          const threshold = number(row.burnRate * (1 - slo.objective));
          return [
            '(',
            `  ${errorRatioRecord(row.longWindow)}${selector} >= ${threshold}`,
            '  and',
            `  ${errorRatioRecord(row.shortWindow)}${selector} >= ${threshold}`,
            // As the built-in alerts: no burn from a handful of events (one failed check at night).
            '  and',
            `  ${eventsRecord(row.longWindow, 'valid')}${selector} >= ${floors.minValidEvents}`,
            '  and',
            `  ${eventsRecord(row.shortWindow, 'valid')}${selector} >= ${floors.minValidEvents}`,
            '  and',
            `  ${eventsRecord(row.longWindow, 'bad')}${selector} >= ${floors.minBadEvents}`,
            ')',
          ].join('\n');
        })
        .join('\nor\n');
      const rowText = rows.map((r) => `${r.burnRate}x over ${r.longWindow} and ${r.shortWindow}`).join(', or ');
      return [
        {
          alert: ALERT_NAME,
          expr,
          // As the built-in alerts: held a while after the burn stops, so a rate hovering at a row's
          // threshold is one alert, not a page at each crossing (Prometheus 2.42 and later).
          keep_firing_for: formatSloDuration(KEEP_FIRING_FOR_MS),
          labels: { severity, slo: slo.name, indicator: slo.indicator.kind, ...options.alertLabels },
          annotations: {
            summary: `{{ $labels.slo }} on {{ $labels.scope }} is burning its error budget (${severity})`,
            description: `${slo.description ? `${slo.description} ` : ''}Objective ${number(slo.objective * 100)} % over ${slo.timeWindow.duration}; fires at a burn rate of ${rowText}.`,
            ...(options.runbookUrl ? { runbook_url: options.runbookUrl } : {}),
          },
        },
      ];
    });
    return {
      name: `wardwatch-slo-${slo.name}`,
      interval,
      rules: [...recording, ...alerting],
      budget: {
        name: `wardwatch-slo-${slo.name}-budget`,
        // A range as long as the SLO window is costly; evaluate it rarely.
        interval: '5m',
        rules: [
          {
            record: 'wardwatch_slo:error_budget_remaining:ratio',
            expr: [
              `1 - (`,
              `  1 - sum by (slo, scope) (increase(${SLI_GOOD_EVENTS_METRIC}${selector}[${budgetWindow}]))`,
              `      / sum by (slo, scope) (increase(${SLI_EVENTS_METRIC}${selector}[${budgetWindow}]))`,
              `) / ${number(1 - slo.objective)}`,
            ].join('\n'),
            labels: { slo: slo.name },
          },
        ],
      },
    };
  });
  const document = { groups: groups.flatMap(({ budget, ...burn }) => [burn, budget]) };
  return `# Generated by wardwatch from its SLO definitions; regenerate rather than edit.\n${stringify(document, { lineWidth: 0 })}`;
}
