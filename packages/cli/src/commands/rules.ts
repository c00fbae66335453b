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
    const problems = error instanceof SloConfigError ? error.problems.join('\n  ') : (error as Error).message;
    process.stderr.write(`wardwatch: ${args.sloFile} is not a valid SLO file:\n  ${problems}\n`);
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
