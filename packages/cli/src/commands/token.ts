// `wardwatch token`: issues an ingest token for one device, bound to its site and trust (or for every
// device of a site). The token goes
// to the device's agent and nowhere else; the token file keeps only its SHA-256. Standard output has
// exactly two lines, the token and the entry for the file, so scripts can take them apart; the
// explanation goes to standard error.
import { newIngestToken, tokenFileLine } from '@wardwatch/server';
import type { TokenArgs } from '../args.ts';

export function issueToken(
  args: TokenArgs,
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
  now: Date = new Date(),
): number {
  const token = newIngestToken();
  const grant = { device: args.device, site: args.site, trust: args.trust };
  const who = args.device !== undefined ? `device ${args.device} at site ${args.site} (trust ${args.trust})` : `every device of site ${args.site}${args.trust ? ` (trust ${args.trust})` : ''}`;
  const line = tokenFileLine(grant, token, { issued: now.toISOString().slice(0, 10), note: args.note });
  err(`New ingest token for ${who}. Give the first line to the agent (it is shown once and stored nowhere);\n`);
  err(`add the second line under "tokens:" in the ingest token file (--ingest-tokens); the server picks it up without a restart.\n`);
  out(`${token}\n${line}\n`);
  return 0;
}
