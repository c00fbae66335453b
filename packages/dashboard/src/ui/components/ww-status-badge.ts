// A status shown by colour, icon and word together, so it reads without colour; a stale status is
// grey and says so ("Stale · was OK") rather than passing for a current one.
import { LitElement, css, html, unsafeCSS } from 'lit';
import type { Health } from '@wardwatch/schema';
import { STATUS_LABEL } from '../format.ts';
import { statusColours } from '../theme.ts';
import { BADGE_CSS } from '../markup/styles.ts';

export class WwStatusBadge extends LitElement {
  static override properties = { status: { type: String, reflect: true }, stale: { type: Boolean, reflect: true } };
  declare status: Health;
  declare stale: boolean;

  constructor() {
    super();
    this.status = 'unknown';
    this.stale = false;
  }

  static override styles = [
    statusColours,
    css`
      :host { display: inline-flex; }
      ${unsafeCSS(BADGE_CSS)}
    `,
  ];

  override render() {
    const label = STATUS_LABEL[this.status] ?? STATUS_LABEL.unknown;
    if (this.stale) return html`<span class="badge stale ${this.status}-was"><span aria-hidden="true">○</span>Stale · was ${label.word}</span>`;
    return html`<span class="badge ${this.status}"><span aria-hidden="true">${label.icon}</span>${label.word}</span>`;
  }
}
customElements.define('ww-status-badge', WwStatusBadge);
