// `npm run bench`: runs the benchmarks and prints their figures. `--only NAME` runs one.
import { attributionBench } from './attribution.bench.ts';
import { describeMachine } from './machine.ts';
import { kafkaBench } from './kafka.bench.ts';
import { processorBench } from './processor.bench.ts';

const benches: Record<string, () => Promise<void>> = {
  async attribution() {
    const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
    for (const r of attributionBench()) {
      console.log(`attribution: ${r.label} (${r.runs} seeded runs, ${r.faults} faults, ${r.msPerRun.toFixed(0)} ms per run)`);
      console.log(`  precision ${pct(r.score.precision)}, recall ${pct(r.score.recall)} (${r.score.truePositives} right, ${r.score.falsePositives} wrong culprits, ${r.score.falseNegatives} missed)`);
      const scenarios = Object.entries(r.byScenario).sort(([a], [b]) => a.localeCompare(b));
      console.log(`  per scenario: ${scenarios.map(([name, [right, all]]) => `${name} ${right}/${all}`).join(', ')}`);
    }
  },
  async processor() {
    const r = await processorBench();
    const k = (n: number) => `${Math.round(n / 1000)}k`;
    console.log(`processor (one core, ${r.events.toLocaleString('en-GB')} events, ${(r.bytes / 2 ** 20).toFixed(0)} MiB NDJSON)`);
    console.log(`  bare JSON.parse:                ${k(r.parseRate)} events/s`);
    console.log(`  parse + validate:               ${k(r.decodeRate)} events/s`);
    console.log(`  parse + validate + add:         ${k(r.aggregateRate)} events/s`);
    console.log(`  full (+ windows, rollups, statuses): ${k(r.processorRate)} events/s`);
    console.log(`  ratio (processor ÷ parse):      ${r.ratio.toFixed(2)}`);
    console.log(`  sketch p95 error vs exact:      ${(r.p95RelativeError * 100).toFixed(2)} %`);
    console.log(`  sketch p99 error vs exact:      ${(r.p99RelativeError * 100).toFixed(2)} %`);
  },
  async kafka() {
    const r = await kafkaBench();
    const k = (n: number) => `${Math.round(n / 1000)}k`;
    console.log(`kafka (single local broker, ${r.events.toLocaleString('en-GB')} events, 12 partitions)`);
    console.log(`  produce (acks=all, idempotent, gzip):   ${k(r.produceRate)} events/s`);
    console.log(`  raw kafkajs consume-only:              ${k(r.rawConsumeRate)} events/s`);
    console.log(`  wardwatch processor (consume→store):   ${k(r.processorRate)} events/s`);
    console.log(`  ratio (processor ÷ raw consume):       ${r.ratio.toFixed(2)}`);
    console.log(`  freshness, event time → API (5 s windows, ${r.freshnessSamples} samples): p50 ${(r.freshnessP50Ms / 1000).toFixed(1)} s, p99 ${(r.freshnessP99Ms / 1000).toFixed(1)} s`);
  },
};

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
if (only && !benches[only]) {
  console.error(`unknown bench "${only}"; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.log(`machine: ${describeMachine()}`);
console.log(`date: ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(benches)) {
  if (!only || only === name) await run();
}
