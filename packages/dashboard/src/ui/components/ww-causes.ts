// "Likely causes": the networks, devices or applications currently blamed for degraded scopes, the
// widest-felt first (the first CAUSES_SHOWN, the rest counted), with the evidence behind each verdict
// (GET /api/causes); drawn first from the causes the server's first frame came with
// (markup/causes-markup.ts writes the same panel as text).
import { LitElement, css, html, unsafeCSS } from 'lit';
import type { CauseSummary } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { takeFirstFrameCauses } from '../first-frame-data.ts';
import { siteAddress } from '../route.ts';
import { CAUSE_KIND_WORD, causeName, CAUSES_SHOWN, felt, moreCausesText, plannedText } from '../markup/causes-markup.ts';
import { CAUSES_CSS } from '../markup/styles.ts';
import { statusColours } from '../theme.ts';

export class WwCauses extends LitElement {
  private readonly causes = new FetchController<CauseSummary[]>(this, 3000);
  /** The causes the server's first frame was drawn with, shown until the first answer (so the grid does not move down when it comes). */
  private readonly initial = takeFirstFrameCauses();

  constructor() {
    super();
    new LiveController(this, { sites: () => this.causes.load('api/causes') });
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; margin-bottom: 16px; }
      ${unsafeCSS(CAUSES_CSS)}
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.causes.load('api/causes');
  }

  override render() {
    const list = this.causes.value ?? this.initial ?? [];
    if (list.length === 0) return html``;
    const more = moreCausesText(list);
    return html`<section aria-labelledby="causes-heading">
      <h2 id="causes-heading">Likely causes</h2>
      <ul>
        ${list.slice(0, CAUSES_SHOWN).map((c) => causeItem(c, plannedText(c)))}
      </ul>
      ${more ? html`<p class="more">${more} · <a href="#/devices">Degraded devices</a></p>` : ''}
    </section>`;
  }
}
customElements.define('ww-causes', WwCauses);

/** One cause of the panel; `planned`, its plannedText (worked out once a cause). */
const causeItem = (c: CauseSummary, planned: string) =>
  html`<li data-culprit=${c.culprit} data-cause=${c.kind} ?data-maintenance=${planned !== ''}><span class="kind">${CAUSE_KIND_WORD[c.kind]}</span>${causeName(c)}${planned ? html`<span class="planned"> · ${planned}</span>` : ''}<span class="felt"> · felt by ${felt(c)}${c.siteIds.length
    ? html` · ${c.siteIds.map((id, i) => html`${i ? ', ' : ''}<a href=${siteAddress(id)}>${id}</a>`)}`
    : ''}</span><p class="evidence" title=${c.evidence}>${c.evidence}</p></li>`;
