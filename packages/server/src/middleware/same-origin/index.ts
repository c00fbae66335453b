// Cross-site request forgery defence for every state-changing request (POST, PUT, PATCH, DELETE):
//
// 1. A browser's cross-origin request is refused. Browsers mark every POST with Origin and every
//    request with Sec-Fetch-Site; either one naming another origin (Sec-Fetch-Site cross-site or
//    same-site) is refused with 403. A request with neither comes from no browser (curl, a script,
//    the device agent), which a page cannot forge, and passes on to authentication.
// 2. A request with a body must say Content-Type: application/json (415 otherwise). A page can send
//    text/plain, form-encoded and multipart bodies to any origin without a CORS preflight; JSON it
//    cannot, so this closes the gap left by old browsers that send neither header.
//
// Device paths (POST /api/ingest) keep 1 but not 2: the agent and other senders post NDJSON, and
// they are not browsers. A browser on another origin posting there still carries Origin and is
// refused; a bearer device token (which no page can attach cross-origin without a preflight this
// server never grants) is what admits a device.
import type { MiddlewareHandler } from 'hono';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SameOriginOptions {
  /** Path prefixes whose bodies need not be JSON (device ingest). */
  devicePaths?: readonly string[];
  /** Origins accepted besides the request's own, e.g. the https public URL in front of a proxy. */
  origins?: readonly string[];
}

export function sameOriginWrites(options: SameOriginOptions = {}): MiddlewareHandler {
  const devicePaths = options.devicePaths ?? [];
  const extraOrigins = new Set((options.origins ?? []).map((o) => new URL(o).origin));
  return async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method)) return next();
    const own = new URL(c.req.url);
    const origin = c.req.header('origin');
    if (origin !== undefined && !sameOrigin(origin, own, extraOrigins)) {
      return c.json({ error: `cross-origin ${c.req.method} refused: a request from ${origin} may not change anything here` }, 403);
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return c.json({ error: `cross-origin ${c.req.method} refused (Sec-Fetch-Site: ${site})` }, 403);
    }
    const device = devicePaths.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`));
    if (!device && hasBody(c.req.raw) && !isJson(c.req.header('content-type'))) {
      return c.json({ error: `${c.req.method} ${c.req.path} takes a JSON body: send Content-Type: application/json` }, 415);
    }
    return next();
  };
}

function sameOrigin(origin: string, own: URL, extra: ReadonlySet<string>): boolean {
  // "null" (sandboxed frames, some redirects) is never this server.
  if (origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  // Behind a TLS-terminating proxy the request arrives as http: the host must match either way.
  return parsed.host === own.host || extra.has(parsed.origin);
}

/** Over HTTP/1.1 a body comes with a length or chunked; a typed body counts even when empty. */
function hasBody(request: Request): boolean {
  const headers = request.headers;
  return headers.has('content-type') || headers.has('transfer-encoding') || Number(headers.get('content-length') ?? 0) > 0;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}
