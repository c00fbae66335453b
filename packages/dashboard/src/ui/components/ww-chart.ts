// A uPlot time-series chart fed columnar data ([t, series1, series2, …]) without copying.
import { LitElement, css, html, unsafeCSS } from 'lit';
import uPlot from 'uplot';
// Bundled as text (see build.mjs): uPlot's own styles, adopted into this shadow root.
import uPlotCss from 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  colour: string;
  values: (number | null)[];
}

export class WwChart extends LitElement {
  static override properties = {
    t: { attribute: false },
    series: { attribute: false },
    unit: { type: String },
    label: { type: String },
  };
  declare t: number[];
  declare series: ChartSeries[];
  declare unit: string;
  declare label: string;
  private plot: uPlot | undefined;
  private resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.t = [];
    this.series = [];
    this.unit = '';
    this.label = '';
  }

  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host { display: block; min-height: 240px; }
    `,
  ];

  override render() {
    return html`<div class="chart" role="img" aria-label=${this.label}></div>`;
  }

  protected override updated(): void {
    const target = this.renderRoot.querySelector('.chart') as HTMLElement;
    const data = [this.t, ...this.series.map((s) => s.values)] as uPlot.AlignedData;
    const width = Math.max(300, this.clientWidth || 600);
    if (this.plot && this.plot.series.length === this.series.length + 1) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    const unit = this.unit;
    this.plot = new uPlot(
      {
        width,
        height: 220,
        series: [{}, ...this.series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, spanGaps: false }))],
        axes: [{}, { values: (_u: uPlot, ticks: number[]) => ticks.map((v) => `${v}${unit}`), size: 76 }],
        scales: { x: { time: true } },
        legend: { live: true },
      },
      data,
      target,
    );
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.plot?.setSize({ width: Math.max(300, this.clientWidth), height: 220 }));
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
