// The wall's tiles sized to its estate: a trust of a dozen sites gets tiles three times the size a
// thousand sites get, so that its codes read across a room, and a large estate pages through tiles
// of the smallest size. Pure: the wall measures its area and draws what this says.

/** A tile's pitch at scale 1 (the tile and the gap after it), px: a bold five-character code with its glyph at the wall's 20 px (~94 px) fits, with the tile's padding and borders. */
export const WALL_TILE_PITCH = { width: 120, height: 44 } as const;
/** The gap between tiles, px (at every scale). */
export const WALL_TILE_GAP = 6;
/** The scales a tile is drawn at, largest first: its pitch and its type grow together. */
export const WALL_TILE_SCALES = [3, 2.5, 2, 1.5, 1.25, 1] as const;
export type WallTileScale = (typeof WALL_TILE_SCALES)[number];

export interface WallTileLayout {
  scale: WallTileScale;
  /** Tiles a page holds at that scale. */
  perPage: number;
}

/** Tiles of a scale that fit whole in an area `width` × `height` px. */
export function tilesThatFit(scale: number, width: number, height: number): number {
  const cols = Math.max(1, Math.floor((width + WALL_TILE_GAP) / (WALL_TILE_PITCH.width * scale)));
  const rows = Math.max(1, Math.floor((height + WALL_TILE_GAP) / (WALL_TILE_PITCH.height * scale)));
  return cols * rows;
}

/** The largest scale at which `sites` tiles fit on one page of the area; past the smallest, that scale's pages. */
export function wallTileLayout(sites: number, width: number, height: number): WallTileLayout {
  for (const scale of WALL_TILE_SCALES) {
    const perPage = tilesThatFit(scale, width, height);
    if (perPage >= sites) return { scale, perPage };
  }
  return { scale: 1, perPage: tilesThatFit(1, width, height) };
}

/** The CSS of each scale's tiles, for the wall's `.estate[data-scale]`. */
export function wallTileScaleCss(): string {
  return WALL_TILE_SCALES.map(
    (s) => `.estate[data-scale='${s}'] { --tile-w: ${WALL_TILE_PITCH.width * s - WALL_TILE_GAP}px; --tile-h: ${WALL_TILE_PITCH.height * s - WALL_TILE_GAP}px; --tile-font: ${s}em; }`,
  ).join('\n');
}
