// A trust's annotations (GET /api/annotations): changes it made — compared before and after in the
// evidence pack — and maintenance windows, left out of its figures (and, while open, marked on the
// screens and holding their sites' alerts). Listed, added (POST) and removed
// (DELETE); the API's message, naming the field, is shown when it refuses one.
import { LitElement, css, html } from 'lit';
import type { Annotation } from '@wardwatch/schema';
import { FetchController } from '../controllers/fetch-controller.ts';
import { annotationBody } from '../evidence.ts';
import { statusColours } from '../theme.ts';
import { dateTimeMedium } from '../format.ts';

const when = dateTimeMedium;

export class WwAnnotations extends LitElement {
  static override properties = { trust: { type: String }, message: { state: true }, busy: { state: true } };
  declare trust: string;
  declare message: string;
  declare busy: boolean;
  private readonly list = new FetchController<Annotation[]>(this, 1000);
  private requested = '';

  constructor() {
    super();
    this.trust = '';
    this.message = '';
    this.busy = false;
  }

  static override styles = [
    statusColours,
    css`
      :host { display: block; background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; }
      h3 { margin: 4px 0 6px; font-size: 1.05rem; }
      ul { list-style: none; padding: 0; margin: 0 0 10px; }
      li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; padding: 4px 0; border-bottom: 1px solid #e8ecef; }
      .kind { font-size: 0.8rem; font-weight: 600; padding: 0 0.5em; border-radius: 999px; border: 1px solid currentColor; }
      .change { color: var(--ok); }
      .maintenance { color: var(--degraded); }
      .scope { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.85rem; }
      .muted { color: var(--muted); }
      form { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; }
      label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); gap: 2px; }
      input, select { font: inherit; padding: 3px 6px; }
      .error { color: var(--down); font-weight: 600; margin: 6px 0 0; }
      button { font: inherit; padding: 4px 12px; cursor: pointer; }
      button.remove { padding: 0 8px; font-size: 0.8rem; margin-left: auto; }
    `,
  ];

  protected override willUpdate(): void {
    const url = `api/annotations?trust=${encodeURIComponent(this.trust)}`;
    if (this.trust && url !== this.requested) {
      this.requested = url;
      this.list.load(url);
    }
  }

  override render() {
    // Until the list has come, nothing is said of it: "None recorded" while it loaded (the demo's first
    // minute, its history still being written) told a trust it had recorded nothing.
    const list = this.list.value;
    return html`<section aria-labelledby="ann-h">
      <h3 id="ann-h">Changes and maintenance</h3>
      <p class="muted">A change recorded here is compared before and after in the pack (four weeks either side); a maintenance window is left out of its figures, marks its site (or every site of the trust) on the grid and the wall while it is open, and holds their alerts' notifications meanwhile.</p>
      ${this.list.error ? html`<p class="error">Could not load the annotations: ${this.list.error}</p>` : ''}
      <ul>
        ${list === undefined ? (this.list.error ? '' : html`<li class="muted" data-loading>Loading…</li>`) : list.length === 0 ? html`<li class="muted">None recorded.</li>` : ''}
        ${(list ?? []).map(
          (a) => html`<li data-annotation=${a.id}>
            <span class="kind ${a.kind}">${a.kind}</span>
            <strong>${a.title}</strong>
            <span class="scope">${a.scope}</span>
            <span>${when(a.start)}${a.end !== undefined ? ` – ${when(a.end)}` : ''}</span>
            ${a.note ? html`<span class="muted">${a.note}</span>` : ''}
            <button class="remove" type="button" @click=${() => this.removeAnnotation(a)} aria-label="Remove ${a.title}">Remove</button>
          </li>`,
        )}
      </ul>
      <form @submit=${this.add} aria-label="Record a change or maintenance window">
        <label>Kind<select name="kind"><option value="change">change</option><option value="maintenance">maintenance</option></select></label>
        <label>Scope<input name="scope" required placeholder="site:RXX03" size="16" /></label>
        <label>What<input name="title" required placeholder="SSO live" size="24" /></label>
        <label>From<input name="start" type="datetime-local" required /></label>
        <label>Until (maintenance)<input name="end" type="datetime-local" /></label>
        <label>Note<input name="note" size="24" /></label>
        <button type="submit" ?disabled=${this.busy}>Record</button>
      </form>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
    </section>`;
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? '');
    const made = annotationBody({ trust: this.trust, scope: field('scope'), kind: field('kind'), title: field('title'), start: field('start'), end: field('end'), note: field('note') });
    if ('error' in made) {
      this.message = made.error;
      return;
    }
    await this.send('api/annotations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(made.body) }, () => form.reset());
  }

  private async removeAnnotation(a: Annotation): Promise<void> {
    await this.send(`api/annotations/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
  }

  private async send(url: string, init: RequestInit, then?: () => void): Promise<void> {
    this.busy = true;
    try {
      const response = await fetch(url, init);
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        this.message = body.error ?? `HTTP ${response.status}`;
        return;
      }
      this.message = '';
      then?.();
      this.requested = '';
      this.requestUpdate();
    } catch (error) {
      this.message = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('ww-annotations', WwAnnotations);
