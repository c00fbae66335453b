// Child process for the forwarder kill -9 test: runs the real forwarder over the spool in <dir>
// against the ingest URL, printing "ready" once the spool is open and "backlog N" as it drains.
// Usage: forwarder-child.ts <dir> <url> <batch size>
import { Spool } from '../../spool/spool.ts';
import { Forwarder } from '../forwarder.ts';
import { HttpSender } from '../http-sender.ts';

const [dir, url, batchArg] = process.argv.slice(2);
const spool = await Spool.open(dir!);
const sender = new HttpSender({ url: url!, token: 'device-token-kill', timeoutMs: 10_000 });
const forwarder = new Forwarder({ spool, sender, flushIntervalMs: 50, maxBatchRecords: Number(batchArg), backoffBaseMs: 20, backoffCapMs: 200, log: () => {} });
process.stdout.write('ready\n');
forwarder.start();
setInterval(() => process.stdout.write(`backlog ${forwarder.stats().backlog}\n`), 25);
