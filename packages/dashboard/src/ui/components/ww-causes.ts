// "Likely causes": every network, device or application currently blamed for degraded scopes, the
// widest-felt first, with the evidence behind each verdict (GET /api/causes).
import { LitElement, css, html } from 'lit';
import type { CauseSummary } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { statusColours } from '../theme.ts';

const KIND_WORD: Record<CauseSummary['kind'], string> = { network: '⌁ Network', device: '▣ Device', application: '◆ Application' };

function felt(c: CauseSummary): string {
  const parts: string[] = [];
  const { sites, wards, accessPoints, devices, applications } = c.affected;
  if (sites) parts.push(`${sites} site${sites === 1 ? '' : 's'}`);
  if (wards) parts.push(`${wards} ward${wards === 1 ? '' : 's'}`);
  if (accessPoints) parts.push(`${accessPoints} access point${accessPoints === 1 ? '' : 's'}`);
  if (devices) parts.push(`${devices} device${devices === 1 ? '' : 's'}`);
  if (applications) parts.push(`${applications} site application${applications === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export class WwCauses extends LitElement {
  private readonly causes = new FetchController<CauseSummary[]>(this, 3000);

  constructor() {
    super();
    new LiveController(this, { sites: () => this.causes.load('api/causes') });
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; margin-bottom: 16px; }
      h2 { font-size: 1.05rem; margin: 0 0 8px; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      li { background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; padding: 8px 12px; }
      .kind { font-weight: 700; margin-right: 6px; white-space: nowrap; }
      .evidence { margin: 4px 0 0; color: #3a444f; font-size: 0.9rem; }
      .felt { color: var(--muted); font-size: 0.8rem; margin: 4px 0 0; }
      a { color: var(--link); }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.causes.load('api/causes');
  }

  override render() {
    const list = this.causes.value ?? [];
    if (list.length === 0) return html``;
    return html`<section aria-labelledby="causes-heading">
      <h2 id="causes-heading">Likely causes</h2>
      <ul>
        ${list.map(
          (c) => html`<li data-culprit=${c.culprit} data-cause=${c.kind}>
            <span class="kind">${KIND_WORD[c.kind]}</span>${c.summary.replace(/^[a-z]+: /, '')}
            <p class="evidence">${c.evidence}</p>
            <p class="felt">
              Felt by ${felt(c)}${c.siteIds.length
                ? html` · ${c.siteIds.map((id, i) => html`${i ? ', ' : ''}<a href="#/sites/${encodeURIComponent(id)}">${id}</a>`)}`
                : ''}
            </p>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}
customElements.define('ww-causes', WwCauses);
