// A status shown by colour, icon and word together, so it reads without colour.
import { LitElement, css, html } from 'lit';
import type { Health } from '@wardwatch/schema';
import { STATUS_LABEL } from '../format.ts';
import { statusColours } from '../theme.ts';

export class WwStatusBadge extends LitElement {
  static override properties = { status: { type: String, reflect: true } };
  declare status: Health;

  constructor() {
    super();
    this.status = 'unknown';
  }

  static override styles = [
    statusColours,
    css`
      :host { display: inline-flex; }
      .badge { display: inline-flex; gap: 0.35em; align-items: center; padding: 0.1em 0.55em; border-radius: 999px; font-weight: 600; font-size: 0.85em; border: 1px solid currentColor; white-space: nowrap; }
      .ok { color: var(--ok); background: var(--ok-bg); }
      .degraded { color: var(--degraded); background: var(--degraded-bg); }
      .down { color: var(--down); background: var(--down-bg); }
      .unknown { color: var(--unknown); background: var(--unknown-bg); }
    `,
  ];

  override render() {
    const label = STATUS_LABEL[this.status] ?? STATUS_LABEL.unknown;
    return html`<span class="badge ${this.status}"><span aria-hidden="true">${label.icon}</span>${label.word}</span>`;
  }
}
customElements.define('ww-status-badge', WwStatusBadge);
