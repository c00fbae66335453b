import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './index.ts';

function app(options?: Parameters<typeof securityHeaders>[0]) {
  const a = new Hono();
  a.use(securityHeaders(options));
  a.get('/page', (c) => c.html('<p>hi</p>'));
  a.get('/api/x', (c) => c.json({ ok: true }));
  return a;
}

describe('securityHeaders', () => {
  it.each(['/page', '/api/x'])('sets a strict CSP and the framing, sniffing and referrer headers on %s', async (path) => {
    const res = await app().request(path);
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('sends HSTS only when the server is reached over HTTPS', async () => {
    expect((await app().request('/page')).headers.get('strict-transport-security')).toBeNull();
    expect((await app({ https: false }).request('/page')).headers.get('strict-transport-security')).toBeNull();
    expect((await app({ https: true }).request('/page')).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('allows a page’s own inline styles and scripts by the hashes its handler set, on that answer alone', async () => {
    const a = new Hono();
    a.use(securityHeaders());
    a.get('/both', (c) => (c.set('styleHashes', "'sha256-style'"), c.set('scriptHashes', "'sha256-script'"), c.html('<p>hi</p>')));
    a.get('/styles', (c) => (c.set('styleHashes', "'sha256-style'"), c.html('<p>hi</p>')));
    a.get('/none', (c) => c.html('<p>hi</p>'));
    const csp = async (path: string) => (await a.request(path)).headers.get('content-security-policy')!;
    expect(await csp('/both')).toContain("script-src 'self' 'sha256-script'; style-src 'self' 'sha256-style';");
    expect(await csp('/styles')).toContain("script-src 'self'; style-src 'self' 'sha256-style';");
    expect(await csp('/none')).toContain("script-src 'self'; style-src 'self';");
  });
});
