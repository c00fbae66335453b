// A uPlot time-series chart fed columnar data ([t, series1, series2, …]) without copying: axes in the
// unit of the page's figures, en-GB dates and 24-hour times in UK time (ticks placed on UK hours and
// days too, whatever the browser's zone), a legend that always shows the latest
// values (a wall screen is never hovered), dashed target lines at the SLO thresholds, and gaps left
// as gaps. Series differ by dash as well as colour. The value axis starts at zero unless the chart
// says otherwise (a share in per cent fits its values: chart-format.ts valueRange). uPlot's own
// legend, the values under the cursor, is shown only while the chart is hovered: otherwise it would
// read "–" beside the latest values.
import { LitElement, css, html, unsafeCSS } from 'lit';
import uPlot from 'uplot';
// Bundled as text (see build.mjs): uPlot's own styles, adopted into this shadow root.
import uPlotCss from 'uplot/dist/uPlot.min.css';
import { latest, latestWindowText, monthTicks, pointMonth, pointStep, pointTime, timeTicks, valueRange, valueText, type ValueAxis } from '../chart-format.ts';
import { CLOCK_TIME_ZONE } from '../format.ts';

export interface ChartSeries {
  label: string;
  colour: string;
  values: (number | null)[];
  /** Line dash (canvas segments); solid when absent. */
  dash?: number[];
}

export interface ChartTarget {
  value: number;
  /** The target with its value as the page's figures write it ("target 2 s"): the legend says only this. */
  label: string;
}

const HEIGHT = 220;
/** Narrow enough for a 320 px screen (WCAG reflow: no sideways scrolling at 320 CSS px), with the card's padding. */
const MIN_WIDTH = 240;

export class WwChart extends LitElement {
  static override properties = {
    t: { attribute: false },
    series: { attribute: false },
    targets: { attribute: false },
    unit: { type: String },
    decimals: { type: Number },
    label: { type: String },
    axis: { attribute: false },
    step: { type: String },
    format: { attribute: false },
    span: { attribute: false },
  };
  declare t: number[];
  declare series: ChartSeries[];
  declare targets: ChartTarget[];
  /** The unit of the values, as the page's figures write it ("s", "%"). */
  declare unit: string;
  declare decimals: number;
  declare label: string;
  /** How the value axis is scaled (from zero unless given). */
  declare axis: ValueAxis;
  /**
   * What a point is: by default a window from its time to the next point's step (a minute's or an
   * hour's figures), and the legend says which window the latest values are of; 'instant', a value
   * at its time (an SLO's budget left over the window ending then), said as at that time; 'month',
   * one point a month (the evidence trend): a tick at each point, named by its month, and the latest
   * said as a month.
   */
  declare step: '' | 'instant' | 'month';
  /**
   * How the legend writes a value, where the page's figures write it otherwise than `unit` and
   * `decimals` would (an SLO's budget, "82.9 %" on the card, is not "82.86 %" under its chart).
   */
  declare format: ((value: number) => string) | undefined;
  /**
   * The time axis's span, epoch seconds [from, to] (the range asked for: a series whose points cover
   * part of it leaves the rest empty); by default the points' own.
   */
  declare span: readonly [number, number] | undefined;
  private plot: uPlot | undefined;
  private resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.t = [];
    this.series = [];
    this.targets = [];
    this.unit = '';
    this.decimals = 2;
    this.label = '';
    this.axis = { zero: true };
    this.step = '';
  }

  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host { display: block; min-height: 240px; }
      ul.latest { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0 0; padding: 0; font-size: 0.9rem; }
      ul.latest li { display: inline-flex; align-items: center; gap: 6px; }
      .swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; }
      .swatch.dashed { border-top-style: dashed; }
      .swatch.dotted { border-top-style: dotted; }
      .swatch.target { border-top: 2px dashed #1d2630; }
      .v { font-weight: 700; font-variant-numeric: tabular-nums; }
      .when { color: #505a64; font-size: 0.8rem; }
      /* Over the plot's top edge, not below it: hidden, it would leave a blank band under every chart. */
      .chart .uplot { position: relative; }
      .chart .u-legend { visibility: hidden; position: absolute; top: 0; left: 80px; right: 0; width: auto; pointer-events: none; background: rgb(255 255 255 / 0.92); }
      .chart:hover .u-legend { visibility: visible; }
    `,
  ];

  override render() {
    const when = this.series.map((s) => latest(this.t, s.values)?.t ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return html`<div class="chart" role="img" aria-label=${this.label}></div>
      <ul class="latest" aria-label="Latest values">
        ${this.series.map((s) => {
          const last = latest(this.t, s.values);
          const style = s.dash ? (s.dash[0]! <= 3 ? 'dotted' : 'dashed') : '';
          const value = last && this.format ? this.format(last.value) : valueText(last?.value, this.unit, this.decimals);
          return html`<li data-series=${s.label}><span class="swatch ${style}" style-colour=${s.colour}></span>${s.label} <span class="v">${value}</span></li>`;
        })}
        ${this.targets.map((t) => html`<li data-target=${t.label}><span class="swatch target"></span>${t.label}</li>`)}
        ${when > 0 ? html`<li class="when">${this.step === 'month' ? `latest: ${pointMonth(when)}` : latestWindowText(when, this.step === 'instant' ? undefined : pointStep(this.t))}</li>` : ''}
      </ul>`;
  }

  protected override updated(): void {
    // Swatch colours through the CSSOM: the Content-Security-Policy allows no inline style attributes.
    const swatches = this.renderRoot.querySelectorAll<HTMLElement>('.swatch[style-colour]');
    swatches.forEach((el) => (el.style.borderTopColor = el.getAttribute('style-colour')!));
    const target = this.renderRoot.querySelector('.chart') as HTMLElement;
    const data = [this.t, ...this.series.map((s) => s.values)] as uPlot.AlignedData;
    const width = Math.max(MIN_WIDTH, this.clientWidth || 600);
    if (this.plot && this.plot.series.length === this.series.length + 1) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    const { unit, decimals } = this;
    const targets = this.targets;
    const axis = this.axis;
    const span = () => (this.span ? this.span[1] - this.span[0] : this.t.length > 1 ? this.t[this.t.length - 1]! - this.t[0]! : 0);
    const xRange = (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => (this.span ? [this.span[0], this.span[1]] : [min, max]);
    const monthly = this.step === 'month';
    const pointText = monthly ? pointMonth : pointTime;
    this.plot = new uPlot(
      {
        width,
        height: HEIGHT,
        // Ticks fall on UK hours and days (a browser in India would otherwise put them at half past),
        // written en-GB in UK time by the axis and legend formatters below.
        tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), CLOCK_TIME_ZONE),
        series: [
          { label: monthly ? 'Month' : 'Time', value: (_u: uPlot, v: number | null) => (v === null ? '–' : pointText(v)) },
          ...this.series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: 2,
            ...(s.dash ? { dash: s.dash } : {}),
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => valueText(v, unit, decimals),
          })),
        ],
        axes: [
          monthly
            ? { splits: () => this.t, values: (_u: uPlot, ticks: number[]) => monthTicks(ticks), size: 48 }
            : { values: (_u: uPlot, ticks: number[]) => timeTicks(ticks, span()), size: 48 },
          { values: (_u: uPlot, ticks: number[]) => ticks.map((v) => valueText(v, unit, Number.isInteger(v) ? 0 : Math.abs(v) < 1 ? 2 : 1)), size: 80 },
        ],
        scales: {
          x: { time: true, range: xRange },
          // The targets stay in view even when every value is below them.
          y: { range: (_u: uPlot, min: number | null, max: number | null) => valueRange(min, max, targets.map((t) => t.value), axis) },
        },
        legend: { live: true },
        hooks: {
          draw: [
            (u: uPlot) => {
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = '#1d2630';
              ctx.fillStyle = '#1d2630';
              ctx.lineWidth = 1.5 * devicePixelRatio;
              ctx.setLineDash([8 * devicePixelRatio, 5 * devicePixelRatio]);
              ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              ctx.textAlign = 'right';
              for (const t of targets) {
                const y = Math.round(u.valToPos(t.value, 'y', true));
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, y);
                ctx.lineTo(u.bbox.left + u.bbox.width, y);
                ctx.stroke();
                // On a pale backing, so that a line drawn through the label leaves it readable.
                const right = u.bbox.left + u.bbox.width - 6 * devicePixelRatio;
                const base = y - 4 * devicePixelRatio;
                const width = ctx.measureText(t.label).width;
                ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
                ctx.fillRect(right - width - 3 * devicePixelRatio, base - 12 * devicePixelRatio, width + 6 * devicePixelRatio, 15 * devicePixelRatio);
                ctx.fillStyle = '#1d2630';
                ctx.fillText(t.label, right, base);
              }
              ctx.restore();
            },
          ],
        },
      },
      data,
      target,
    );
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.plot?.setSize({ width: Math.max(MIN_WIDTH, this.clientWidth), height: HEIGHT }));
      this.resizeObserver.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.plot?.destroy();
    this.plot = undefined;
  }
}
customElements.define('ww-chart', WwChart);
