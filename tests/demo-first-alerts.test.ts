// A first start's alerts at real time: the demo's fault burns through the backfill's hour, and the
// first SLO evaluation (before the server answers) is made with the history's newest days in the
// store, as far back as the longest alert window. Made on the backfill alone, every long window read
// that hour as the whole window: tickets fired on the first page ("burning 14.4× over 1d", where the
// history made it 0.86×), were held and resolved ten minutes later — alerts made by the order the
// demo wrote its data in. Without a history, the same hour does fire them: it is all the data there is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '@wardwatch/cli';

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-first-alerts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Alert { slo: string; scope: string; severity: 'page' | 'ticket'; startsAt: number }
interface Card { slo: string; scope: string; at: number; budgetCoverage: number; windowMs: number }

/** The alerts and SLO cards as the server first answers: a first start of a three-site demo with its fault. */
async function firstAnswer(historyMonths: number) {
  const pipeline = await startEmbedded({
    port: 0,
    host: '127.0.0.1',
    storeUrl: `sqlite:${join(scratch, `history-${historyMonths}.db`)}`,
    log: pino({ level: 'silent' }),
    demo: true,
    seed: 1,
    speed: 1,
    sites: 3,
    backfillMs: 3_600_000,
    historyMonths,
    scenario: 'site-wan-congested',
    // No evaluation but the start's (and the history's, once it is in): the first page's alerts are the start's.
    sloIntervalMs: 3_600_000,
    dashboard: false,
  });
  try {
    const alerts = (await (await fetch(`${pipeline.url}/api/alerts`)).json()) as { firing: Alert[] };
    const cards = (await (await fetch(`${pipeline.url}/api/slos`)).json()) as Card[];
    return { firing: alerts.firing, cards };
  } finally {
    await pipeline.stop();
  }
}

describe('a first start\'s alerts', { timeout: 180_000 }, () => {
  it('are judged with the history\'s newest days: the fault\'s hour pages, and fires no ticket the hour alone would', async () => {
    const alone = await firstAnswer(0);
    const withHistory = await firstAnswer(1);
    const kinds = (firing: Alert[]) => firing.map((a) => `${a.severity} ${a.slo} ${a.scope}`).sort();
    // The hour alone: the fault's site pages, and its long windows, holding only that hour, raise tickets.
    expect(kinds(alone.firing).filter((k) => k.startsWith('page'))).not.toEqual([]);
    expect(kinds(alone.firing).filter((k) => k.startsWith('ticket'))).not.toEqual([]);
    // With the history: the same pages, no ticket.
    expect(kinds(withHistory.firing)).toEqual(kinds(alone.firing).filter((k) => k.startsWith('page')));
    // Every card's budget counts at least the three days the longest alert window reads.
    for (const card of withHistory.cards) expect(card.budgetCoverage * card.windowMs, `${card.slo} ${card.scope}`).toBeGreaterThanOrEqual(3 * 86_400_000);
  });
});
