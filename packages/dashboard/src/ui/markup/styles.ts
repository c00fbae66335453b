// The CSS of the site grid and the page's header as plain text, with no Lit in it: the components wrap
// it for their shadow roots (unsafeCSS), and the build writes it into app.css for the server's first
// frame (first-frame-css.ts), so the tiles the server sends and the tiles the app draws are styled by
// one text. Rules only, no `:host`: each user says where they apply.

/**
 * The status palette (chosen for contrast; status is never told by colour alone). Text colours meet
 * 4.5:1 on their backgrounds; --focus meets 3:1 against white and the header blue.
 */
export const PALETTE_CSS = `
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
    --maintenance: #1f2f6b;
`;

/** A line saying a site's open maintenance window: a dark rule above it, as the tiles' cap and the uptime strip's hours (cards and the site's page). */
export const MAINTENANCE_NOTE_CSS = `.maintenance { padding-top: 4px; border-top: 4px solid var(--maintenance); font-weight: 600; }`;

/** The heat map's tile and the gap between tiles, px (the served frame's runs are laid out for these: tile-runs.ts). */
export const HEAT_TILE_WIDTH = 76;
export const HEAT_TILE_HEIGHT = 30;
export const HEAT_TILE_GAP = 4;

/**
 * Cards and heat-map tiles. Status is told by shape, word and pattern as well as hue: OK plain with a
 * solid bar, degraded hatched, down solid dark with light text, unknown dotted, stale grey and dashed.
 * Every pair of text and background meets 4.5:1; focus rings 3:1 against white and the header.
 * A tile is a block with its text centred by line height (its height less its borders), not a flex
 * box: a thousand of them laid out and painted 15–30 % faster in Chromium (measured side by side).
 * The heat map's tracks are fixed (columns of --tile-w, rows of --tile-h) and a tile's size and layout
 * are contained, so the grid never measures a tile to size a track; the list items generate no box
 * (the link is the grid's item: a layout object fewer a tile, and still a list to assistive
 * technology); tiles have square corners (a rounded box whose left border differs in colour is
 * painted as paths). Traced on a thousand tiles:
 * layout ~40 → ~26 ms and paint ~24 → ~17 ms of main-thread CPU (docs/benchmarks.md). Each tile's
 * status glyph is the first character of its text (site-markup.ts tileParts), in the tile's colour.
 *
 * A tile's code must never read as another site's: at 68 px a bold "▲ RXX03" lost its last digit and
 * "RXX100" read "RXX10". The tile is HEAT_TILE_WIDTH wide, enough for a five-character code (an ODS site
 * code) in bold with its glyph; wider codes are drawn smaller (data-long: site-markup.ts codeShrink), and a code that
 * still does not fit ends in an ellipsis, never cut silently (the full name is the tile's label).
 */
export const SITE_VIEW_CSS = `
  ul.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
  a.card { display: block; height: 100%; box-sizing: border-box; padding: 12px 14px; background: #fff; border: 1px solid var(--border); border-left: 8px solid var(--unknown); border-radius: 6px; color: inherit; text-decoration: none; }
  a.card:hover { box-shadow: 0 0 0 2px var(--focus); }
  a.card:focus-visible, a.tile:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  a.card[data-status='ok'] { border-left-color: var(--ok); }
  a.card[data-status='degraded'] { border-left: 8px double var(--degraded); background: var(--degraded-bg-card); }
  a.card[data-status='down'] { border-left: 12px solid var(--down); background: var(--down-bg-card); }
  a.card[data-status='unknown'] { border-left: 8px dotted var(--unknown); }
  a.card[data-stale] { background: var(--stale-bg); border: 2px dashed var(--stale); border-left-width: 8px; color: var(--stale-text); }
  .head { display: flex; justify-content: space-between; gap: 8px; align-items: start; }
  h4 { margin: 0; font-size: 1rem; }
  .id { color: var(--muted); font-size: 0.8rem; }
  dl { display: grid; grid-template-columns: repeat(3, 1fr); margin: 10px 0 0; gap: 4px; }
  dt { color: var(--muted); font-size: 0.75rem; }
  dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
  dd small { display: block; font-size: 0.75rem; font-weight: 400; color: var(--muted); }
  .reason { margin: 8px 0 0; font-size: 0.85rem; color: #3a444f; }
  .cause { margin: 6px 0 0; font-size: 0.85rem; }
  .foot { display: flex; flex-wrap: wrap; gap: 4px 12px; justify-content: space-between; margin: 8px 0 0; font-size: 0.8rem; color: var(--muted); }
  .alerts { color: var(--down); font-weight: 700; }
  a.card[data-stale] .id, a.card[data-stale] dt, a.card[data-stale] dd small, a.card[data-stale] .foot, a.card[data-stale] .reason { color: var(--stale-text); }

  ul.tiles { list-style: none; margin: 0; padding: 0; display: grid; gap: ${HEAT_TILE_GAP}px; grid-template-columns: repeat(auto-fill, var(--tile-w, ${HEAT_TILE_WIDTH}px)); grid-auto-rows: var(--tile-h, ${HEAT_TILE_HEIGHT}px); }
  ul.tiles > li { display: contents; }
  a.tile { display: block; line-height: calc(var(--tile-h, ${HEAT_TILE_HEIGHT}px) - 2px); height: var(--tile-h, ${HEAT_TILE_HEIGHT}px); padding: 0 4px; box-sizing: border-box; contain: size layout; font-size: var(--tile-font, 0.8rem); font-variant-numeric: tabular-nums; text-decoration: none; color: var(--text); background: #fff; border: 1px solid var(--border); border-left: 5px solid var(--ok); overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  a.tile[data-long='1'] { font-size: calc(var(--tile-font, 0.8rem) * 0.85); }
  a.tile[data-long='2'] { font-size: calc(var(--tile-font, 0.8rem) * 0.75); }
  a.tile[data-long='3'] { font-size: calc(var(--tile-font, 0.8rem) * 0.68); }
  a.tile[data-status='degraded'] { line-height: calc(var(--tile-h, ${HEAT_TILE_HEIGHT}px) - 4px); border: 2px solid var(--degraded); background: repeating-linear-gradient(135deg, var(--degraded-bg) 0 6px, var(--degraded-hatch) 6px 9px); color: var(--degraded-text); font-weight: 700; }
  a.tile[data-status='down'] { line-height: calc(var(--tile-h, ${HEAT_TILE_HEIGHT}px) - 4px); border: 2px solid var(--down); background: var(--down); color: #fff; font-weight: 700; }
  a.tile[data-status='unknown'] { line-height: calc(var(--tile-h, ${HEAT_TILE_HEIGHT}px) - 4px); border: 2px dotted var(--unknown); background: var(--unknown-bg); color: var(--text); }
  a.tile[data-paging]:not([data-status='down']) { box-shadow: inset 0 -4px 0 var(--down); }
  a.tile[data-stale] { line-height: calc(var(--tile-h, ${HEAT_TILE_HEIGHT}px) - 4px); border: 2px dashed var(--stale); background: var(--stale-bg); color: var(--stale-text); font-weight: 400; box-shadow: none; }
  /* Planned maintenance open at the site: a dark cap across the top, as the uptime strip marks its hours (the status below it unchanged). */
  a.tile[data-maintenance] { box-shadow: inset 0 var(--cap, 5px) 0 var(--maintenance); }
  a.tile[data-maintenance][data-paging]:not([data-status='down']) { box-shadow: inset 0 var(--cap, 5px) 0 var(--maintenance), inset 0 -4px 0 var(--down); }
  ${MAINTENANCE_NOTE_CSS}
  a.card .maintenance { margin: 8px 0 0; font-size: 0.85rem; }
`;

/** The grid's search form, counts and group headings (ww-site-grid; its host is a block). */
export const SITE_GRID_CSS = `
  form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 0 0 12px; padding: 10px 12px; background: #fff; border: 1px solid var(--border); border-radius: 6px; }
  label, .field { display: flex; flex-direction: column; gap: 2px; font-size: 0.8rem; color: var(--muted); }
  input[type='search'], select { font: inherit; font-size: 0.95rem; padding: 4px 6px; border: 1px solid #6b737b; border-radius: 4px; color: var(--text); background: #fff; }
  input[type='search'] { min-width: 16em; }
  fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
  legend { font-size: 0.8rem; color: var(--muted); padding: 0; margin-bottom: 2px; float: left; width: 100%; }
  fieldset label { flex-direction: row; align-items: center; gap: 4px; font-size: 0.9rem; color: var(--text); }
  input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  .missing { font-size: 0.8rem; color: var(--muted); margin: 0; align-self: center; }
  .shown { margin: 0 0 8px; color: var(--muted); font-size: 0.9rem; }
  h3.group { font-size: 1rem; margin: 16px 0 6px; }
  h3.group .n { font-weight: 400; color: var(--muted); font-size: 0.9rem; }
  h3.attention { font-size: 1.05rem; margin: 0 0 8px; }
  .more { color: var(--muted); font-size: 0.9rem; margin: 6px 0 0; }
  .empty { color: var(--muted); }
`;

/**
 * The wall's type (#/wall): 20 px on a 1920×1080 screen and never less (it must read across a room),
 * growing with the screen — twice that on a 4K screen at 100 % — to 48 px at most. The factors put
 * 1920×1080 a hair under 20 px, so the clamp gives it exactly the 20 px the wall was laid out at.
 */
export const WALL_TYPE = 'clamp(20px, min(1.0416vw, 1.8518vh), 48px)';

/** The page's main column (ww-app): full width for the grid (.wide). */
export const APP_MAIN_CSS = `
  main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
  main.wide { max-width: none; }
  main { width: 100%; box-sizing: border-box; }
`;

/**
 * The page's header bar, the estate summary line and visually hidden text (ww-app). The bar is sized
 * in em of its own type (the page's 15 px), so the wall can set it larger with the screen.
 */
export const APP_HEADER_CSS = `
  header { font-size: 1rem; display: flex; flex-wrap: wrap; gap: 0.5em 1.25em; align-items: center; padding: 0.625em 1.25em; background: #0f2c46; color: #fff; }
  header h1 { font-size: 1.15em; margin: 0; letter-spacing: 0.02em; }
  header h1 a { color: inherit; text-decoration: none; }
  .trust { opacity: 0.85; font-size: 0.9em; }
  nav { margin-left: auto; display: flex; flex-wrap: wrap; gap: 0.25em 1em; align-items: center; font-size: 0.9em; }
  nav a { color: #cfe3f7; }
  .live { display: inline-flex; align-items: center; gap: 0.375em; }
  .dot { width: 0.625em; height: 0.625em; border-radius: 50%; background: #9aa5b1; }
  .live[data-connected] .dot { background: #5fd08a; }
  header a:focus-visible, .skip:focus-visible { outline: 3px solid #ffb86b; outline-offset: 2px; }
  .banner { margin: 0; padding: 10px 20px; background: #3d454d; color: #fff; font-weight: 600; border-bottom: 4px dashed #c5ccd3; }
  .banner small { display: block; font-weight: 400; }
  .summary { margin: 0 0 12px; color: #3a444f; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

/** A status badge: colour, icon and word together; a stale one grey and dashed (ww-status-badge; its host is an inline flex box). */
export const BADGE_CSS = `
  .badge { display: inline-flex; gap: 0.35em; align-items: center; padding: 0.1em 0.55em; border-radius: 999px; font-weight: 600; font-size: 0.85em; border: 1px solid currentColor; white-space: nowrap; }
  .badge.ok { color: var(--ok); background: var(--ok-bg); }
  .badge.degraded { color: var(--degraded-text); background: var(--degraded-bg); border-style: double; border-width: 3px; }
  .badge.down { color: #fff; background: var(--down); }
  .badge.unknown { color: var(--unknown); background: var(--unknown-bg); border-style: dotted; }
  .badge.stale { color: var(--stale-text); background: var(--stale-bg); border-style: dashed; white-space: normal; border-radius: 0.8em; }
`;

/** The grid's "Likely causes" panel (ww-causes; its host, or the first frame's div.causes, is a block with 16px under it): two lines a cause, the evidence cut to one (whole on hover, and to a screen reader). */
export const CAUSES_CSS = `
  h2 { font-size: 1.05rem; margin: 0 0 8px; }
  ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px; }
  li { background: #fff; border: 1px solid var(--border); border-left: 6px solid var(--degraded); border-radius: 6px; padding: 6px 12px; }
  .kind { font-weight: 700; margin-right: 6px; white-space: nowrap; }
  .evidence { margin: 2px 0 0; color: #3a444f; font-size: 0.9rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .felt { color: var(--muted); font-size: 0.8rem; }
  .planned { font-weight: 600; }
  .more { margin: 6px 0 0; font-size: 0.9rem; color: var(--muted); }
  a { color: var(--link); }
`;
