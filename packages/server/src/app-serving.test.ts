// Serving the dashboard: the hashed bundle cached for a year, the page revalidated, text in brotli or
// gzip by what the client accepts (the build's precompressed copies when there are), no source map or
// other missing file answered with the page, the favicon.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRollupStore } from '@wardwatch/store';
import { createApp, dashboardCacheControl } from './app.ts';
import { createMetrics } from './metrics.ts';
import { StatusBoard } from './status-board.ts';

const dir = mkdtempSync(join(tmpdir(), 'ww-dist-'));
const bundle = `export const x = "${'wardwatch '.repeat(400)}";\n`;
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>wardwatch</title><script type="module" src="app-ABC123.js"></script>');
writeFileSync(join(dir, 'app-ABC123.js'), bundle);
// The build's precompressed copies, marked so that a test can tell them from compression on the fly.
const precompressed = `${bundle}// precompressed\n`;
writeFileSync(join(dir, 'app-ABC123.js.br'), brotliCompressSync(precompressed));
writeFileSync(join(dir, 'app-ABC123.js.gz'), gzipSync(precompressed));
const stylesheet = `body { margin: 0; }\n${'.x { color: red; }\n'.repeat(100)}`;
writeFileSync(join(dir, 'app.css'), stylesheet);
writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
const store = new SqliteRollupStore(':memory:');
const board = new StatusBoard(new Map(Array.from({ length: 200 }, (_, i) => [`S${i}`, { name: `Site ${i}`, trust: 'RXX' }])));
const app = createApp({ board, store, metrics: createMetrics(board, { defaultMetrics: false }), dashboardDir: dir });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { host: 'localhost', ...headers } });

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving the dashboard', () => {
  it.each([
    ['/app-ABC123.js', 'public, max-age=31536000, immutable'],
    ['/app-ABC123.js.LEGAL.txt', 'public, max-age=31536000, immutable'],
    ['/chunk-XYZ789.js', 'public, max-age=31536000, immutable'],
    ['/index.html', 'no-cache'],
    ['/app.css', 'no-cache'],
    ['/favicon.svg', 'no-cache'],
  ])('%s → Cache-Control %s', (path, expected) => {
    expect(dashboardCacheControl(path)).toBe(expected);
  });

  it('keeps the hashed bundle a year and sends the build’s brotli copy to a browser, its gzip copy to a gzip-only client; the page is revalidated', async () => {
    const js = await get('/app-ABC123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('br');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('vary')).toMatch(/accept-encoding/i);
    const body = Buffer.from(await js.arrayBuffer());
    expect(body.length).toBeLessThan(bundle.length / 10);
    expect(brotliDecompressSync(body).toString()).toBe(precompressed);

    const gz = await get('/app-ABC123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(precompressed);

    const plain = await get('/app-ABC123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    await expect(plain.text()).resolves.toBe(bundle);

    for (const path of ['/', '/#/wall', '/sites-page-route']) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      // Written per caller (the first frame: dashboard-page.ts): revalidated, and kept by no shared cache.
      expect(page.headers.get('cache-control'), path).toBe('private, no-cache');
      await expect(page.text()).resolves.toContain('app-ABC123.js');
    }
  });

  it('compresses a text file without precompressed copies on the fly, brotli first', async () => {
    const css = await get('/app.css', { 'accept-encoding': 'gzip, br' });
    expect(css.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await css.arrayBuffer())).toString()).toBe(stylesheet);
  });

  it('answers a missing file — a source map — with 404, not the page', async () => {
    const map = await get('/app-ABC123.js.map');
    expect(map.status).toBe(404);
    await expect(map.text()).resolves.not.toContain('<!doctype html>');
  });

  it('serves the favicon', async () => {
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  });

  it('answers API JSON in brotli to a browser, gzip to a gzip-only client, and plain to one that accepts neither', async () => {
    const br = await get('/api/sites', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect((JSON.parse(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()) as unknown[]).length).toBe(200);
    const zipped = await get('/api/sites', { 'accept-encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const sites = JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()) as unknown[];
    expect(sites).toHaveLength(200);
    const refused = await get('/api/sites', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers.get('content-encoding')).toBeNull();
    const plain = await get('/api/sites');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(((await plain.json()) as unknown[]).length).toBe(200);
  });
});
