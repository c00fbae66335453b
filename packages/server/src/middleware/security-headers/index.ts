// Security headers on every answer, the dashboard's and the API's: a Content-Security-Policy that
// allows scripts, styles, images and connections from this origin only (no inline script or style
// but the dashboard page's own, by hash; no eval), framing by nobody, no MIME sniffing, no referrer,
// and HSTS only when the server is reached over HTTPS (HSTS sent over plain HTTP is ignored by
// browsers, and on a loopback demo it would only pin a name to HTTPS that has none).
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
    /** Hashes ('sha256-…') of the inline scripts of the page answered, allowed by script-src for it alone. */
    scriptHashes: string;
  }
}

/**
 * The dashboard is one module script (app.js), the page's one inline <style> and, with the server's
 * first frame, one line of inline script in its head (a deep link's check), each allowed by its hash
 * (the dashboard's page sets `styleHashes` and `scriptHashes`: server/src/dashboard-page.ts); Lit's component styles
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
    // The page's own inline styles and scripts, by hash, for this answer only (set by the handler,
    // known after it ran).
    const styles = c.get('styleHashes');
    const scripts = c.get('scriptHashes');
    let csp = c.res.headers.get('content-security-policy');
    if (!csp || (!styles && !scripts)) return;
    if (styles) csp = csp.replace("style-src 'self'", `style-src 'self' ${styles}`);
    if (scripts) csp = csp.replace("script-src 'self'", `script-src 'self' ${scripts}`);
    c.res.headers.set('content-security-policy', csp);
  };
}
