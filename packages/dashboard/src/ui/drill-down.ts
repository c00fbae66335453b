// What the site page and the ward / access point / device page share: their layout styles, the
// likely-cause note, and the response-time chart.
import { css, html } from 'lit';
import type { Cause, Series } from '@wardwatch/schema';

export const drillDownStyles = css`
  :host { display: block; }
  header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 4px; }
  h2 { margin: 0; font-size: 1.4rem; }
  .reason { margin: 0 0 12px; color: #3a444f; }
  .cause { margin: 0 0 12px; padding: 8px 12px; background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; }
  .cause p { margin: 4px 0 0; color: #3a444f; }
  dl.figures { display: flex; flex-wrap: wrap; gap: 24px; margin: 0 0 16px; }
  dl.figures dt { color: var(--muted); font-size: 0.8rem; }
  dl.figures dd { margin: 0; font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  section.panel { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
  h3 { margin: 0 0 6px; font-size: 1rem; }
  .tables { display: grid; gap: 16px; }
  .error { color: var(--down); }
`;

/** The likely cause with its evidence, as a note under the status (nothing when there is none). */
export const causeNote = (cause: Cause | undefined) =>
  cause
    ? html`<div class="cause" data-cause=${cause.kind} role="note"><strong>Likely cause — ${cause.summary}</strong><p>${cause.evidence}</p></div>`
    : '';

/** p50 / p95 / p99 application response time over time (the element ww-chart must be registered). */
export const responseChart = (series: Series) =>
  html`<ww-chart
    label="Application response time p50, p95 and p99 over time"
    unit=" ms"
    .t=${series.t}
    .series=${[
      { label: 'p50', colour: '#4a90c2', values: series.p50Ms },
      { label: 'p95', colour: '#c27c0e', values: series.p95Ms },
      { label: 'p99', colour: '#b3261e', values: series.p99Ms },
    ]}
  ></ww-chart>`;
