// Shared styles: the status palette (chosen for contrast; status is never told by colour alone).
// Text colours meet 4.5:1 on their backgrounds; --focus meets 3:1 against white and the header blue.
import { css } from 'lit';

export const statusColours = css`
  :host {
    --text: #1d2630;
    --ok: #146c2e;
    --ok-bg: #e7f4ea;
    --degraded: #7a4f00;
    --degraded-bg: #fff3d6;
    --degraded-hatch: #f3d892;
    --degraded-text: #4d3200;
    --degraded-bg-card: #fffdf6;
    --down: #a4221b;
    --down-bg: #fdeceb;
    --down-bg-card: #fffafa;
    --unknown: #505a64;
    --unknown-bg: #eef0f2;
    --stale: #6b737b;
    --stale-bg: #e4e7ea;
    --stale-text: #3d454d;
    --border: #c5ccd3;
    --muted: #505a64;
    --link: #0b5cad;
    --focus: #d4610a;
  }
`;
