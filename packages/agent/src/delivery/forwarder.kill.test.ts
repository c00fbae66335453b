// kill -9 of the agent while it delivers: a child runs the real forwarder against a local HTTP
// receiver and is killed with SIGKILL mid-delivery, several times; restarted, it resumes from the
// spool. The contract checked here:
//   - every spooled record arrives at the receiver (unique ids received == all records);
//   - a record can arrive twice only if it belonged to the one batch in flight at a kill — the last
//     request the receiver got from the killed process (held unanswered, or answered but not yet
//     acknowledged in the spool) — so repeats per kill are at most one batch;
//   - a repeat carries the same event id, seq and ts as the first copy (only `buffered` may differ),
//     which is what the processor's (device, seq) de-duplication relies on.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Spool } from '../spool/spool.ts';
import { netEvent } from './testdata/events.ts';
import { Receiver, reply } from './testdata/receiver.ts';

const TSX_LOADER = new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./testdata/forwarder-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ww-fwd-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = 1000;
const BATCH = 25;
const T0 = Date.UTC(2025, 5, 3, 7, 0, 0);

type Received = Record<string, unknown>;

it('kill -9 mid-delivery: after restarts every record arrives; repeats only from the batch in flight at each kill', { timeout: 60_000 }, async () => {
  const spool = await Spool.open(dir);
  await spool.append(Array.from({ length: RECORDS }, (_, i) => JSON.stringify(netEvent(i, T0 + i * 1000))));
  await spool.close();

  const receiver = new Receiver();
  await receiver.start();
  const all: Received[] = []; // every copy the receiver took in, in arrival order
  let child: ChildProcess | undefined;
  let requestsThisRun = 0;
  let holdAt = 0; // kill the child when its holdAt-th request arrives (0: never)
  let lastRequestThisRun: Received[] = [];
  receiver.respond = async (request, res) => {
    requestsThisRun++;
    expect(request.authorization).toBe('Bearer device-token-kill');
    // The receiver has the batch as soon as it arrives, like a server that accepted it before the
    // answer got lost.
    all.push(...request.events);
    lastRequestThisRun = request.events;
    if (requestsThisRun === holdAt && child) {
      child.kill('SIGKILL');
      res.destroy();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20)); // keeps a batch in flight a while
    reply(res, 202, { accepted: request.events.length, rejected: 0, rejections: [] });
  };

  async function run(kill: { atRequest: number } | { afterMs: number } | 'drain'): Promise<Received[]> {
    requestsThisRun = 0;
    lastRequestThisRun = [];
    holdAt = typeof kill === 'object' && 'atRequest' in kill ? kill.atRequest : 0;
    const proc = spawn(process.execPath, ['--import', TSX_LOADER, CHILD, dir, receiver.url, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<string | number | null>((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
    for await (const line of createInterface({ input: proc.stdout! })) {
      if (line === 'ready' && typeof kill === 'object' && 'afterMs' in kill) setTimeout(() => proc.kill('SIGKILL'), kill.afterMs);
      // Drained (or, should a kill round outlast the backlog, nothing left to kill mid-delivery): end it.
      if (line === 'backlog 0' && new Set(all.map((e) => e.id)).size === RECORDS) proc.kill('SIGKILL');
    }
    const how = await exited;
    expect(how, stderr).toBe('SIGKILL');
    child = undefined;
    return lastRequestThisRun;
  }

  // Candidates for repeats: the last batch the receiver got from each killed process.
  const inFlightAtKill: Received[][] = [];
  inFlightAtKill.push(await run({ atRequest: 3 }));
  inFlightAtKill.push(await run({ afterMs: 150 }));
  inFlightAtKill.push(await run({ atRequest: 2 }));
  inFlightAtKill.push(await run({ afterMs: 250 }));
  inFlightAtKill.push(await run({ atRequest: 4 }));
  await run('drain');
  await receiver.stop();

  // Every record arrived.
  const firstCopy = new Map<unknown, Received>();
  const repeats: Received[] = [];
  for (const event of all) {
    if (firstCopy.has(event.id)) repeats.push(event);
    else firstCopy.set(event.id, event);
  }
  expect(firstCopy.size).toBe(RECORDS);
  expect([...firstCopy.values()].map((e) => e.seq).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: RECORDS }, (_, i) => i));

  // Repeats: same id, seq and ts as the first copy; only from a batch in flight at a kill; at most
  // one batch per kill.
  const kills = inFlightAtKill.length;
  const allowed = new Map<unknown, number>();
  for (const batch of inFlightAtKill) for (const e of batch) allowed.set(e.id, (allowed.get(e.id) ?? 0) + 1);
  const repeatCount = new Map<unknown, number>();
  for (const repeat of repeats) {
    const first = firstCopy.get(repeat.id)!;
    expect([repeat.seq, repeat.ts, repeat.device]).toEqual([first.seq, first.ts, first.device]);
    repeatCount.set(repeat.id, (repeatCount.get(repeat.id) ?? 0) + 1);
  }
  for (const [id, count] of repeatCount) expect(count, `repeats of ${String(id)}`).toBeLessThanOrEqual(allowed.get(id) ?? 0);
  expect(repeats.length).toBeLessThanOrEqual(kills * BATCH);
  expect(inFlightAtKill.filter((b) => b.length > 0).length).toBeGreaterThanOrEqual(3); // the held-request kills were mid-delivery

  // The spool agrees: everything acknowledged.
  const reopened = await Spool.open(dir);
  expect(reopened.stats()).toMatchObject({ pendingRecords: 0, droppedRecords: 0 });
  await reopened.close();
  console.log(`forwarder kill -9: ${kills} kills, ${all.length} copies received for ${RECORDS} records, ${repeats.length} repeats`);
});
