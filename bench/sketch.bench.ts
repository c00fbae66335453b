// Stored sketches: their size in the compact format against the protobuf one rows were written as
// before it, and the speed of writing them (encodeValues: a small cell's values; encodeSketch: a
// cell's or a merged window's sketch) and of reading them back (decodeSketch, sketchBins) — of either
// format. Samples: log-normal response times (10, 100 and 10,000 values a sketch), and the evidence
// bench's pools (a site-hour's logons, checks, Wi-Fi samples and logon phases; a device-hour's).
// Each timing runs over a pool of 256 sketches for at least `ms` milliseconds of this process's CPU
// time (on a shared machine wall time mostly measures the others), five rounds taken in turn with the
// other timings, the best kept.
import { decodeSketch, encodeSketch, encodeValues, newSketch, sketchBins } from '@wardwatch/sketch';
import { mulberry32 } from '@wardwatch/simulator';
// The protobuf writer is the package's internal (the public API writes the compact format only);
// run from a tree before the compact format, encodeSketch itself is the protobuf writer.
import * as internals from '../packages/sketch/src/sketch-encode.ts';

type Sketch = ReturnType<typeof newSketch>;
const encodeProtobuf: (s: Sketch) => Uint8Array = (internals as { encodeSketchProtobuf?: (s: Sketch) => Uint8Array }).encodeSketchProtobuf ?? encodeSketch;

export interface SketchSample {
  name: string;
  /** Values a sketch, on average. */
  values: number;
  /** Mean bytes a sketch: as encodeSketch writes it now, and as the protobuf. */
  bytes: number;
  protobufBytes: number;
  /** Nanoseconds a sketch. */
  encodeValuesNs: number;
  encodeSketchNs: number;
  encodeProtobufNs: number;
  decodeNs: number;
  decodeProtobufNs: number;
  binsNs: number;
  binsProtobufNs: number;
}

const POOL = 256;

export function sketchBench(ms = 300): SketchSample[] {
  const r = mulberry32(2026);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  const draw = (size: () => number, value: () => number) => Array.from({ length: POOL }, () => Array.from({ length: size() }, value));
  const lognormal = (n: number) => draw(() => n, () => 450 * Math.exp(0.6 * normal()));
  const samples: Array<[string, number[][]]> = [
    ['log-normal, 10 values', lognormal(10)],
    ['log-normal, 100 values', lognormal(100)],
    ['log-normal, 10,000 values', lognormal(10_000)],
    // The evidence bench's pools (whole milliseconds, as agents report them).
    ['site-hour logons (5–34)', draw(() => 5 + Math.floor(r() * 30), () => Math.round(22_000 * Math.exp(0.5 * normal())))],
    ['site-hour checks (400)', draw(() => 400, () => Math.round(800 * Math.exp(0.6 * normal())))],
    ['site-hour Wi-Fi (400)', draw(() => 400, () => Math.round(62 + 6 * normal()))],
    ['site-hour logon phase (20)', draw(() => 20, () => Math.round(4_000 * Math.exp(0.8 * normal())))],
    ['device-hour checks (300)', draw(() => 300, () => Math.round(800 * Math.exp(0.6 * normal())))],
    ['device-hour CPU (12)', draw(() => 12, () => Math.min(100, Math.round(25 * Math.exp(0.5 * normal()))))],
  ];
  const out: SketchSample[] = [];
  for (const [name, pool] of samples) {
    const sketches = pool.map((values) => {
      const s = newSketch();
      for (const v of values) s.accept(v);
      return s;
    });
    const stored = sketches.map((s) => encodeSketch(s));
    const protobuf = sketches.map((s) => encodeProtobuf(s));
    const mean = (xs: Uint8Array[]) => xs.reduce((n, b) => n + b.length, 0) / xs.length;
    let sink = 0;
    const timers: Record<string, () => void> = {
      encodeValuesNs: () => pool.forEach((v) => (sink += encodeValues(v).length)),
      encodeSketchNs: () => sketches.forEach((s) => (sink += encodeSketch(s).length)),
      encodeProtobufNs: () => sketches.forEach((s) => (sink += encodeProtobuf(s).length)),
      decodeNs: () => stored.forEach((b) => (sink += decodeSketch(b).count)),
      decodeProtobufNs: () => protobuf.forEach((b) => (sink += decodeSketch(b).count)),
      binsNs: () => stored.forEach((b) => (sink += sketchBins(b).counts.length)),
      binsProtobufNs: () => protobuf.forEach((b) => (sink += sketchBins(b).counts.length)),
    };
    const best: Record<string, number> = {};
    for (const run of Object.values(timers)) run(); // warm-up
    for (let round = 0; round < 5; round++) {
      for (const [key, run] of Object.entries(timers)) {
        let calls = 0;
        const start = process.cpuUsage();
        let used = 0;
        while (used < ms * 1000) {
          run();
          calls++;
          const { user, system } = process.cpuUsage(start);
          used = user + system;
        }
        best[key] = Math.min(best[key] ?? Infinity, (used * 1e3) / (calls * POOL));
      }
    }
    if (sink < 0) console.log(sink);
    out.push({
      name,
      values: pool.reduce((n, v) => n + v.length, 0) / POOL,
      bytes: mean(stored),
      protobufBytes: mean(protobuf),
      ...(best as Omit<SketchSample, 'name' | 'values' | 'bytes' | 'protobufBytes'>),
    });
  }
  return out;
}
