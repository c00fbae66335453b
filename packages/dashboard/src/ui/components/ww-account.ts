// Who is signed in, and the way out: the user's name and role, and a Sign out button that ends the
// session here and then at the sign-in provider (the server answers where to go). Shown only when
// the server has sign-in configured; without it every caller is the local administrator.
import { LitElement, css, html } from 'lit';
import { FetchController } from '../controllers/fetch-controller.ts';

interface Me {
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  signOn: boolean;
}

export class WwAccount extends LitElement {
  static override properties = { signingOut: { state: true }, message: { state: true } };
  declare signingOut: boolean;
  declare message: string;
  private readonly me = new FetchController<Me>(this, 60_000);

  constructor() {
    super();
    this.signingOut = false;
    this.message = '';
  }

  static override styles = css`
    :host { display: inline-flex; align-items: center; gap: 10px; }
    .who { color: #fff; }
    .role { color: #cfe3f7; }
    button { font: inherit; padding: 3px 10px; color: #0f2c46; background: #fff; border: 1px solid #cfe3f7; border-radius: 4px; cursor: pointer; }
    button:focus-visible { outline: 3px solid #ffb86b; outline-offset: 2px; }
    button[disabled] { cursor: progress; opacity: 0.8; }
    .error { color: #ffd2a8; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.me.load('api/me');
  }

  private async signOut(): Promise<void> {
    this.signingOut = true;
    this.message = '';
    try {
      // JSON and same-origin, as the server requires of every state-changing request.
      const response = await fetch('auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = (await response.json()) as { redirect?: string; error?: string };
      if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
      // The provider's end-session page (so its session ends too), or this server's start page.
      location.assign(body.redirect ?? '/');
    } catch (error) {
      this.signingOut = false;
      this.message = `Not signed out: ${(error as Error).message}`;
    }
  }

  override render() {
    const me = this.me.value;
    if (!me?.signOn) return html``;
    return html`<span class="who" data-user>Signed in as ${me.name} <span class="role">(${me.role})</span></span>
      <button type="button" data-sign-out ?disabled=${this.signingOut} @click=${() => void this.signOut()}>${this.signingOut ? 'Signing out…' : 'Sign out'}</button>
      ${this.message ? html`<span class="error" role="alert">${this.message}</span>` : ''}`;
  }
}
customElements.define('ww-account', WwAccount);
