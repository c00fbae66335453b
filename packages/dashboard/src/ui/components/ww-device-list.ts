// Every degraded or down device across the trust, with where it is and why: those degraded on their
// own first, then those under a likely cause they share (ww-device-groups).
import { LitElement, css, html } from 'lit';
import type { ScopeStatus } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import './ww-device-groups.ts';

export class WwDeviceList extends LitElement {
  private readonly devices = new FetchController<ScopeStatus[]>(this, 3000);

  constructor() {
    super();
    new LiveController(this, { statuses: () => 'kind:device', status: (s) => s.scope === 'device' && this.devices.load('api/devices?status=degraded,down') });
  }

  static override styles = css`
    :host { display: block; }
    a { color: #0b5cad; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.devices.load('api/devices?status=degraded,down');
  }

  override render() {
    return html`<a href="#/">← All sites</a>
      <h2>Degraded devices</h2>
      ${this.devices.value ? html`<ww-device-groups .devices=${this.devices.value} show-place></ww-device-groups>` : html`<p>Loading…</p>`}`;
  }
}
customElements.define('ww-device-list', WwDeviceList);
