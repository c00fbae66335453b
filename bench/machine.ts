// What the figures were measured on. The clock speed is printed beside the model: virtual machines
// under one model name ("AMD EPYC") ran Chromium 3–4× apart, and the name alone hid it. Node's
// `cpus()[].speed` is 0 on these machines, so Linux's /proc/cpuinfo is read for it.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const mhz = clockMhz();
  const clock = mhz ? ` at ${mhz} MHz` : '';
  return `${cpus().length} × ${cpu}${clock}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function clockMhz(): number | undefined {
  const fromNode = cpus()[0]?.speed;
  if (fromNode) return fromNode;
  try {
    const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match ? Math.round(Number(match[1])) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How fast this machine is today, in one figure every bench prints: the processor bench's reference
 * loop (a bare `JSON.parse` of each line) over `lines`, best of three after a warm-up, in lines a
 * second. A machine of one model and clock ran the same loop at 0.55–1.0 × itself within an hour
 * (2026-12-05: 453–464k at 08:58–09:06, 794–830k from 09:20), so a figure in absolute terms — the
 * idle demo's share of a core — is read beside this one.
 */
export function referenceParseRate(lines: readonly string[]): number {
  const run = () => {
    const t0 = performance.now();
    let n = 0;
    for (const line of lines) if (JSON.parse(line)) n++;
    return n / ((performance.now() - t0) / 1000);
  };
  run();
  return Math.max(run(), run(), run());
}
