// The embedded pipeline's processor (started by processor-thread.ts): the in-process bus, the
// processor runtime and the store's writer. It speaks to the thread that started it only through the
// messages processor-thread.ts defines, over a port: a worker's parentPort (processor-worker.ts), or
// one in the same thread (a small estate's processor, processor-thread.ts says when).
import { decodeStatusRecord, type LiveEdge, type ScopeStatus } from '@wardwatch/schema';
import { InProcessBus } from '@wardwatch/transport';
import { ProcessorRuntime } from '@wardwatch/processor';
import { DEFAULT_RETENTION_MS, openStore } from '@wardwatch/store';
import { DEVICE_HOURS_KEPT_MS, foldDeviceHours, foldSiteDays } from '@wardwatch/evidence';
import { topicSpecs } from './wiring.ts';
import { relaySpans } from './span-relay.ts';
import { WorkerOutbox } from './worker-outbox.ts';
import type { ClockAnchor, FromWorker, ProcessorWorkerSetup, ToWorker } from './processor-thread.ts';

/** The processor's side of the messages: what a worker's parentPort offers. */
export interface ProcessorPort {
  postMessage(message: FromWorker): void;
  on(event: 'message', listener: (message: ToWorker) => void): unknown;
}

/** Runs the processor until told to stop; `setup` is what a worker is started with (workerData). */
export function runProcessor(setup: ProcessorWorkerSetup, port: ProcessorPort): void {
  /** Statuses, batch counts and lag go gathered (worker-outbox.ts); any other message after what was gathered before it. */
  const outbox = new WorkerOutbox((message) => port.postMessage(message));
  const post = (message: FromWorker) => outbox.post(message);
  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const PROCESSOR_GROUP = 'wardwatch-processor';
  const STATUS_READER_GROUP = 'wardwatch-status-reader';

  let anchor: ClockAnchor | undefined;
  /** Starts the hourly housekeeping (once the clock is known; see run). */
  let startHousekeeping = () => {};
  /** The main thread's clock: the wall clock until it sends the simulated one (demo mode). */
  const clock = () => (anchor ? anchor.simulated + (Date.now() - anchor.wall) * anchor.speed : Date.now());

  async function run(): Promise<void> {
    const { topics } = setup;
    if (setup.tracing) await relaySpans(post);
    // Dead letters are kept for reading, not forever: a byte budget, oldest dropped first (counted).
    const bus = new InProcessBus({ clock, retainBytes: { [topics.deadLetter]: setup.deadLetterRetainBytes } });
    await bus.ensureTopics(topicSpecs(topics, setup.partitions));
    const store = await openStore(setup.storeUrl);
    const producer = bus.producer();
    const reportDeadLetters = () => post({ type: 'dead-letters', ...bus.retention(topics.deadLetter) });

    const runtime = new ProcessorRuntime({
      transport: bus,
      store,
      topics,
      groupId: PROCESSOR_GROUP,
      clock,
      config: setup.processor,
      resumeFromCheckpoint: false,
      ...(setup.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: setup.checkpointIntervalMs }),
      observer: {
        batch(counts) {
          outbox.addBatch(counts);
          if (counts.tooLate > 0 || Object.keys(counts.rejected).length > 0) reportDeadLetters();
        },
        lag: (topic, partition, records) => outbox.setLag(topic, partition, records),
        error: (error, context) => post({ type: 'error', message: messageOf(error), context }),
      },
      // What the prune timer below keeps: late corrections for windows it has removed are not written.
      retentionMs: DEFAULT_RETENTION_MS,
      telemetryPartitions: setup.partitions,
      // A stepped clock stands still between steps: wall time says nothing of how long a partition has
      // been quiet, and `settle` (each step's end) brings partitions up to the clock instead.
      ...(setup.steppedClock ? { idleAdvanceMs: Infinity } : {}),
      ...(setup.sourceMarks ? { statusesAtSourceMarks: true } : {}),
      ...(setup.ownedPartitions ? { partitions: setup.ownedPartitions } : {}),
    });
    await runtime.start();

    // The board is fed from the status topic, as a server reading Kafka is, and reads it the same way:
    // each record decoded and checked (decodeStatusRecord), a bad one skipped and reported to the main
    // thread, which logs and counts it. Reading it also keeps the topic from growing.
    // The partitions' batches of one round are read one after another: their statuses go to the main
    // thread together (the outbox), not one message a partition.
    const statusReader = bus.consumer({ groupId: STATUS_READER_GROUP, topics: [topics.status], fromBeginning: true });
    await statusReader.run(async (batch) => {
      const statuses: ScopeStatus[] = [];
      const edges: LiveEdge[] = [];
      for (const record of batch.records) {
        const decoded = decodeStatusRecord(record.value);
        if (!decoded.ok) post({ type: 'invalid-status', topic: batch.topic, partition: batch.partition, offset: record.offset, reason: decoded.reason, message: decoded.message });
        else if (decoded.edge) edges.push(decoded.edge);
        else statuses.push(decoded.status);
      }
      if (statuses.length > 0 || edges.length > 0) outbox.addStatuses(statuses, edges);
    });

    // The demo's simulator marks how far each round reached (`delivered`): once the processor has read
    // the round, every partition's live statuses are brought up to the mark. Marks that come while one
    // is being applied are folded into the next.
    let markTo: number | undefined;
    let marking = false;
    // What the round gathers for the main thread — the send's answer, the batches' counts, the statuses
    // the round published once the status reader has read them — goes in one message at its end: each
    // message wakes the main thread (worker-outbox.ts).
    const applyMarks = async () => {
      marking = true;
      outbox.hold();
      try {
        while (markTo !== undefined) {
          const to = markTo;
          markTo = undefined;
          await bus.caughtUp(PROCESSOR_GROUP, topics.telemetry);
          await runtime.liveTo(to);
        }
        await bus.caughtUp(STATUS_READER_GROUP, topics.status);
      } catch (error) {
        // Stopping closes the bus under a round still waiting on it: not an error.
        if (!stopping) post({ type: 'error', message: messageOf(error), context: 'bringing live statuses up to the simulator' });
      } finally {
        marking = false;
        outbox.release();
      }
    };

    // Hourly: devices' rollups older than two days folded into their month digests (what the evidence
    // pack reads of them), the other scopes' ended days into day rows (the evidence pack reads those for
    // whole days), then what is past its retention pruned.
    const housekeeping = async () => {
      await foldDeviceHours(store, clock() - DEVICE_HOURS_KEPT_MS).catch((error) => post({ type: 'error', message: messageOf(error), context: 'folding device rollups into digests: tried again in an hour' }));
      await foldSiteDays(store, clock()).catch((error) => post({ type: 'error', message: messageOf(error), context: 'folding site rollups into day rows: tried again in an hour' }));
      await store.prune(clock(), DEFAULT_RETENTION_MS).catch((error) => post({ type: 'error', message: messageOf(error), context: 'pruning old rollups: tried again in an hour' }));
    };
    // One thread of several does it: the store is one. By the event-time clock: where the main thread
    // sends one (a demo, the stepped clock), not before it has — a stepped clock set in the past, judged
    // by the wall clock meanwhile, had a restart prune every row the last run wrote.
    let pruneTimer: NodeJS.Timeout | undefined;
    startHousekeeping = () => {
      if (pruneTimer || setup.housekeeping === false) return;
      void housekeeping();
      pruneTimer = setInterval(() => void housekeeping(), 3_600_000);
      pruneTimer.unref();
    };
    if (!setup.clockFollows) startHousekeeping();

    // Answers go gathered with what came before them (worker-outbox.ts).
    const answer = (id: number, work: Promise<unknown>) =>
      work.then(
        () => outbox.answer(id),
        (error) => outbox.answer(id, messageOf(error)),
      );

    let stopping = false;
    port.on('message', (message: ToWorker) => {
      switch (message.type) {
        case 'send':
          void answer(
            message.id,
            producer.send(message.topic, message.records).then(() => {
              if (message.topic === topics.deadLetter) reportDeadLetters();
            }),
          );
          return;
        case 'clock':
          anchor = message.anchor;
          startHousekeeping();
          return;
        case 'delivered':
          markTo = Math.max(markTo ?? -Infinity, message.to);
          if (!marking) void applyMarks();
          return;
        case 'settle':
          // Telemetry processed (the group commits after each batch's effects), then the partitions
          // settled to the clock, then every status published so far read and posted.
          void answer(
            message.id,
            (async () => {
              await bus.caughtUp(PROCESSOR_GROUP, topics.telemetry);
              await runtime.settle();
              await bus.caughtUp(STATUS_READER_GROUP, topics.status);
            })(),
          );
          return;
        case 'stop':
          if (stopping) return;
          stopping = true;
          clearInterval(pruneTimer);
          void (async () => {
            try {
              await runtime.stop(); // checkpoints open windows so a restart resumes them
              await statusReader.stop();
              await bus.close();
            } catch (error) {
              post({ type: 'error', message: messageOf(error), context: 'stopping the processor' });
            } finally {
              await store.close();
              post({ type: 'stopped' });
            }
          })();
          return;
      }
    });
    post({ type: 'ready' });
  }

  run().catch((error) => post({ type: 'failed', message: messageOf(error) }));
}
