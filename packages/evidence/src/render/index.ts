// Renderers of the evidence pack: HTML (printable), CSV, JSON, and PDF through Chromium.
import type { EvidencePack } from '@wardwatch/schema';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderPdf } from './pdf.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export async function renderPack(pack: EvidencePack, format: ReportFormat, chromium?: string): Promise<Uint8Array | string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(pack, null, 2)}\n`;
    case 'csv':
      return renderCsv(pack);
    case 'html':
      return renderHtml(pack);
    case 'pdf':
      return renderPdf(renderHtml(pack), chromium);
  }
}
