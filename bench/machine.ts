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
