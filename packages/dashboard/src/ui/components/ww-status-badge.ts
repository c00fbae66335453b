// A status shown by colour, icon and word together, so it reads without colour; a stale status is
// grey and says so ("Stale · was OK") rather than passing for a current one.
import { LitElement, css, html } from 'lit';
import type { Health } from '@wardwatch/schema';
import { STATUS_LABEL } from '../format.ts';
import { statusColours } from '../theme.ts';

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
      .badge { display: inline-flex; gap: 0.35em; align-items: center; padding: 0.1em 0.55em; border-radius: 999px; font-weight: 600; font-size: 0.85em; border: 1px solid currentColor; white-space: nowrap; }
      .ok { color: var(--ok); background: var(--ok-bg); }
      .degraded { color: var(--degraded-text); background: var(--degraded-bg); border-style: double; border-width: 3px; }
      .down { color: #fff; background: var(--down); }
      .unknown { color: var(--unknown); background: var(--unknown-bg); border-style: dotted; }
      .stale { color: var(--stale-text); background: var(--stale-bg); border-style: dashed; }
    `,
  ];

  override render() {
    const label = STATUS_LABEL[this.status] ?? STATUS_LABEL.unknown;
    if (this.stale) return html`<span class="badge stale ${this.status}-was"><span aria-hidden="true">○</span>Stale · was ${label.word}</span>`;
    return html`<span class="badge ${this.status}"><span aria-hidden="true">${label.icon}</span>${label.word}</span>`;
  }
}
customElements.define('ww-status-badge', WwStatusBadge);
