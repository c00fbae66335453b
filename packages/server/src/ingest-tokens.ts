// Per-device ingest tokens. Workstation agents send `Authorization: Bearer <token>` to POST /api/ingest;
// the token file holds only each token's SHA-256, so it can be read, reviewed and backed up without
// exposing a secret. A token belongs to one device, bound to the device's site and trust (or, for
// imaging a ward's worth of devices, to one site), and events claiming any other device, site or trust
// in the same body are refused one by one (see ingest-admission.ts).
//
// The file (YAML; JSON is valid YAML too):
//
//   tokens:
//     - { device: "RXX01-W03-D07", site: "RXX01", trust: "RXX", sha256: "<64 hex digits>", issued: "2026-11-24" }
//     - { site: "RXX01", trust: "RXX", sha256: "<64 hex digits>", note: "imaging RXX01, revoke after rollout" }
//
// Files written before tokens carried a place stay valid: a device entry without site or trust binds
// the device id only (its events may name any site) and is counted in `unboundDeviceTokens`, which
// the CLI reports at start so that such tokens get reissued with --site and --trust.
//
// Changes are picked up without a restart, the file kept in force as file-in-force.ts keeps one:
// before each authentication it is checked for a change (one stat a request), and SIGHUP forces a
// re-read (wired by the CLI). A file that has become invalid or unreadable is reported and the last
// valid tokens stay in force until it is fixed.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Identifier, parseConfig } from '@wardwatch/schema';
import { FileInForce, type FileInForceLog } from './file-in-force.ts';

/**
 * What a valid token lets its holder send: one device's events (at its site and trust when the entry
 * names them), or any device's at one site. A grant without device is a site token.
 */
export interface IngestGrant {
  device?: string;
  site?: string;
  trust?: string;
}

/** How the ingest route asks who a bearer token belongs to; undefined → unknown or revoked. */
export interface IngestAuthenticator {
  authenticate(token: string): Promise<IngestGrant | undefined>;
}

/** The subset of a pino logger the token file uses. */
export type TokenFileLog = FileInForceLog;

export class IngestTokenFileError extends Error {
  override readonly name = 'IngestTokenFileError';
  readonly code = 'INGEST_TOKENS_INVALID';
  /** One line per problem, each naming its field: `tokens[2].sha256: must be …`. */
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    const where = source ? `${source}: ` : '';
    super(`${where}invalid ingest token file (fix these and reload):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

const entrySchema = z
  .strictObject({
    device: Identifier.optional(),
    site: Identifier.optional(),
    trust: Identifier.optional(),
    // The message never echoes the value: a raw token pasted here by mistake must not reach the logs.
    sha256: z.string({ error: 'must be the SHA-256 of the token as 64 hex digits' }).regex(
      SHA256_HEX,
      'must be the SHA-256 of the token as 64 hex digits, never the token itself (wardwatch token --device ID prints the line to add)',
    ),
    issued: z.string().optional(),
    note: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.device === undefined && entry.site === undefined) {
      ctx.addIssue({ code: 'custom', path: ['device'], message: 'give device (one device, with its site and trust) or site alone (every device of a site)' });
    }
  });

const fileSchema = z.strictObject({ tokens: z.array(entrySchema, { error: 'must be a list of {device or site, sha256} entries' }) });

interface Compiled {
  digest: Buffer;
  grant: IngestGrant;
}

/** Tokens indexed by the first 8 bytes of their hash; see `TokenTable.match`. */
class TokenTable {
  private readonly buckets = new Map<string, Compiled[]>();
  /** Device entries naming no site: their events may claim any site (files from before sites). */
  unboundDeviceTokens = 0;
  constructor(readonly size: number) {}

  add(entry: Compiled): void {
    const key = entry.digest.subarray(0, 8).toString('hex');
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(entry);
    else this.buckets.set(key, [entry]);
  }

  /**
   * The grant of a presented token. The full 32-byte hashes are compared with timingSafeEqual, every
   * candidate of the bucket without stopping early. Picking the bucket by hash prefix is not constant
   * time, but what it could reveal is a prefix of SHA-256(token), which is no help in forging a token;
   * it keeps each request O(1) whether the file lists ten devices or ten thousand.
   */
  match(token: string): IngestGrant | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    let found: IngestGrant | undefined;
    for (const candidate of this.buckets.get(digest.subarray(0, 8).toString('hex')) ?? []) {
      if (timingSafeEqual(candidate.digest, digest) && !found) found = candidate.grant;
    }
    return found;
  }
}

/** A new random token: 32 bytes, base64url (43 characters). */
export function newIngestToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the token file stores for a token: its SHA-256 as lowercase hex. */
export function hashIngestToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The entry to add under `tokens:` for a token, as one YAML line (indented as a list item). */
export function tokenFileLine(grant: IngestGrant, token: string, extra: { issued?: string; note?: string } = {}): string {
  const fields: string[] = [];
  if (grant.device !== undefined) fields.push(`device: ${JSON.stringify(grant.device)}`);
  if (grant.site !== undefined) fields.push(`site: ${JSON.stringify(grant.site)}`);
  if (grant.trust !== undefined) fields.push(`trust: ${JSON.stringify(grant.trust)}`);
  fields.push(`sha256: ${JSON.stringify(hashIngestToken(token))}`);
  if (extra.issued !== undefined) fields.push(`issued: ${JSON.stringify(extra.issued)}`);
  if (extra.note !== undefined) fields.push(`note: ${JSON.stringify(extra.note)}`);
  return `  - { ${fields.join(', ')} }`;
}

/** Parses and validates token-file text; `source` (a file name) only labels errors. */
export function parseIngestTokens(text: string, source?: string): TokenTable {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new IngestTokenFileError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  }
  const raw: unknown = document.toJS();
  if (raw === null || raw === undefined) {
    throw new IngestTokenFileError(['tokens: missing; the file is empty (write "tokens: []" to refuse every device)'], source);
  }
  // A token pasted where its hash belongs is a secret: say that the hash is wrong, never what it holds.
  const result = parseConfig(fileSchema, raw, {
    secret: (path) => path.includes('sha256'),
    unknownFieldHint: (field) => (field === '(top level)' ? 'the file has one field, tokens' : 'an entry has device (with site and trust) or site (with trust), sha256, and optionally issued and note'),
  });
  if (!result.ok) throw new IngestTokenFileError(result.problems, source);
  const table = new TokenTable(result.value.tokens.length);
  const seen = new Map<string, number>();
  const problems: string[] = [];
  result.value.tokens.forEach((entry, index) => {
    const hex = entry.sha256.toLowerCase();
    const first = seen.get(hex);
    if (first !== undefined) {
      problems.push(`tokens[${index}].sha256: the same hash as tokens[${first}]; every device needs a token of its own`);
      return;
    }
    seen.set(hex, index);
    const grant: IngestGrant = {};
    if (entry.device !== undefined) grant.device = entry.device;
    if (entry.site !== undefined) grant.site = entry.site;
    if (entry.trust !== undefined) grant.trust = entry.trust;
    if (entry.device !== undefined && entry.site === undefined) table.unboundDeviceTokens++;
    table.add({ digest: Buffer.from(hex, 'hex'), grant });
  });
  if (problems.length > 0) throw new IngestTokenFileError(problems, source);
  return table;
}

function readTable(file: string): TokenTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new IngestTokenFileError([`cannot read the file (${(error as Error).message}); check the path`], file);
  }
  return parseIngestTokens(text, file);
}

/** A token file in force (file-in-force.ts): authenticates bearer tokens, and re-reads the file when it changes. */
export class IngestTokens implements IngestAuthenticator {
  /** Reads and validates the file; throws IngestTokenFileError naming the field at fault. */
  static load(file: string, options: { log?: TokenFileLog } = {}): IngestTokens {
    return new IngestTokens(
      FileInForce.load(file, {
        read: readTable,
        reloaded: (table, trigger) => ({ details: { entries: table.size, trigger }, message: `ingest tokens reloaded: ${table.size} entries in force` }),
        notReloaded: (problems, table) => `ingest token file not reloaded, the previous ${table.size} entries stay in force: ${problems.join('; ')}`,
        log: options.log,
      }),
    );
  }

  private constructor(private readonly source: FileInForce<TokenTable>) {}

  get file(): string {
    return this.source.file;
  }

  /** Entries in force. */
  get size(): number {
    return this.source.value.size;
  }

  /** Device entries in force that name no site (written before tokens carried one). */
  get unboundDeviceTokens(): number {
    return this.source.value.unboundDeviceTokens;
  }

  async authenticate(token: string): Promise<IngestGrant | undefined> {
    await this.refresh();
    return this.source.value.match(token);
  }

  /** Re-reads the file if its modification time, size or inode changed since the last read. */
  refresh(): Promise<void> {
    return this.source.refresh();
  }

  /** Re-reads the file now (SIGHUP). False when it is invalid: the previous tokens stay in force. */
  reload(): boolean {
    return this.source.reload();
  }
}
