#!/usr/bin/env node
// wardwatch command-line entry: parses, starts the command, stops it cleanly on SIGINT/SIGTERM.
import { pino } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { ScenarioName } from '@wardwatch/simulator';
import { EstateRegisterError, IngestTokenFileError } from '@wardwatch/server';
import { EvidenceConfigError } from '@wardwatch/evidence';
import { SloConfigError } from '@wardwatch/slo';
import { AuthConfigError } from '@wardwatch/server';
import { defaultStatusIntervalMs, parseCommandLine, PROCESSOR_STATUS_INTERVAL_MS, USAGE, UsageError, type BackupArgs, type ParsedArgs, type ReportArgs, type RulesArgs, type TokenArgs } from './args.ts';
import { runBackup } from './commands/backup.ts';
import { runReport } from './commands/report.ts';
import { writeRules } from './commands/rules.ts';
import { runProcessor } from './commands/kafka-processor.ts';
import { runServer } from './commands/kafka-server.ts';
import { runSimulate } from './commands/kafka-simulate.ts';
import { issueToken } from './commands/token.ts';
import type { Running } from './commands/running.ts';
import { startEmbedded } from './embedded.ts';
import { startTracing } from './tracing.ts';
import { storeUrlForDisplay } from '@wardwatch/store';

async function start(args: Exclude<ParsedArgs, { command: 'help' } | RulesArgs | TokenArgs | ReportArgs | BackupArgs>, log: pino.Logger): Promise<Running> {
  switch (args.command) {
    case 'start': {
      const pipeline = await startEmbedded({
        port: args.port,
        host: args.host,
        storeUrl: args.storeUrl,
        log,
        demo: args.demo,
        seed: args.seed,
        speed: args.speed,
        scenario: args.scenario as ScenarioName | undefined,
        sites: args.sites,
        backfillMs: args.demo ? args.backfillHours * 3_600_000 : 0,
        historyMonths: args.demo ? args.historyMonths : 0,
        ingestTokensFile: args.ingestTokens,
        estateFile: args.estate,
        scopeCapPerHour: args.scopeCapPerHour,
        sloFile: args.sloFile,
        evidence: { configFile: args.evidenceConfig, inventoryFile: args.inventory },
        access: args,
        processor: { statusIntervalMs: args.statusIntervalMs ?? defaultStatusIntervalMs(args.speed) },
        ...(args.processorThreads === undefined ? {} : { processorThreads: args.processorThreads }),
        // Once a simulated minute (at least a second apart), so an accelerated demo alerts in step.
        sloIntervalMs: args.demo ? Math.max(1000, 60_000 / args.speed) : undefined,
      });
      log.info({ url: pipeline.url, demo: args.demo, speed: args.speed, store: storeUrlForDisplay(args.storeUrl) }, `wardwatch is running at ${pipeline.url}`);
      return pipeline;
    }
    case 'processor':
      return runProcessor(args, log, process.env, { statusIntervalMs: args.statusIntervalMs ?? PROCESSOR_STATUS_INTERVAL_MS });
    case 'server':
      return runServer(args, log, process.env);
    case 'simulate':
      return runSimulate(args, log, process.env);
  }
}

/**
 * JSON lines for log collectors; readable lines when a person watches the terminal. WARDWATCH_LOG_FORMAT
 * (json | pretty) overrides the guess.
 */
function createLogger(level: string, service: string): pino.Logger {
  const format = process.env.WARDWATCH_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino({ level, base: { service } });
  return pino({ level, base: undefined }, PinoPretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}

async function main(): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`wardwatch: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.command === 'rules') return writeRules(args);
  if (args.command === 'token') return issueToken(args);
  if (args.command === 'report') return runReport(args);
  if (args.command === 'backup') return runBackup(args);
  const log = createLogger(args.logLevel, `wardwatch-${args.command}`);
  let running: Running;
  let stopTracing: () => Promise<void> = async () => {};
  try {
    stopTracing = await startTracing(`wardwatch-${args.command}`, process.env);
    running = await start(args, log);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`wardwatch: ${error.message}\n`);
      return 2;
    }
    if (error instanceof SloConfigError || error instanceof AuthConfigError) {
      log.fatal({ problems: error.problems }, `wardwatch ${args.command} could not start: ${error.message}`);
      return 2;
    }
    if (error instanceof IngestTokenFileError || error instanceof EstateRegisterError || error instanceof EvidenceConfigError) {
      log.fatal({ problems: error.problems }, `wardwatch ${args.command} could not start: ${error.message}`);
      return 2;
    }
    log.fatal({ err: error }, `wardwatch ${args.command} could not start: ${(error as Error).message}`);
    return 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = 0;
    const shutdown = async (reason: string) => {
      // Ctrl-C reaches both a wrapper (npm, tsx) and this process, which relays it again: only a
      // second signal well after the first means "stop waiting".
      if (stopping && Date.now() - stopping < 2000) return;
      if (stopping) {
        log.warn('second signal: exiting without waiting');
        resolve(130);
        return;
      }
      stopping = Date.now();
      log.info({ reason }, 'shutting down: finishing what is in hand (store writes, sends, events already queued); a second signal exits without waiting');
      try {
        await running.stop();
        await stopTracing();
        log.info('stopped cleanly');
        resolve(0);
      } catch (error) {
        log.error({ err: error }, 'shutdown failed');
        resolve(1);
      }
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    // With an ingest token file, SIGHUP re-reads it (it is also re-read whenever it changes).
    if (running.reloadIngestTokens) process.on('SIGHUP', () => void running.reloadIngestTokens?.());
    running.done?.then(() => shutdown('finished'));
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`wardwatch: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
