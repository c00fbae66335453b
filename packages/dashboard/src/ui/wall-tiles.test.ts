import { describe, expect, it } from 'vitest';
import { wallTileLayout, wallTileProperties, WALL_TILE_GAP, WALL_TILE_MAX_SCALE, WALL_TILE_PITCH } from './wall-tiles.ts';

// The wall's tile area at 1920×1080 (the estate panel less its bar, as Chromium measures it), and at 3840×2160.
const HD = { width: 1230, height: 860 };
const UHD = { width: 2500, height: 1900 };

/** The grid's width and height, px, tiles and gaps. */
const drawn = (l: ReturnType<typeof wallTileLayout>) => ({
  width: l.columns * l.tileWidth + (l.columns - 1) * WALL_TILE_GAP,
  height: l.rows * l.tileHeight + (l.rows - 1) * WALL_TILE_GAP,
});

describe('wallTileLayout', () => {
  it.each([
    // sites, area, columns × rows, scale: the largest at which every site fits one page
    ['the default demo, 12 sites, at 1920×1080', 12, HD, 3, 4, 3.43],
    ['one site: the largest type, not a screen-sized code', 1, HD, 1, 1, WALL_TILE_MAX_SCALE],
    ['24 sites', 24, HD, 4, 6, 2.57],
    ['40 sites', 40, HD, 5, 8, 2.06],
    ['84 sites', 84, HD, 7, 12, 1.47],
    ['190 sites: one page of about the smallest', 190, HD, 10, 19, 1.03],
    ['40 sites on a 4K wall', 40, UHD, 4, 10, 4.33],
    // The largest type reached in several grids: the fewest columns, the widest tiles.
    ['12 sites on a 4K wall: the largest type, reached in several grids', 12, UHD, 2, 6, WALL_TILE_MAX_SCALE],
  ] as const)('%s', (_, sites, area, columns, rows, scale) => {
    const layout = wallTileLayout(sites, area.width, area.height);
    expect({ columns: layout.columns, rows: layout.rows, scale: layout.scale }).toEqual({ columns, rows, scale });
    expect(layout.perPage).toBeGreaterThanOrEqual(sites);
    // A tile is at least its scale's pitch, so a code that fits at that scale fits.
    expect(layout.tileWidth).toBeGreaterThanOrEqual(Math.floor(WALL_TILE_PITCH.width * layout.scale - WALL_TILE_GAP));
    expect(layout.tileHeight).toBeGreaterThanOrEqual(Math.floor(WALL_TILE_PITCH.height * layout.scale - WALL_TILE_GAP));
    // The grid fills the area to within a pixel a column or row (whole pixels), and never passes it.
    const grid = drawn(layout);
    expect(grid.width).toBeLessThanOrEqual(area.width);
    expect(grid.width).toBeGreaterThan(area.width - layout.columns);
    expect(grid.height).toBeLessThanOrEqual(area.height);
    expect(grid.height).toBeGreaterThan(area.height - layout.rows);
  });

  it('pages 200 and 1,000 sites at 1920×1080 in pages of whole rows and columns of the smallest tiles', () => {
    for (const sites of [200, 1000]) {
    const layout = wallTileLayout(sites, HD.width, HD.height);
    expect(layout.scale).toBe(1);
    expect(layout.columns).toBe(Math.floor((HD.width + WALL_TILE_GAP) / WALL_TILE_PITCH.width));
    expect(layout.rows).toBe(Math.floor((HD.height + WALL_TILE_GAP) / WALL_TILE_PITCH.height));
    expect(layout.perPage).toBe(layout.columns * layout.rows);
    expect(Math.ceil(sites / layout.perPage)).toBeGreaterThan(1);
    expect(drawn(layout).height).toBeLessThanOrEqual(HD.height);
    }
  });

  it('grows the tiles continuously with the room: one site more or a little less screen never jumps a whole step', () => {
    const scales = [10, 11, 12, 13, 14].map((n) => wallTileLayout(n, HD.width, HD.height).scale);
    for (let i = 1; i < scales.length; i++) expect(scales[i]).toBeLessThanOrEqual(scales[i - 1]!);
    expect(wallTileLayout(12, HD.width, HD.height - 40).scale).toBeGreaterThan(3);
  });

  it('never makes a page of no tiles, however small the area', () => {
    expect(wallTileLayout(5, 10, 10)).toMatchObject({ scale: 1, perPage: 1, columns: 1, rows: 1 });
    expect(wallTileLayout(0, HD.width, HD.height).perPage).toBeGreaterThanOrEqual(1);
  });
});

describe('wallTileProperties', () => {
  it('gives the grid its columns and the tiles their size, type and maintenance cap', () => {
    expect(wallTileProperties({ scale: 3.43, columns: 3, rows: 4, perPage: 12, tileWidth: 406, tileHeight: 211 })).toEqual([
      ['--tile-columns', '3'],
      ['--tile-w', '406px'],
      ['--tile-h', '211px'],
      ['--tile-font', '68.6px'],
      ['--cap', '17px'],
    ]);
  });
});
