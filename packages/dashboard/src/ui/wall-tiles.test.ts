import { describe, expect, it } from 'vitest';
import { tilesThatFit, wallTileLayout, wallTileScaleCss, WALL_TILE_GAP, WALL_TILE_PITCH } from './wall-tiles.ts';

// The wall's tile area at 1920×1080 (the estate panel less its bar), and at 3840×2160.
const HD = { width: 1230, height: 860 };
const UHD = { width: 2500, height: 1900 };

describe('wallTileLayout', () => {
  it.each([
    ['the default demo, 12 sites, at 1920×1080', 12, HD, 3],
    ['one site', 1, HD, 3],
    ['24 sites', 24, HD, 2.5],
    ['40 sites', 40, HD, 2],
    ['84 sites', 84, HD, 1.25],
    ['200 sites: one page of the smallest', 200, HD, 1],
    ['1,000 sites: pages of the smallest', 1000, HD, 1],
    ['40 sites on a 4K wall', 40, UHD, 3],
  ] as const)('%s: scale %s', (_, sites, area, scale) => {
    const layout = wallTileLayout(sites, area.width, area.height);
    expect(layout.scale).toBe(scale);
    expect(layout.perPage).toBe(tilesThatFit(scale, area.width, area.height));
    // Every site on one page whenever any scale allows it; only the smallest pages.
    if (scale > 1) expect(layout.perPage).toBeGreaterThanOrEqual(sites);
  });

  it('pages 1,000 sites at 1920×1080 in pages of whole rows and columns', () => {
    const { perPage } = wallTileLayout(1000, HD.width, HD.height);
    expect(perPage).toBe(Math.floor((HD.width + WALL_TILE_GAP) / WALL_TILE_PITCH.width) * Math.floor((HD.height + WALL_TILE_GAP) / WALL_TILE_PITCH.height));
    expect(Math.ceil(1000 / perPage)).toBeGreaterThan(1);
  });

  it('never makes a page of no tiles, however small the area', () => {
    expect(wallTileLayout(5, 10, 10)).toEqual({ scale: 1, perPage: 1 });
  });
});

describe('wallTileScaleCss', () => {
  it('sizes each scale’s tiles and type together, the gap kept', () => {
    const css = wallTileScaleCss();
    expect(css).toContain(".estate[data-scale='1'] { --tile-w: 114px; --tile-h: 38px; --tile-font: 1em; }");
    expect(css).toContain(".estate[data-scale='3'] { --tile-w: 354px; --tile-h: 126px; --tile-font: 3em; }");
  });
});
