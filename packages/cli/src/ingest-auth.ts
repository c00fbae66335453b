// The ingest token file as `start` and `server` use it: read at start (a bad file stops the start with
// the field at fault), or, without one, a warning that anyone who can reach the port may send telemetry.
import type { Logger } from 'pino';
import { IngestTokens } from '@wardwatch/server';

export function openIngestTokens(file: string | undefined, log: Logger): IngestTokens | undefined {
  if (!file) {
    log.warn(
      'ingest is unauthenticated: POST /api/ingest accepts telemetry from anyone who can reach this port; give a token file with --ingest-tokens or WARDWATCH_INGEST_TOKENS (see docs/operations.md)',
    );
    return undefined;
  }
  const tokens = IngestTokens.load(file, { log });
  log.info({ file, entries: tokens.size }, `ingest needs a device token: ${tokens.size} entries in ${file}`);
  return tokens;
}
