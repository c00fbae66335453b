// Who and where: the workstation's place in the trust from config, and user ids pseudonymised here,
// on the workstation, with a key the trust holds. The server never sees a user name.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** HMAC-SHA256 of the normalised account name under the trust's key, hex. Same user → same pseudonym. */
export function pseudonymise(account: string, key: Buffer | string): string {
  // "NHS\jsmith01", "jsmith01@nhs.net" and "JSMITH01" are one person to a service desk: normalise first.
  const normalised = account.trim().toLowerCase().replace(/^.*\\/, '').replace(/@.*$/, '');
  return createHmac('sha256', key).update(normalised, 'utf8').digest('hex');
}

/**
 * The pseudonymisation key from a file (first line) or an environment variable. Without one the agent
 * still runs but sends no user pseudonyms at all: better no link between logons than a weak key.
 */
export function loadPseudonymKey(options: { keyFile?: string; keyEnv: string }, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  let text: string | undefined;
  if (options.keyFile) text = readFileSync(options.keyFile, 'utf8').split(/\r?\n/)[0];
  else text = env[options.keyEnv];
  if (!text) return undefined;
  if (text.length < 16) throw new Error(`the pseudonymisation key must be at least 16 characters (from ${options.keyFile ?? `$${options.keyEnv}`})`);
  return Buffer.from(text, 'utf8');
}
