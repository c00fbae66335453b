// Devices not OK, by what is wrong (device-groups.ts): those degraded on their own in a table of their
// own, first; then each likely cause they share, with its evidence and a link to its page, and its
// devices folded away — eighty devices behind one congested site are one fault, not eighty rows
// above the one device that needs a visit.
import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ScopeStatus } from '@wardwatch/schema';
import { devicesWord, groupDevicesByCause, groupsLead, type DeviceGroup } from '../device-groups.ts';
import { scopeAddress } from '../route.ts';
import { causeName } from '../markup/causes-markup.ts';
import { statusColours } from '../theme.ts';
import './ww-scope-table.ts';

export class WwDeviceGroups extends LitElement {
  static override properties = {
    devices: { attribute: false },
    showPlace: { type: Boolean, attribute: 'show-place' },
    here: { type: String },
    empty: { type: String },
  };
  declare devices: ScopeStatus[];
  /** A "Site / ward" column, for lists across sites. */
  declare showPlace: boolean;
  /** The key of the page this list is on: a cause there is not linked to itself. */
  declare here: string;
  declare empty: string;

  constructor() {
    super();
    this.devices = [];
    this.showPlace = false;
    this.here = '';
    this.empty = 'no device is degraded or down.';
  }

  static override styles = [
    statusColours,
    css`
      :host { display: grid; gap: 16px; }
      h3 { margin: 0 0 4px; font-size: 1rem; }
      p { margin: 0 0 6px; color: #3a444f; }
      p.lead { color: inherit; font-weight: 600; }
      a { color: var(--link); }
      section.shared { background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; padding: 10px 14px; }
      summary { cursor: pointer; color: var(--link); text-decoration: underline; margin: 4px 0; width: fit-content; }
      summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      details[open] summary { margin-bottom: 8px; }
    `,
  ];

  override render() {
    if (this.devices.length === 0) return html`<p><strong>Devices not OK:</strong> ${this.empty}</p>`;
    const groups = groupDevicesByCause(this.devices);
    const own = groups[0]?.cause ? undefined : groups[0];
    const shared = own ? groups.slice(1) : groups;
    return html`
      <p class="lead" data-lead>${groupsLead(groups)}</p>
      ${own
        ? html`<ww-scope-table data-group="own" caption=${`Degraded on their own — ${devicesWord(own.devices.length)} to look at`} .scopes=${own.devices} ?show-place=${this.showPlace} show-wifi></ww-scope-table>`
        : ''}
      ${repeat(shared, (group) => group.cause!.culprit, (group) => this.renderShared(group))}
    `;
  }

  /** Keyed by culprit (repeat, above): a group opened stays open as the groups' order changes. */
  private renderShared(group: DeviceGroup) {
    const cause = group.cause!;
    const address = cause.culprit === this.here ? undefined : scopeAddress(cause.culprit);
    const n = group.devices.length;
    return html`<section class="shared" data-group=${cause.culprit} data-devices=${n}>
      <h3>${devicesWord(n)} — likely cause: ${cause.summary}</h3>
      <p>${cause.evidence}${address ? html` · <a href=${address}>Open ${causeName(cause)}</a>` : ''}</p>
      <details>
        <summary>Show the ${devicesWord(n)}</summary>
        <ww-scope-table caption=${`Devices under ${cause.summary}`} .scopes=${group.devices} ?show-place=${this.showPlace} show-wifi known-cause=${cause.culprit}></ww-scope-table>
      </details>
    </section>`;
  }
}
customElements.define('ww-device-groups', WwDeviceGroups);
