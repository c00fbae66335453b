// The wall's tiles sized to its estate and its screen: a trust of a dozen sites gets tiles over three
// times the size a thousand sites get, so that its codes read across a room, and the tiles of a page
// fill the area between them, with no band of empty screen under the last row; a large estate pages
// through tiles of the smallest size. Pure: the wall measures its area and draws what this says.

/**
 * A tile's type at scale 1, px: the wall's type on a 1920×1080 screen. Given in px, not em: the
 * wall's own type grows with larger screens (ww-wall.ts), and the pitch below is measured for this.
 */
export const WALL_TILE_TYPE_PX = 20;
/** A tile's pitch at scale 1 (the tile and the gap after it), px: a bold five-character code with its glyph at WALL_TILE_TYPE_PX (~94 px) fits, with the tile's padding and borders. */
export const WALL_TILE_PITCH = { width: 120, height: 44 } as const;
/** The gap between tiles, px (at every scale). */
export const WALL_TILE_GAP = 6;
/**
 * The largest scale a tile's type is drawn at (120 px codes at the wall's 20 px): a dozen sites on a
 * 4K screen at 100 % reach it; a handful of sites needs no more to read across a room.
 */
export const WALL_TILE_MAX_SCALE = 6;

export interface WallTileLayout {
  /** The tiles' type and least size as a multiple of the smallest's (1 to WALL_TILE_MAX_SCALE). */
  scale: number;
  /** The page's grid of tiles. */
  columns: number;
  rows: number;
  /** Tiles a page holds (columns × rows). */
  perPage: number;
  /** A tile's size, px: the grid's cells fill the area, the gap kept between them. */
  tileWidth: number;
  tileHeight: number;
}

/**
 * The grid that shows `sites` tiles on one page of an area `width` × `height` px at the largest scale
 * (each column count tried, with the rows it then needs); past the smallest scale, pages of as many
 * tiles of the smallest as fit. The tiles are then stretched to fill the grid's cells: at least the
 * scale's pitch, so a code that fits at that scale fits.
 */
export function wallTileLayout(sites: number, width: number, height: number): WallTileLayout {
  const across = (columns: number) => (width + WALL_TILE_GAP) / (columns * WALL_TILE_PITCH.width);
  const down = (rows: number) => (height + WALL_TILE_GAP) / (rows * WALL_TILE_PITCH.height);
  const mostColumns = Math.max(1, Math.floor(across(1)));
  const count = Math.max(1, sites);
  let best: { columns: number; rows: number; scale: number } | undefined;
  for (let columns = 1; columns <= Math.min(count, mostColumns); columns++) {
    const rows = Math.ceil(count / columns);
    const scale = Math.min(across(columns), down(rows), WALL_TILE_MAX_SCALE);
    // Ties (the largest scale reached more than one way) keep the fewer columns: wider tiles, codes whole.
    if (scale >= 1 && (best === undefined || scale > best.scale)) best = { columns, rows, scale };
  }
  const { columns, rows, scale } = best ?? { columns: mostColumns, rows: Math.max(1, Math.floor(down(1))), scale: 1 };
  return {
    scale: Math.floor(scale * 100) / 100,
    columns,
    rows,
    perPage: columns * rows,
    tileWidth: Math.max(WALL_TILE_PITCH.width - WALL_TILE_GAP, Math.floor((width + WALL_TILE_GAP) / columns - WALL_TILE_GAP)),
    tileHeight: Math.max(WALL_TILE_PITCH.height - WALL_TILE_GAP, Math.floor((height + WALL_TILE_GAP) / rows - WALL_TILE_GAP)),
  };
}

/** The CSS custom properties the wall's tiles are drawn with (set on ww-wall's `.estate`), by name. */
export function wallTileProperties(layout: WallTileLayout): ReadonlyArray<readonly [string, string]> {
  return [
    ['--tile-columns', String(layout.columns)],
    ['--tile-w', `${layout.tileWidth}px`],
    ['--tile-h', `${layout.tileHeight}px`],
    ['--tile-font', `${Math.round(layout.scale * WALL_TILE_TYPE_PX * 100) / 100}px`],
    // The planned-maintenance cap grows with the tile, so that it reads across the room as the code does.
    ['--cap', `${Math.round(5 * layout.scale)}px`],
  ];
}
