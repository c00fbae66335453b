// The ingest token file and estate register as `start` and `server` use them: read at start (a bad file
// stops the start with the field at fault), or, without a token file, a warning that anyone who can
// reach the port may send telemetry.
import type { Logger } from 'pino';
import { EstateRegisterFile, IngestTokens } from '@wardwatch/server';

export function openIngestTokens(file: string | undefined, log: Logger): IngestTokens | undefined {
  if (!file) {
    log.warn(
      'ingest is unauthenticated: POST /api/ingest and POST /v1/logs accept telemetry from anyone who can reach this port; give a token file with --ingest-tokens or WARDWATCH_INGEST_TOKENS (see docs/operations.md)',
    );
    return undefined;
  }
  const tokens = IngestTokens.load(file, { log });
  log.info({ file, entries: tokens.size }, `ingest needs a device token: ${tokens.size} entries in ${file}`);
  if (tokens.unboundDeviceTokens > 0) {
    log.warn(
      { file, unbound: tokens.unboundDeviceTokens },
      `${tokens.unboundDeviceTokens} device tokens in ${file} name no site or trust, so their events may claim any site: reissue them with wardwatch token --device ID --site ID --trust ID (an estate register listing devices also binds them)`,
    );
  }
  return tokens;
}

/**
 * The estate register, followed as its file changes, or undefined without one; throws
 * EstateRegisterError naming the line at fault.
 */
export function openEstateRegister(file: string | undefined, scopeCapPerHour: number | undefined, log: Logger): EstateRegisterFile | undefined {
  if (scopeCapPerHour !== undefined) log.info({ scopeCapPerHour }, `ingest accepts at most ${scopeCapPerHour} new sites, wards and devices per token per hour`);
  if (!file) return undefined;
  const registerFile = EstateRegisterFile.load(file, { log });
  const register = registerFile.current;
  const devices = register.deviceCount === undefined ? 'devices not checked' : `${register.deviceCount} devices`;
  log.info({ file, sites: register.siteCount, devices: register.deviceCount }, `estate register: ${register.siteCount} sites, ${devices}; events from others are refused`);
  return registerFile;
}
