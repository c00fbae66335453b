import { Hono } from 'hono';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, negotiateEncoding } from './index.ts';

const big = { sites: Array.from({ length: 200 }, (_, i) => ({ id: `S${i}`, name: `Site ${i}`, status: 'ok' })) };
const app = new Hono();
app.use(compress());
app.get('/json', (c) => c.json(big));
app.get('/small', (c) => c.body('{"ok":true}', 200, { 'content-type': 'application/json', 'content-length': '11' }));
app.get('/stream', (c) => c.body('data: x\n\n'.repeat(500), 200, { 'content-type': 'text/event-stream' }));
app.get('/tiny-json', (c) => c.json({ ok: true }));
const large = { devices: Array.from({ length: 3000 }, (_, i) => ({ id: `D${i}`, site: `S${i % 50}`, status: 'ok' })) };
app.get('/large-json', (c) => c.json(large));
app.get('/csv', (c) => c.body('site,p95\n'.repeat(1000), 200, { 'content-type': 'text/csv; charset=utf-8' }));
app.get('/png', (c) => c.body(new Uint8Array(4096), 200, { 'content-type': 'image/png' }));
app.get('/no-transform', (c) => c.body('x'.repeat(4096), 200, { 'content-type': 'text/plain', 'cache-control': 'no-transform' }));
app.get('/already', (c) => c.body(new Uint8Array([1, 2, 3]), 200, { 'content-type': 'application/javascript', 'content-encoding': 'br' }));
const get = (path: string, acceptEncoding?: string) => app.request(path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

describe('negotiateEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, br;q=0', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['BR', 'br'],
    ['*', 'br'],
    ['*;q=0.3, gzip;q=0.5', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['deflate', undefined],
  ] as const)('Accept-Encoding %j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('compress', () => {
  it('answers brotli to a browser (which accepts br and gzip), gzip to a client that accepts only gzip, plain to one that accepts neither', async () => {
    const expected = JSON.stringify(big);
    const br = await get('/json', 'gzip, deflate, br, zstd');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    const brBody = Buffer.from(await br.arrayBuffer());
    // A JSON answer is built whole: compressed in one call, its length stated.
    expect(br.headers.get('content-length')).toBe(String(brBody.length));
    expect(brotliDecompressSync(brBody).toString()).toBe(expected);
    expect(brBody.length).toBeLessThan(expected.length / 5);

    const gzip = await get('/json', 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(expected);

    for (const header of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await get('/json', header);
      expect(plain.headers.get('content-encoding'), String(header)).toBeNull();
      expect(plain.headers.get('vary'), String(header)).toMatch(/accept-encoding/i);
      await expect(plain.text()).resolves.toBe(expected);
    }
  });

  it('streams what may be written as it goes (any type but JSON) and JSON past 64 kB through the compressor, its length not stated; sends a JSON answer under the threshold as it is', async () => {
    for (const [path, expected] of [['/large-json', JSON.stringify(large)], ['/csv', 'site,p95\n'.repeat(1000)]] as const) {
      expect(expected.length, path).toBeGreaterThan(path === '/csv' ? 1024 : 64 * 1024);
      const res = await get(path, 'gzip');
      expect(res.headers.get('content-encoding'), path).toBe('gzip');
      expect(res.headers.get('content-length'), path).toBeNull();
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString(), path).toBe(expected);
    }
    const tiny = await get('/tiny-json', 'br, gzip');
    expect(tiny.headers.get('content-encoding')).toBeNull();
    expect(tiny.headers.get('vary')).toMatch(/accept-encoding/i);
    await expect(tiny.json()).resolves.toEqual({ ok: true });
  });

  it('leaves alone small answers of stated length, the live stream, binary types, no-transform answers and answers already encoded', async () => {
    for (const path of ['/small', '/stream', '/png', '/no-transform']) {
      const res = await get(path, 'br, gzip');
      expect(res.headers.get('content-encoding'), path).toBeNull();
    }
    const already = await get('/already', 'gzip');
    expect(already.headers.get('content-encoding')).toBe('br');
    expect([...new Uint8Array(await already.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});
