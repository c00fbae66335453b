// GET /api/reports/:trust/:month — the evidence pack for a trust and month (?site=ID for one site), as
// JSON, CSV, HTML or PDF by the month's extension ("2026-10.pdf") or the Accept header.
import { Hono } from 'hono';
import {
  buildEvidencePack,
  ChromiumMissingError,
  CONTENT_TYPES,
  DEFAULT_EVIDENCE_CONFIG,
  loadPackInputs,
  MonthError,
  renderPack,
  REPORT_FORMATS,
  UnknownScopeError,
  UnknownTrustError,
  type EstateDirectory,
  type EvidenceConfig,
  type HistoryCache,
  type ReportFormat,
} from '@wardwatch/evidence';
import { inlineStyleHashes } from '../middleware/security-headers/inline-hashes.ts';
import type { StatusThresholds } from '@wardwatch/status-rules';
import type { RollupStore } from '@wardwatch/store';
import type { SloEvaluator } from '../slo-evaluator.ts';
import type { StatusBoard } from '../status-board.ts';

export interface ReportRoutesOptions {
  store: RollupStore;
  board: StatusBoard;
  /**
   * Incidents come from the store's alert history (every alert recorded as it fired and resolved);
   * a store without one falls back on this evaluator's alert book (memory since the server started).
   */
  slos?: SloEvaluator;
  config?: EvidenceConfig;
  /** The processor's status thresholds, which the pack's method names (default: the processor's defaults). */
  thresholds?: StatusThresholds;
  /** Where sites, devices and access points belong; default: what the live status board has seen. */
  directory?: () => EstateDirectory;
  version?: string;
  now?: () => number;
  /**
   * False while earlier months are still being written (the demo's history, an import): their merged
   * months are then read afresh each time instead of being cached half-written. Default: settled.
   */
  historySettled?: () => boolean;
}

const ACCEPT: Array<[RegExp, ReportFormat]> = [
  [/application\/pdf/, 'pdf'],
  [/text\/csv/, 'csv'],
  [/text\/html/, 'html'],
  [/application\/json/, 'json'],
];

/** The format a request asks for: the month's extension, else the first Accept type known, else JSON. */
export function requestedFormat(month: string, accept: string | undefined): { month: string; format: ReportFormat } | { error: string } {
  const dot = month.lastIndexOf('.');
  if (dot >= 0) {
    const ext = month.slice(dot + 1).toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(ext)) return { error: `unknown report format ".${ext}": use .json, .csv, .html or .pdf (or an Accept header)` };
    return { month: month.slice(0, dot), format: ext as ReportFormat };
  }
  for (const [pattern, format] of ACCEPT) if (accept && pattern.test(accept)) return { month, format };
  return { month, format: 'json' };
}

/** Sites, devices and access points as the live status board knows them. */
export function directoryFromBoard(board: StatusBoard): EstateDirectory {
  const devicesOnAp = new Map<string, number>();
  const devices = board.list('device').map((d) => {
    if (d.ap) devicesOnAp.set(d.ap, (devicesOnAp.get(d.ap) ?? 0) + 1);
    return { id: d.id, site: d.site ?? '', ...(d.ward ? { ward: d.ward } : {}) };
  });
  return {
    source: 'live status board (devices seen since the server started)',
    sites: board.sites().map((s) => ({ id: s.id, trust: s.trust, name: s.name })),
    devices: devices.filter((d) => d.site !== ''),
    accessPoints: board.list('ap').flatMap((a) => (a.site ? [{ id: a.id, site: a.site, ...(a.ward ? { ward: a.ward } : {}), devices: devicesOnAp.get(a.id) ?? 0 }] : [])),
  };
}

export function reportRoutes(options: ReportRoutesOptions): Hono {
  const app = new Hono();
  const config = options.config ?? DEFAULT_EVIDENCE_CONFIG;
  const now = options.now ?? Date.now;
  // Earlier months merged once final (a few records per site and month): the next pack skips them.
  const historyCache: HistoryCache = new Map();

  app.get('/reports/:trust/:month', async (c) => {
    const trust = c.req.param('trust');
    // Signed in: only the trusts the caller's claims name (the local administrator has every trust);
    // another trust's pack answers as one that does not exist (the trust gate does so first).
    const trusts = (c.get('principal') as { trusts?: readonly string[] } | undefined)?.trusts;
    if (trusts && !trusts.includes('*') && !trusts.includes(trust)) return c.json({ error: `no trust "${trust}"` }, 404);
    const asked = requestedFormat(c.req.param('month'), c.req.header('accept'));
    if ('error' in asked) return c.json({ error: asked.error }, 400);
    const site = c.req.query('site') || undefined;
    // A store without an alert history: the alerts the evaluator's book holds (memory since the start).
    const alerts = 'alertHistory' in options.store || !options.slos ? null : [...options.slos.book.firing(), ...options.slos.book.resolved()];
    try {
      const directory = (options.directory ?? (() => directoryFromBoard(options.board)))();
      const inputs = await loadPackInputs(options.store, { trust, site, month: asked.month }, {
        config,
        directory,
        softwareVersion: options.version ?? '0.1.0',
        now: now(),
        ...(options.historySettled?.() === false ? {} : { historyCache }),
        ...(alerts
          ? { alerts, incidentsNote: 'Alerts from the server\'s alert book: kept in memory since the server last started (the store keeps no alert history), so earlier incidents are missing.' }
          : {}),
      });
      const pack = buildEvidencePack(inputs, config, options.thresholds);
      const body = await renderPack(pack, asked.format);
      // The printable page carries its styles inline (it is self-contained, to be saved or mailed):
      // allowed by their hashes, or the browser draws it unstyled under the policy's style-src 'self'.
      if (asked.format === 'html') c.set('styleHashes', inlineStyleHashes(String(body)));
      const name = `wardwatch-${trust}${site ? `-${site}` : ''}-${asked.month}.${asked.format}`;
      return c.body(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>), 200, {
        'content-type': CONTENT_TYPES[asked.format],
        ...(asked.format === 'pdf' || asked.format === 'csv' ? { 'content-disposition': `attachment; filename="${name}"` } : {}),
      });
    } catch (error) {
      if (error instanceof MonthError || error instanceof UnknownScopeError) return c.json({ error: error.message }, 400);
      if (error instanceof UnknownTrustError) return c.json({ error: error.message }, 404);
      if (error instanceof ChromiumMissingError) return c.json({ error: error.message }, 503);
      throw error;
    }
  });

  return app;
}
