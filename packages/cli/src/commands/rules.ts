// `wardwatch rules`: Prometheus recording and multiwindow burn-rate alerting rules for the SLOs, for
// teams that alert through their own Prometheus over wardwatch's /metrics.
import { writeFileSync } from 'node:fs';
import { DEFAULT_SLOS, generatePrometheusRules, loadSloFile, SloConfigError } from '@wardwatch/slo';
import type { RulesArgs } from '../args.ts';

export function writeRules(args: RulesArgs): number {
  let slos = DEFAULT_SLOS;
  let rules;
  try {
    if (args.sloFile) ({ slos, burnRateRules: rules } = loadSloFile(args.sloFile));
  } catch (error) {
    // The problems as `start` gives them for the same file: one SloConfigError, its message naming the file.
    const message = error instanceof SloConfigError ? error.message : `${args.sloFile}: ${(error as Error).message}`;
    process.stderr.write(`wardwatch rules: ${message}\n`);
    return 2;
  }
  const text = generatePrometheusRules(slos, rules ? { rules } : {});
  if (args.out) {
    writeFileSync(args.out, text);
    process.stderr.write(`wrote ${slos.length} SLOs' rules to ${args.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
