// The pack as PDF: its HTML page printed by headless Chromium (playwright-core drives Debian's
// chromium; nothing is downloaded).
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
  readonly code = 'CHROMIUM_MISSING';
  readonly retriable = false;
}

/** Where Chromium is: WARDWATCH_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env.WARDWATCH_CHROMIUM || DEFAULT_CHROMIUM;
}

export async function renderPdf(html: string, executablePath = chromiumPath()): Promise<Uint8Array> {
  if (!existsSync(executablePath)) {
    throw new ChromiumMissingError(
      `PDF needs Chromium, not found at ${executablePath}: install the Debian package "chromium" (apt-get install chromium) or set WARDWATCH_CHROMIUM to its path; HTML, CSV and JSON need nothing`,
    );
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    // The page is self-contained: nothing may load from anywhere.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
