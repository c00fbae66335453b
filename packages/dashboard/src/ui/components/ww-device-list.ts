// Every degraded or down device across the trust, with where it is and why.
import { LitElement, css, html } from 'lit';
import type { ScopeStatus } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import './ww-scope-table.ts';

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
      <ww-scope-table caption="Degraded and down devices" .scopes=${this.devices.value ?? []} show-place show-wifi empty="no device is degraded or down."></ww-scope-table>`;
  }
}
customElements.define('ww-device-list', WwDeviceList);
