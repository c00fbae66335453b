// The Content-Security-Policy sources of a page's own inline styles and scripts, by hash: a handler
// that answers with such a page sets them (c.set('styleHashes' | 'scriptHashes')) and the security
// headers allow exactly those, for that answer (index.ts). The dashboard's page and the printable
// evidence pack use them.
import { createHash } from 'node:crypto';

/** The CSP sources ('sha256-…', space-separated) of a page's inline <style> elements, as browsers hash their text. */
export function inlineStyleHashes(page: string): string {
  return [...page.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`).join(' ');
}

/**
 * The same for a page's inline classic scripts (`<script>` with no attribute: the first frame's
 * deep-link check). The frame's data block (type application/json) is never run and needs none.
 */
export function inlineScriptHashes(page: string): string {
  return [...page.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`).join(' ');
}
