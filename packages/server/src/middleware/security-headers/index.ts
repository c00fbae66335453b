// Security headers on every answer, the dashboard's and the API's: a Content-Security-Policy that
// allows scripts, styles, images and connections from this origin only (no inline script, no eval),
// framing by nobody, no MIME sniffing, no referrer, and HSTS only when the server is reached over
// HTTPS (HSTS sent over plain HTTP is ignored by browsers, and on a loopback demo it would only pin
// a name to HTTPS that has none).
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeadersOptions {
  /**
   * The server is reached over HTTPS: its own TLS or a reverse proxy declared with an https public
   * URL. Adds Strict-Transport-Security.
   */
  https?: boolean;
  /** HSTS max-age, seconds (default one year). */
  hstsMaxAgeSeconds?: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Hashes ('sha256-…') of the inline styles of the page answered, allowed by style-src for it alone. */
    styleHashes: string;
  }
}

/**
 * The dashboard is one module script (app.js) and the page's one inline <style>, allowed by its hash
 * (the dashboard's page sets `styleHashes`: server/src/dashboard-page.ts); Lit's component styles
 * are constructed stylesheets (adoptedStyleSheets), which style-src does not govern, and every
 * run-time style is set through the CSSOM (element.style, as uPlot does; not Lit's styleMap, which
 * writes a style attribute on first render), which CSP allows. So neither 'unsafe-inline' nor a nonce
 * is needed; tests/security-csp.browser.test.ts proves it in Chromium.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const secure = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: options.https ? `max-age=${options.hstsMaxAgeSeconds ?? 31_536_000}; includeSubDomains` : false,
    // The dashboard opens no cross-origin windows, and the sign-in is a full-page navigation.
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async (c, next) => {
    await secure(c, next);
    // The page's own inline styles, by hash, for this answer only (set by the handler, known after it ran).
    const hashes = c.get('styleHashes');
    const csp = c.res.headers.get('content-security-policy');
    if (hashes && csp) c.res.headers.set('content-security-policy', csp.replace("style-src 'self'", `style-src 'self' ${hashes}`));
  };
}
