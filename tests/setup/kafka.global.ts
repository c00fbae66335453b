// vitest global setup: a real Kafka broker for the Kafka tests, started through the project's own
// script (deploy/kafka/kafka.sh). A broker that cannot start fails the run: it is never skipped.
import { execFileSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;
const script = `${root}deploy/kafka/kafka.sh`;
const port = process.env.KAFKA_PORT ?? '19092';

function isRunning(): boolean {
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export default function setup(): () => void {
  const brokers = process.env.WARDWATCH_TEST_KAFKA_BROKERS;
  if (brokers) return () => {}; // a broker of the caller's choosing
  const alreadyRunning = isRunning();
  if (!alreadyRunning) {
    try {
      execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 240_000 });
    } catch (error) {
      throw new Error(
        `the Kafka tests need a broker and ${script} could not start one (it needs Java 17 and Maven; see deploy/kafka/README.md): ${(error as Error).message}`,
      );
    }
  }
  process.env.WARDWATCH_TEST_KAFKA_BROKERS = `127.0.0.1:${port}`;
  return () => {
    if (!alreadyRunning) execFileSync('bash', [script, 'stop'], { stdio: 'ignore' });
  };
}
