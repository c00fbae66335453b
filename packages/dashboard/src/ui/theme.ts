// Shared styles: the status palette (markup/styles.ts) on each component's host.
import { css, unsafeCSS } from 'lit';
import { PALETTE_CSS } from './markup/styles.ts';

export const statusColours = css`
  :host {
    ${unsafeCSS(PALETTE_CSS)}
  }
`;
