// `wardwatch report`: the evidence pack for a trust (or one site) and month, from the store, as HTML,
// PDF, CSV or JSON; progress on standard error.
import { writeFileSync } from 'node:fs';
import {
  buildEvidencePack,
  ChromiumMissingError,
  EvidenceConfigError,
  loadPackInputs,
  MonthError,
  renderPack,
  UnknownScopeError,
  UnknownTrustError,
  type EstateDirectory,
} from '@wardwatch/evidence';
import { evidenceHours, evidencePoundsRange } from '@wardwatch/schema';
import { openStore } from '@wardwatch/store';
import type { ReportArgs } from '../args.ts';
import { WARDWATCH_VERSION } from '../version.ts';
import { openEvidenceSources } from '../evidence-sources.ts';


/** A bar on a terminal, a line a step otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number, step: string) => void {
  return (done, total, step) => {
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${step}`.padEnd(70));
      if (done === total) stream.write('\n');
    } else {
      stream.write(`report: ${done}/${total} ${step}\n`);
    }
  };
}

export async function runReport(args: ReportArgs, stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    // As the server and the monthly email read them (evidence-sources.ts): one pack, whoever builds it.
    const { config, inventory } = openEvidenceSources({ configFile: args.config, inventoryFile: args.inventory });
    const directory: EstateDirectory = inventory?.() ?? { source: 'store (no inventory given)', sites: [], devices: [], accessPoints: [] };
    store = await openStore(args.storeUrl);
    const inputs = await loadPackInputs(store, { trust: args.trust, site: args.site, month: args.month }, { config, directory, softwareVersion: WARDWATCH_VERSION, now: Date.now(), progress: progressPrinter(stderr) });
    const pack = buildEvidencePack(inputs, config);
    if (args.format === 'pdf') stderr.write('report: printing the PDF with Chromium\n');
    const body = await renderPack(pack, args.format);
    if (args.out) {
      writeFileSync(args.out, body);
      const t = pack.summary.timeLost;
      stderr.write(`report: wrote ${args.out} (${args.format}): ${evidenceHours(t.hours)} staff hours lost, ${evidencePoundsRange(t.cost)} at ${pack.priceYear} prices\n`);
    } else {
      process.stdout.write(body);
    }
    return 0;
  } catch (error) {
    if (error instanceof EvidenceConfigError || error instanceof MonthError || error instanceof UnknownScopeError || error instanceof UnknownTrustError || error instanceof ChromiumMissingError) {
      stderr.write(`wardwatch report: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await store?.close();
  }
}
