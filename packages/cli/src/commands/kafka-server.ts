// `wardwatch server`: the API, live stream, ingest and dashboard, fed by the status topic and the
// store. Servers scale apart from processors: each reads every status.
import type { Logger } from 'pino';
import { openStore } from '@wardwatch/store';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { createApp, createMetrics, DeadLetterLog, directoryFromBoard, listen, SloEvaluator, StatusBoard } from '@wardwatch/server';
import { createNotifiers, DEFAULT_SLOS, describeNotifier, loadSloFile } from '@wardwatch/slo';
import { dashboardDistDir } from '@wardwatch/dashboard';
import { apiTokensFor, httpAccess } from '../http-access.ts';
import { followSharedAlertState, readSharedAlertState } from '@wardwatch/server';
import type { KafkaArgs } from '../args.ts';
import { kafkaTransportOptions } from '../kafka-options.ts';
import { startMonthlyReports } from '../monthly-reports.ts';
import { openEvidenceSources } from '../evidence-sources.ts';
import { WARDWATCH_VERSION } from '../version.ts';
import { openEstateRegister, openIngestTokens } from '../ingest-auth.ts';
import { feedDeadLetterLog, feedStatusBoard, ingestSink, maintenanceWindows, topicLayout, topicSpecs } from '../wiring.ts';
import type { Running } from './running.ts';

export async function runServer(args: KafkaArgs, log: Logger, env: NodeJS.ProcessEnv): Promise<Running> {
  const ingestTokens = openIngestTokens(args.ingestTokens, log);
  const estateRegister = openEstateRegister(args.estate, args.scopeCapPerHour, log);
  // Read before anything is started, so a bad file fails the start with the field at fault.
  const sloConfig = args.sloFile ? loadSloFile(args.sloFile) : { slos: DEFAULT_SLOS, burnRateRules: undefined, notifications: [] };
  const evidence = openEvidenceSources({ configFile: args.evidenceConfig, inventoryFile: args.inventory }, log);
  const notifiers = createNotifiers(sloConfig.notifications);
  const access = httpAccess(args.host, args, log, () => store);
  const transport = new KafkaTransport(kafkaTransportOptions(args, env, (level, message, extra) => log[level]({ kafka: extra }, message)));
  const topics = topicLayout(args.topicPrefix);
  await transport.ensureTopics(topicSpecs(topics, args.partitions));
  const store = await openStore(args.storeUrl);
  // The estate register, when given, is the site directory (names, types, areas), followed as it changes.
  const board = new StatusBoard(estateRegister);
  const metrics = createMetrics(board);
  const feed = await feedStatusBoard(transport, topics.status, board, log, metrics);
  // Every dead letter the topic holds — this gateway's refusals and the processors' — for GET /api/dead-letters.
  const deadLetters = new DeadLetterLog();
  const deadLetterFeed = await feedDeadLetterLog(transport, topics.deadLetter, deadLetters, log);
  const producer = transport.producer();
  // Every server evaluates the SLOs from the shared store (event time is wall time here); each sends
  // the file's notifications, so give `notifications:` to one server only, or send them to
  // Alertmanager, which deduplicates by labels.
  const { maintenance, holds } = maintenanceWindows(store, Date.now, board, log);
  const slos = new SloEvaluator({
    store,
    slos: sloConfig.slos,
    burnRateRules: sloConfig.burnRateRules,
    notifiers,
    clock: Date.now,
    metrics,
    onError: (error, context) => log.warn({ err: error, context }, 'SLO evaluation step failed'),
    // Incidents for the evidence pack, and the alerts still firing when the last server stopped.
    alertHistory: store,
    firing: await store.openAlerts(),
    holds,
  });
  if (notifiers.length > 0) log.info({ notifiers: sloConfig.notifications.map(describeNotifier) }, 'alert notifications configured');
  // Silences made before a restart still hold, and alerts assigned before it stay with their assignees.
  await readSharedAlertState(slos, store);
  // Another server on this store may silence or assign an alert: read every few seconds.
  const shared = followSharedAlertState(slos, store, (error) => log.warn({ err: error }, 'reading the shared silences and assignments failed: tried again in a few seconds'));
  void slos.start();
  // The API, the email and `wardwatch report` build one pack: the same settings, the same placement.
  const evidenceDirectory = evidence.inventory ?? (() => directoryFromBoard(board));
  const reports = startMonthlyReports({ reports: 'reports' in sloConfig ? sloConfig.reports : [], notifiers, store, log, config: evidence.config, directory: evidenceDirectory });
  const app = createApp({
    board,
    store,
    annotations: store,
    maintenance,
    evidenceConfig: evidence.config,
    evidenceDirectory,
    version: WARDWATCH_VERSION,
    metrics,
    ingest: ingestSink(producer, topics),
    ingestTokens,
    estateRegister,
    scopeCapPerHour: args.scopeCapPerHour,
    slos,
    clock: Date.now,
    dashboardDir: dashboardDistDir,
    health: () => ({ mode: 'kafka', role: 'server', transport: 'kafka', store: args.storeUrl.split(':')[0] }),
    ...access,
    audit: store,
    ...apiTokensFor(access, store),
    silences: store,
    assignments: store,
    deadLetters,
  });
  const server = await listen(app, { port: args.port, host: args.host });
  log.info({ url: server.url, brokers: args.brokers }, `wardwatch server is running at ${server.url}`);
  return {
    url: server.url,
    ...(ingestTokens ? { reloadIngestTokens: () => ingestTokens.reload() } : {}),
    async stop() {
      await reports.stop();
      await shared.stop();
      await slos.stop();
      for (const notifier of notifiers) (notifier as { close?: () => void }).close?.();
      await server.close();
      await feed.stop();
      await deadLetterFeed.stop();
      await producer.close();
      await transport.close();
      await store.close();
    },
  };
}
