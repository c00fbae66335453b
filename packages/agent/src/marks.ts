// Clinical application logons that no OS log sees (the EPR's smartcard or password step), timed by
// marks that login scripts set: "epr-login start" … "epr-login end". Pure bookkeeping; the loopback
// HTTP API and the CLI are in mark-server.ts and main.ts.

export type MarkPhase = 'start' | 'end';

export interface MarkResult {
  name: string;
  startedAt: number;
  durationMs: number;
  user?: string;
}

export interface ExpiredMark {
  name: string;
  startedAt: number;
  reason: string;
}

export class MarkError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export class MarkBook {
  private readonly open = new Map<string, { startedAt: number; user?: string }>();
  readonly expired: ExpiredMark[] = [];

  constructor(private readonly expireAfterMs: number) {}

  /** A start while one is open restarts it (the user gave up and tried again); the first is expired. */
  start(name: string, at: number, user?: string): void {
    if (!NAME.test(name)) throw new MarkError(`mark name must be 1–64 letters, digits, ".", "_" or "-"; got ${JSON.stringify(name)}`, 400);
    const previous = this.open.get(name);
    if (previous) this.expired.push({ name, startedAt: previous.startedAt, reason: 'started again before it ended' });
    this.open.set(name, { startedAt: at, ...(user ? { user } : {}) });
  }

  end(name: string, at: number): MarkResult {
    const open = this.open.get(name);
    if (!open) throw new MarkError(`no open mark "${name}": send "start" first`, 409);
    if (at < open.startedAt) throw new MarkError(`mark "${name}" ends before it started`, 400);
    this.open.delete(name);
    return { name, startedAt: open.startedAt, durationMs: at - open.startedAt, ...(open.user ? { user: open.user } : {}) };
  }

  /** Marks open longer than the expiry are dropped, each with a reason; returns those just expired. */
  expire(now: number): ExpiredMark[] {
    const found: ExpiredMark[] = [];
    for (const [name, open] of this.open) {
      if (now - open.startedAt >= this.expireAfterMs) {
        this.open.delete(name);
        found.push({ name, startedAt: open.startedAt, reason: `no "end" within ${Math.round(this.expireAfterMs / 1000)} s` });
      }
    }
    this.expired.push(...found);
    if (this.expired.length > 100) this.expired.splice(0, this.expired.length - 100);
    return found;
  }

  openMarks(): string[] {
    return [...this.open.keys()];
  }
}
