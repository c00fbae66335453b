// Child process for the kill -9 test: appends numbered records as fast as it can, in batches of
// random size with a few appends in flight, and prints "durable N" after each append resolves, N
// being the highest record number known to be on disk. The parent kills it at random moments.
// Usage: spool-writer.ts <dir> <first number> <seed>
import { Spool } from '../spool.ts';
import { xorshift32 } from './random.ts';

const [dir, firstArg, seedArg] = process.argv.slice(2);
let next = Number(firstArg);
// reproducible from the seed the parent logs
const random = xorshift32(Number(seedArg));

const spool = await Spool.open(dir!, { segmentBytes: 64 * 1024, maxBytes: 1 << 30 });
process.stdout.write(`ready ${next}\n`);
const inFlight = new Set<Promise<void>>();
for (;;) {
  const size = 1 + Math.floor(random() * 40);
  const records: string[] = [];
  for (let i = 0; i < size; i++) {
    // Records of very different sizes, some spanning several pages, so that writes can tear.
    records.push(`${next + i}:${'x'.repeat(Math.floor(random() * random() * 6000))}`);
  }
  const last = next + size - 1;
  next += size;
  const append = spool.append(records).then(() => {
    process.stdout.write(`durable ${last}\n`);
  });
  inFlight.add(append);
  void append.finally(() => inFlight.delete(append));
  if (inFlight.size >= 3) await Promise.race(inFlight);
}
