// Shared styles: the status palette (chosen for contrast; status is never told by colour alone).
import { css } from 'lit';

export const statusColours = css`
  :host {
    --ok: #1b7f3b;
    --ok-bg: #e7f4ea;
    --degraded: #8a5a00;
    --degraded-bg: #fff3d6;
    --down: #b3261e;
    --down-bg: #fdeceb;
    --unknown: #5b6570;
    --unknown-bg: #eef0f2;
    --border: #d5dbe1;
    --muted: #5b6570;
    --link: #0b5cad;
  }
`;
