// What the site page and the ward / access point / device page share: their layout styles, the
// likely-cause note, and the response-time chart.
import { css, html } from 'lit';
import { durationText, shareText, type Cause, type Series } from '@wardwatch/schema';
import { CHART_RANGES } from './chart-format.ts';
import { clockTime, HORIZON_WORDS } from './format.ts';

import { scopeAddress } from './route.ts';
import { causeName } from './markup/causes-markup.ts';

export const drillDownStyles = css`
  :host { display: block; }
  header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 4px; }
  h2 { margin: 0; font-size: 1.4rem; }
  .reason { margin: 0 0 12px; color: #3a444f; }
  .cause { margin: 0 0 12px; padding: 8px 12px; background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; }
  .cause p { margin: 4px 0 0; color: #3a444f; }
  .window { margin: 0 0 2px; color: var(--muted); font-size: 0.8rem; }
  dl.figures { display: flex; flex-wrap: wrap; gap: 24px; margin: 0 0 16px; }
  dl.figures dt { color: var(--muted); font-size: 0.8rem; }
  dl.figures dd { margin: 0; font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  section.panel { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
  h3 { margin: 0 0 6px; font-size: 1rem; }
  .tables { display: grid; gap: 16px; }
  .error { color: var(--down); }
  .ranges { display: flex; gap: 4px; margin: 0 0 8px; }
  .ranges button { font: inherit; font-size: 0.85rem; padding: 2px 10px; border: 1px solid #6b737b; border-radius: 4px; background: #fff; color: #1d2630; cursor: pointer; }
  .ranges button[aria-pressed='true'] { background: #0f2c46; color: #fff; font-weight: 700; }
  .ranges button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
`;

/**
 * What the figures under it are over: the status horizon, as the grid's summary says it, to the
 * time they are as of (a scope's `asOf`). A chart's latest point is a minute or an hour (its legend
 * says which), and the tables below may be of an earlier time (their captions say so): each differs
 * and says why.
 */
export const figuresWindow = (asOf: number) => html`<p class="window">Over ${HORIZON_WORDS}${asOf > 0 ? `, to ${clockTime(asOf)}` : ''}</p>`;

/**
 * The likely cause with its evidence, as a note under the status (nothing when there is none), and a
 * link up to the culprit's page unless the note is on it (`here`: the page's scope key).
 */
export const causeNote = (cause: Cause | undefined, here: string) => {
  if (!cause) return '';
  const address = cause.culprit === here ? undefined : scopeAddress(cause.culprit);
  return html`<div class="cause" data-cause=${cause.kind} role="note"><strong>Likely cause — ${cause.summary}</strong><p>${cause.evidence}${
    address ? html` · <a href=${address} data-culprit=${cause.culprit}>Open ${causeName(cause)}</a>` : ''
  }</p></div>`;
};

/**
 * The SLO lines the charts draw: application checks within 2 s (site-app-latency, the processor's
 * "fast") and 99.5 % of them succeeding (site-app-availability), the default SLO file's values.
 */
export const APP_TARGET_S = 2;
export const AVAILABILITY_TARGET_PCT = 99.5;

const toSeconds = (ms: (number | null)[]) => ms.map((v) => (v === null ? null : v / 1000));
/** The legends' values written as the figures above them are ("740 ms", "97.4 %"); the charts hold seconds and per cent. */
const secondsValue = (s: number) => durationText(s * 1000);
const percentValue = (p: number) => shareText(p / 100);

/** p50 / p95 / p99 application response time over time, in seconds like the figures (the element ww-chart must be registered). */
export const responseChart = (series: Series) =>
  html`<ww-chart
    label="Application response time p50, p95 and p99 over time, in seconds, with the 2 s target"
    unit="s"
    .format=${secondsValue}
    .span=${[series.from, series.to]}
    .t=${series.t}
    .targets=${[{ value: APP_TARGET_S, label: 'target 2 s' }]}
    .series=${[
      { label: 'p50', colour: '#2f6f9f', values: toSeconds(series.p50Ms) },
      { label: 'p95', colour: '#9a5b00', values: toSeconds(series.p95Ms), dash: [10, 5] },
      { label: 'p99', colour: '#a4221b', values: toSeconds(series.p99Ms), dash: [2, 3] },
    ]}
  ></ww-chart>`;

/** A share's axis: fitted to the values and the objective, at least a point tall, never past 100 %. */
const AVAILABILITY_AXIS = { zero: false, minSpan: 1, ceiling: 100 } as const;

/** Share of application checks that succeeded, in %, with the 99.5 % objective (the axis fitted, not from zero). */
export const availabilityChart = (series: Series) =>
  html`<ww-chart
    label="Share of application checks that succeeded over time, in per cent, with the 99.5 % objective"
    unit="%"
    decimals="1"
    .format=${percentValue}
    .span=${[series.from, series.to]}
    .t=${series.t}
    .axis=${AVAILABILITY_AXIS}
    .targets=${[{ value: AVAILABILITY_TARGET_PCT, label: 'objective 99.5 %' }]}
    .series=${[{ label: 'availability', colour: '#146c2e', values: series.availability.map((a) => (a === null ? null : a * 100)) }]}
  ></ww-chart>`;

/** The chart time-range picker: 1 h, 6 h, 24 h, 7 d, 30 d; the chosen one pressed. */
export const rangePicker = (hours: number, pick: (hours: number) => void) =>
  html`<div class="ranges" role="group" aria-label="Chart time range">
    ${CHART_RANGES.map(
      (r) => html`<button type="button" aria-pressed=${r.hours === hours ? 'true' : 'false'} data-hours=${r.hours} @click=${() => pick(r.hours)}>${r.label}</button>`,
    )}
  </div>`;
