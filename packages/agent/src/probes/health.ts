// Device health: CPU and memory pressure, disk free, uptime. CPU use is the share of non-idle time
// across all cores between two samples, as Task Manager and top report it.
import { cpus, freemem, totalmem, uptime } from 'node:os';
import { statfs } from 'node:fs/promises';
import type { HealthEvent } from '@wardwatch/schema';

interface CpuTimes {
  idle: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

const clampPct = (n: number) => Math.min(100, Math.max(0, Math.round(n * 10) / 10));

export class HealthProbe {
  private previous = cpuTimes();

  constructor(private readonly diskPath = process.platform === 'win32' ? 'C:\\' : '/') {}

  async sample(): Promise<HealthEvent['body']> {
    const now = cpuTimes();
    const total = now.total - this.previous.total;
    const busy = total - (now.idle - this.previous.idle);
    this.previous = now;
    let diskFreePct = 100;
    try {
      const fs = await statfs(this.diskPath);
      diskFreePct = fs.blocks > 0 ? (fs.bavail / fs.blocks) * 100 : 100;
    } catch {
      // no statfs for this path: report the disk as unknown-but-fine rather than invent pressure
    }
    return {
      cpuPct: clampPct(total > 0 ? (busy / total) * 100 : 0),
      memPct: clampPct((1 - freemem() / totalmem()) * 100),
      diskFreePct: clampPct(diskFreePct),
      uptimeS: Math.round(uptime()),
    };
  }
}
