#!/usr/bin/env node
// wardwatch-agent: run (as a service), check-config, mark (from login scripts), status.
import { parseArgs } from 'node:util';
import { Agent, AGENT_VERSION } from './agent.ts';
import { AgentConfigError, loadAgentConfig } from './config.ts';

const USAGE = `wardwatch-agent ${AGENT_VERSION}

Usage:
  wardwatch-agent run --config FILE          measure and report until stopped (SIGTERM/SIGINT)
  wardwatch-agent check-config FILE          validate a config file; prints the settings in effect
  wardwatch-agent mark NAME start|end [--port N] [--user ACCOUNT]
                                             time a clinical application logon (login scripts call this)
  wardwatch-agent status [--port N]          what the running agent is doing (spool, delivery, marks)
  wardwatch-agent --version
`;

const DEFAULT_MARK_PORT = 47600;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  switch (command) {
    case 'check-config': {
      const file = rest[0];
      if (!file) return usageError('check-config needs a FILE');
      const config = loadAgentConfig(file);
      process.stdout.write(`${file}: OK\n${JSON.stringify(redact(config), null, 2)}\n`);
      return 0;
    }
    case 'run': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' } } });
      if (!values.config) return usageError('run needs --config FILE');
      const agent = await Agent.start(loadAgentConfig(values.config));
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await agent.stop();
      return 0;
    }
    case 'mark': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { port: { type: 'string' }, user: { type: 'string' } } });
      const [name, phase] = positionals;
      if (!name || (phase !== 'start' && phase !== 'end')) return usageError('mark needs NAME and start|end, e.g. "wardwatch-agent mark epr-login start"');
      const answer = await callAgent(values.port, '/mark', { name, phase, at: Date.now(), ...(values.user ? { user: values.user } : {}) });
      if (answer.status !== 200) {
        process.stderr.write(`wardwatch-agent: ${(answer.body as { error?: string }).error ?? `HTTP ${answer.status}`}\n`);
        return 1;
      }
      const duration = (answer.body as { durationMs?: number }).durationMs;
      if (duration !== undefined) process.stdout.write(`${name}: ${(duration / 1000).toFixed(1)} s\n`);
      return 0;
    }
    case 'status': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' } } });
      const answer = await callAgent(values.port, '/status');
      process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
      return answer.status === 200 ? 0 : 1;
    }
    default:
      return usageError(`unknown command "${command}"`);
  }
}

function usageError(message: string): number {
  process.stderr.write(`wardwatch-agent: ${message}\n\n${USAGE}`);
  return 2;
}

/** The config as it will be used, without secrets. */
function redact(config: ReturnType<typeof loadAgentConfig>): unknown {
  const http = config.delivery.http;
  return { ...config, delivery: { ...config.delivery, ...(http ? { http: { ...http, ...(http.token ? { token: '(set)' } : {}) } } : {}) } };
}

async function callAgent(port: string | undefined, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const p = port ? Number(port) : DEFAULT_MARK_PORT;
  try {
    const response = await fetch(`http://127.0.0.1:${p}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    throw new Error(`the agent is not answering on 127.0.0.1:${p} (is it running?): ${(error as Error).message}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`wardwatch-agent: ${error instanceof AgentConfigError ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exit(error instanceof AgentConfigError ? 2 : 1);
  },
);
