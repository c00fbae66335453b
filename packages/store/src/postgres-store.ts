// The production store: rollups and checkpoints in PostgreSQL, inside their own schema.
import pg from 'pg';
import { DEVICE_SCOPE, MONTH_SCOPE, prefixRange, REFOLD_NOTE_REACH_MS } from './prefix.ts';
import type { PartitionCheckpoint, Resolution, RollupKey, RollupQuery, RollupRecord, RollupStore } from './rollup-store.ts';
import type { Annotation } from '@wardwatch/schema';
import { annotationWhere, fromAnnotationRow, toAnnotationRow, type AnnotationQuery, type AnnotationRow, type AnnotationStore } from './annotation-store.ts';
import type { AuditEntry } from '@wardwatch/schema';
import { auditWhere, fromAuditRow, toAuditRow, type AuditQuery, type AuditRow, type AuditStore } from './audit-store.ts';
import type { ApiToken } from '@wardwatch/schema';
import { fromApiTokenRow, toApiTokenRow, type ApiTokenRow, type ApiTokenStore } from './api-token-store.ts';
import type { AlertAssignment, Silence } from '@wardwatch/schema';
import type { SilenceStore } from './silence-store.ts';
import type { SloAlert } from '@wardwatch/schema';
import { fromAlertRow, toAlertRow, type AlertHistoryQuery, type AlertHistoryStore } from './alert-history-store.ts';
import { FOLD_BATCH_DEVICES, type DeviceDigestRow, type DeviceDigestStore, type DeviceFold } from './device-digest-store.ts';
import type { AssignmentStore, StoredAssignment } from './assignment-store.ts';
import { isDayScope, type DayFold, type DayFoldState, type DayRollupQuery, type DayRollupRecord, type DayRollupStore } from './day-rollup-store.ts';
import { changesOf, earliestStarts, ROLLUP_CHANGES_KEPT_MS, type RollupChangeLog, type RollupChanges } from './rollup-change-log.ts';
import { CHANGE_DAYS_KEPT_MS, TIER_RETENTION_MS, type MonthFold, type MonthFoldState, type MonthRollupQuery, type MonthRollupRecord, type MonthRollupStore, type TierRetention } from './month-rollup-store.ts';
import { foldInTurns } from './fold-in-turns.ts';
import { postgresMigrations } from './postgres-migrations.ts';

export interface PostgresStoreOptions {
  connectionString: string;
  /** PostgreSQL schema holding the tables (default "wardwatch"). */
  schema?: string;
  poolSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** The database's clock in epoch ms (not the transaction's start: a long write stamps when it writes). */
const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

export class PostgresRollupStore implements RollupStore, RollupChangeLog, AnnotationStore, AuditStore, ApiTokenStore, SilenceStore, AssignmentStore, AlertHistoryStore, DeviceDigestStore, DayRollupStore, MonthRollupStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  static async open(options: PostgresStoreOptions): Promise<PostgresRollupStore> {
    const schema = options.schema ?? 'wardwatch';
    if (!IDENTIFIER.test(schema)) throw new Error(`PostgreSQL schema name "${schema}" must match ${IDENTIFIER}`);
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
    const store = new PostgresRollupStore(pool, schema);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      const url = new URL(options.connectionString);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
        throw new Error(
          `cannot reach PostgreSQL at ${url.hostname}:${url.port || 5432} (${code}): check that the server runs and accepts TCP connections there`,
          { cause: error },
        );
      }
      throw new Error(`PostgreSQL store could not be prepared: ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  /** Runs `work` in one transaction on one pooled connection: all of it, or none of it. */
  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      // One migrator at a time, whatever number of processors start together.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wardwatch-migrate-${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const { rows } = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${this.schema}.schema_migrations`);
      const applied = Number(rows[0].v);
      const all = postgresMigrations(this.schema);
      for (let i = applied; i < all.length; i++) {
        await client.query(all[i]!);
        await client.query(`INSERT INTO ${this.schema}.schema_migrations (version) VALUES ($1)`, [i + 1]);
      }
    });
  }

  async write(records: RollupRecord[], checkpoint?: PartitionCheckpoint): Promise<void> {
    if (records.length === 0 && !checkpoint) return;
    await this.inTransaction(async (client) => {
      // Hourly rows below what the day tier holds (a late correction, history written afterwards): their
      // days are noted to be folded again. The shared lock waits out a fold in progress, so a row is
      // either read by the fold or noted after it.
      const hourly = records.filter((r) => r.resolution === '1h' && isDayScope(r.scope));
      if (hourly.length > 0) {
        await client.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [this.dayFoldLock]);
        const { rows } = await client.query(`SELECT GREATEST(folded_to, folding_to) AS mark FROM ${this.schema}.day_folds WHERE id = 1`);
        const folded = Number(rows[0]?.mark ?? 0);
        const below = [...new Set(hourly.filter((r) => r.start < folded).map((r) => r.start))];
        if (below.length > 0) {
          await client.query(
            `INSERT INTO ${this.schema}.day_refolds (start, seq) SELECT s, nextval('${this.schema}.day_refold_seq') FROM unnest($1::bigint[]) AS s
             ON CONFLICT (start) DO UPDATE SET seq = EXCLUDED.seq`,
            [below],
          );
        }
      }
      for (let i = 0; i < records.length; i += 2000) {
        const chunk = records.slice(i, i + 2000);
        await client.query(
          `INSERT INTO ${this.schema}.rollups (scope, metric, resolution, start, count, valid, good, fast, sketch)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bytea[])
           ON CONFLICT (resolution, scope, metric, start) DO UPDATE SET
             count = EXCLUDED.count, valid = EXCLUDED.valid, good = EXCLUDED.good, fast = EXCLUDED.fast, sketch = EXCLUDED.sketch`,
          [
            chunk.map((r) => r.scope),
            chunk.map((r) => r.metric),
            chunk.map((r) => r.resolution),
            chunk.map((r) => r.start),
            chunk.map((r) => r.count),
            chunk.map((r) => r.valid),
            chunk.map((r) => r.good),
            chunk.map((r) => r.fast),
            chunk.map((r) => Buffer.from(r.sketch.buffer, r.sketch.byteOffset, r.sketch.byteLength)),
          ],
        );
      }
      const earliest = earliestStarts(records);
      if (earliest.size > 0) {
        // The database's clock, as rollupChanges reads it: every writer and reader of one store agree.
        await client.query(
          `INSERT INTO ${this.schema}.rollup_writes (written_at, resolution, min_start) SELECT ${NOW_MS}, * FROM unnest($1::text[], $2::bigint[])`,
          [[...earliest.keys()], [...earliest.values()]],
        );
      }
      if (checkpoint) {
        await client.query(
          `INSERT INTO ${this.schema}.checkpoints (grp, topic, partition, "offset", state) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (grp, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", state = EXCLUDED.state`,
          [checkpoint.group, checkpoint.topic, checkpoint.partition, checkpoint.offset, checkpoint.state ? Buffer.from(checkpoint.state) : null],
        );
        const { group, topic, partition, parts } = checkpoint;
        await client.query(`DELETE FROM ${this.schema}.checkpoint_parts WHERE grp = $1 AND topic = $2 AND partition = $3 AND NOT (name = ANY($4::text[]))`, [group, topic, partition, parts?.keep ?? []]);
        if (parts && parts.put.length > 0) {
          await client.query(
            `INSERT INTO ${this.schema}.checkpoint_parts (grp, topic, partition, name, bytes) SELECT $1, $2, $3, * FROM unnest($4::text[], $5::bytea[])
             ON CONFLICT (grp, topic, partition, name) DO UPDATE SET bytes = EXCLUDED.bytes`,
            [group, topic, partition, parts.put.map((p) => p.name), parts.put.map((p) => Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength))],
          );
        }
      }
    });
  }

  async query(q: RollupQuery): Promise<RollupRecord[]> {
    const where = ['resolution = $1', 'start >= $2', 'start < $3'];
    const params: unknown[] = [q.resolution, q.from, q.to];
    whereScopeAndMetric(q, where, params);
    const { rows } = await this.pool.query(
      `SELECT scope, metric, resolution, start, count, valid, good, fast${q.countsOnly ? '' : ', sketch'} FROM ${this.schema}.rollups
       WHERE ${where.join(' AND ')} ORDER BY start, scope, metric`,
      params,
    );
    return rows.map(toRecord);
  }

  async lookup(keys: RollupKey[]): Promise<RollupRecord[]> {
    const found: RollupRecord[] = [];
    // One query per chunk: the keys travel as four arrays and join on the primary key.
    for (let i = 0; i < keys.length; i += 5000) {
      const chunk = keys.slice(i, i + 5000);
      const { rows } = await this.pool.query(
        `SELECT r.scope, r.metric, r.resolution, r.start, r.count, r.valid, r.good, r.fast, r.sketch
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(resolution, scope, metric, start)
         JOIN ${this.schema}.rollups r ON r.resolution = k.resolution AND r.scope = k.scope AND r.metric = k.metric AND r.start = k.start`,
        [chunk.map((k) => k.resolution), chunk.map((k) => k.scope), chunk.map((k) => k.metric), chunk.map((k) => k.start)],
      );
      for (const row of rows) found.push(toRecord(row));
    }
    return found;
  }

  async checkpoint(group: string, topic: string, partition: number): Promise<PartitionCheckpoint | undefined> {
    // One statement, so the row and its parts come from the same moment.
    const { rows } = await this.pool.query(
      `SELECT c."offset", c.state, p.name, p.bytes FROM ${this.schema}.checkpoints c
       LEFT JOIN ${this.schema}.checkpoint_parts p ON p.grp = c.grp AND p.topic = c.topic AND p.partition = c.partition
       WHERE c.grp = $1 AND c.topic = $2 AND c.partition = $3 ORDER BY p.name`,
      [group, topic, partition],
    );
    if (rows.length === 0) return undefined;
    const checkpoint: PartitionCheckpoint = { group, topic, partition, offset: rows[0].offset, state: rows[0].state ? new Uint8Array(rows[0].state) : null };
    const parts = rows.filter((row) => row.name !== null).map((row: { name: string; bytes: Buffer }) => ({ name: row.name, bytes: new Uint8Array(row.bytes) }));
    if (parts.length > 0) checkpoint.parts = { put: parts, keep: parts.map((p) => p.name) };
    return checkpoint;
  }

  async rollupChanges(since: number, known?: ReadonlySet<number>): Promise<RollupChanges> {
    // The clock first, in its own statement: a write stamped before it but committed after the log is
    // read is found by the next call, which asks from ROLLUP_CHANGES_OVERLAP_MS before it.
    const { rows: clock } = await this.pool.query(`SELECT ${NOW_MS} AS at`);
    const { rows } = await this.pool.query(
      `SELECT id, resolution, min_start AS start, deleted_before AS deleted FROM ${this.schema}.rollup_writes WHERE written_at >= $1`,
      [Number.isFinite(since) ? Math.floor(since) : -1],
    );
    return changesOf(Number(clock[0].at), rows, known);
  }

  async prune(now: number, retentionMs: Record<Resolution, number>, tiers: TierRetention = TIER_RETENTION_MS): Promise<number> {
    let deleted = 0;
    const run = async (sql: string, params: unknown[]) => {
      const result = await this.pool.query(sql, params);
      deleted += result.rowCount ?? 0;
    };
    // A note past the hours' retention whose day the tier already holds: a write that late into a day
    // folded with its data (whose other hours are gone) is not folded again over it — its day rows stay.
    await this.pool.query(
      `DELETE FROM ${this.schema}.day_refolds n WHERE n.start < $1
       AND EXISTS (SELECT 1 FROM ${this.schema}.day_rollups d WHERE d.day <= n.start AND d.day > n.start - $2)`,
      [now - retentionMs['1h'], REFOLD_NOTE_REACH_MS],
    );
    for (const [resolution, keep] of Object.entries(retentionMs)) {
      const before = deleted;
      // Hourly rows of the day tier's scopes only where their day is folded (devices have their digests)
      // and not noted to be folded again: history written behind the fold (the demo's months, written
      // while the first folds ran) is in no day row yet, and its hours are all there is of it.
      if (resolution === '1h') {
        await run(
          `DELETE FROM ${this.schema}.rollups r WHERE resolution = '1h' AND start < $1
           AND (${DEVICE_SCOPE} OR (start < (SELECT folded_to FROM ${this.schema}.day_folds WHERE id = 1)
             AND NOT EXISTS (SELECT 1 FROM ${this.schema}.day_refolds n WHERE n.start > r.start - $2 AND n.start < r.start + $2)))`,
          [now - keep, REFOLD_NOTE_REACH_MS],
        );
      } else await run(`DELETE FROM ${this.schema}.rollups WHERE resolution = $1 AND start < $2`, [resolution, now - keep]);
      if (deleted > before) await this.pool.query(`INSERT INTO ${this.schema}.rollup_writes (written_at, resolution, deleted_before) VALUES (${NOW_MS}, $1, $2)`, [resolution, now - keep]);
    }
    await this.pool.query(`DELETE FROM ${this.schema}.rollup_writes WHERE written_at < ${NOW_MS} - $1`, [ROLLUP_CHANGES_KEPT_MS]);
    const history = now - tiers.history;
    await run(`DELETE FROM ${this.schema}.alerts WHERE ends_at < $1`, [history]);
    await run(`DELETE FROM ${this.schema}.device_digests WHERE month < $1`, [history]);
    await run(`DELETE FROM ${this.schema}.day_rollups WHERE day < $1`, [history]);
    await run(`DELETE FROM ${this.schema}.month_rollups WHERE month < $1`, [history]);
    await this.pool.query(`DELETE FROM ${this.schema}.month_folds WHERE end_at < $1`, [history]);
    // Days a whole month at a time, once the month's rows are written (and are not to be built again)
    // and its last day is past their scope's retention: a month is read by day or whole. The days
    // around a recorded change stay (the before-and-after comparison reads them).
    for (const [wards, keep] of [[true, tiers.monthScopeDays], [false, tiers.siteDays]] as const) {
      await run(
        `DELETE FROM ${this.schema}.day_rollups d WHERE ${wards ? '' : 'NOT '}${MONTH_SCOPE.replaceAll('scope', 'd.scope')}
         AND EXISTS (SELECT 1 FROM ${this.schema}.month_folds f WHERE f.month <= d.day AND f.end_at > d.day AND NOT f.stale AND f.end_at <= $1)
         AND NOT EXISTS (SELECT 1 FROM ${this.schema}.annotations a WHERE a.kind = 'change' AND a.scope = d.scope AND d.day >= a.start - $2 AND d.day < a.start + $2)`,
        [now - keep, CHANGE_DAYS_KEPT_MS],
      );
    }
    return deleted;
  }

  async monthRollups(q: MonthRollupQuery): Promise<MonthRollupRecord[]> {
    const where = ['month >= $1', 'month < $2'];
    const params: unknown[] = [q.from, q.to];
    whereScopeAndMetric(q, where, params);
    const { rows } = await this.pool.query(
      `SELECT scope, metric, month, end_at, days, hours, count, valid, good, fast${q.countsOnly ? '' : ', sketch'} FROM ${this.schema}.month_rollups
       WHERE ${where.join(' AND ')} ORDER BY month, scope, metric`,
      params,
    );
    return rows.map((row: Record<string, unknown>) => ({
      scope: row.scope as string,
      metric: row.metric as string,
      month: Number(row.month),
      end: Number(row.end_at),
      days: Number(row.days),
      hours: new Uint8Array(row.hours as Buffer),
      count: Number(row.count),
      valid: Number(row.valid),
      good: Number(row.good),
      fast: Number(row.fast),
      sketch: row.sketch ? new Uint8Array(row.sketch as Buffer) : new Uint8Array(0),
    }));
  }

  async monthFoldState(): Promise<MonthFoldState> {
    const folded = await this.pool.query(`SELECT month, end_at, stale FROM ${this.schema}.month_folds ORDER BY month`);
    const first = await this.pool.query(`SELECT MIN(day) AS day FROM ${this.schema}.day_rollups`);
    return {
      folded: (folded.rows as Array<{ month: string; end_at: string; stale: boolean }>).map((r) => ({ month: Number(r.month), end: Number(r.end_at), stale: r.stale })),
      firstDay: first.rows[0]?.day == null ? undefined : Number(first.rows[0].day),
    };
  }

  async foldMonth(from: number, to: number, fold: MonthFold): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT scope, metric, day, hours, count, valid, good, fast, sketch FROM ${this.schema}.day_rollups WHERE day >= $1 AND day < $2`,
      [from, to],
    );
    const months = await foldInTurns(rows.map(toDayRecord), fold);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`DELETE FROM ${this.schema}.month_rollups WHERE month = $1`, [from]);
      for (let i = 0; i < months.length; i += 2000) {
        const chunk = months.slice(i, i + 2000);
        await client.query(
          `INSERT INTO ${this.schema}.month_rollups (scope, metric, month, end_at, days, count, valid, good, fast, sketch, hours)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bytea[], $11::bytea[])`,
          [
            chunk.map((m) => m.scope),
            chunk.map((m) => m.metric),
            chunk.map((m) => m.month),
            chunk.map((m) => m.end),
            chunk.map((m) => m.days),
            chunk.map((m) => m.count),
            chunk.map((m) => m.valid),
            chunk.map((m) => m.good),
            chunk.map((m) => m.fast),
            chunk.map((m) => Buffer.from(m.sketch.buffer, m.sketch.byteOffset, m.sketch.byteLength)),
            chunk.map((m) => Buffer.from(m.hours.buffer, m.hours.byteOffset, m.hours.byteLength)),
          ],
        );
      }
      await client.query(`INSERT INTO ${this.schema}.month_folds (month, end_at, stale) VALUES ($1, $2, false) ON CONFLICT (month) DO UPDATE SET end_at = EXCLUDED.end_at, stale = false`, [from, to]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    return rows.length;
  }

  private get dayFoldLock(): string {
    return `wardwatch-fold-days-${this.schema}`;
  }

  async dayRollups(q: DayRollupQuery): Promise<DayRollupRecord[]> {
    const where = ['day >= $1', 'day < $2'];
    const params: unknown[] = [q.from, q.to];
    whereScopeAndMetric(q, where, params);
    const { rows } = await this.pool.query(
      `SELECT scope, metric, day, hours, count, valid, good, fast${q.countsOnly ? '' : ', sketch'} FROM ${this.schema}.day_rollups
       WHERE ${where.join(' AND ')} ORDER BY day, scope, metric`,
      params,
    );
    return rows.map(toDayRecord);
  }

  async dayFoldState(): Promise<DayFoldState> {
    const folded = await this.pool.query(`SELECT folded_to FROM ${this.schema}.day_folds WHERE id = 1`);
    const refold = await this.pool.query(`SELECT start FROM ${this.schema}.day_refolds ORDER BY start`);
    const first = await this.pool.query(`SELECT start FROM ${this.schema}.rollups WHERE resolution = '1h' AND NOT (scope >= 'device:' AND scope < 'device;') ORDER BY start LIMIT 1`);
    return {
      foldedTo: Number(folded.rows[0]?.folded_to ?? 0),
      refold: (refold.rows as Array<{ start: string }>).map((r) => Number(r.start)),
      firstHour: first.rows.length > 0 ? Number(first.rows[0].start) : undefined,
    };
  }

  async foldDay(from: number, to: number, fold: DayFold): Promise<number> {
    // Three steps, so that no write waits for the reading and merging: mark the span as being folded
    // (with the writers' lock: from its commit on, writes into the span are noted) and see which notes
    // exist; read the day's rows and fold them; write the day rows, drop the notes the read covered, and
    // move the mark. Folders take turns (a session lock), so an older read never overwrites a newer one.
    const client = await this.pool.connect();
    let read = 0;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${this.dayFoldLock}-folder`]);
      let seen = 0;
      let days: DayRollupRecord[] = [];
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.dayFoldLock]);
        await client.query(`UPDATE ${this.schema}.day_folds SET folding_to = GREATEST(folding_to, $1) WHERE id = 1`, [to]);
        const notes = await client.query(`SELECT COALESCE(MAX(seq), 0) AS seq FROM ${this.schema}.day_refolds`);
        seen = Number(notes.rows[0].seq);
        await client.query('COMMIT');
        const { rows } = await client.query(
          `SELECT scope, metric, resolution, start, count, valid, good, fast, sketch FROM ${this.schema}.rollups
           WHERE resolution = '1h' AND start >= $1 AND start < $2 AND NOT (scope >= 'device:' AND scope < 'device;')`,
          [from, to],
        );
        read = rows.length;
        days = await foldInTurns(rows.map(toRecord), fold);
        await client.query('BEGIN');
        await this.writeDays(client, days, from, to, seen);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`${this.dayFoldLock}-folder`]).catch(() => {});
      }
    } finally {
      client.release();
    }
    return read;
  }

  private async writeDays(client: pg.PoolClient, days: DayRollupRecord[], from: number, to: number, seen: number): Promise<void> {
    for (let i = 0; i < days.length; i += 2000) {
      const chunk = days.slice(i, i + 2000);
      await client.query(
        `INSERT INTO ${this.schema}.day_rollups (scope, metric, day, hours, count, valid, good, fast, sketch)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bytea[])
         ON CONFLICT (scope, metric, day) DO UPDATE SET
           hours = EXCLUDED.hours, count = EXCLUDED.count, valid = EXCLUDED.valid, good = EXCLUDED.good, fast = EXCLUDED.fast, sketch = EXCLUDED.sketch`,
        [
          chunk.map((d) => d.scope),
          chunk.map((d) => d.metric),
          chunk.map((d) => d.day),
          chunk.map((d) => d.hours),
          chunk.map((d) => d.count),
          chunk.map((d) => d.valid),
          chunk.map((d) => d.good),
          chunk.map((d) => d.fast),
          chunk.map((d) => Buffer.from(d.sketch.buffer, d.sketch.byteOffset, d.sketch.byteLength)),
        ],
      );
    }
    await client.query(`DELETE FROM ${this.schema}.day_refolds WHERE start >= $1 AND start < $2 AND seq <= $3`, [from, to, seen]);
    await client.query(`UPDATE ${this.schema}.day_folds SET folded_to = GREATEST(folded_to, $1) WHERE id = 1`, [to]);
    // A month already folded whose day this was: its rows are to be built again.
    await client.query(`UPDATE ${this.schema}.month_folds SET stale = true WHERE month < $1 AND end_at > $2`, [to, from]);
  }

  async deviceDigests(query: { from: number; to: number }): Promise<DeviceDigestRow[]> {
    const { rows } = await this.pool.query(`SELECT month, device, body FROM ${this.schema}.device_digests WHERE month >= $1 AND month < $2 ORDER BY month, device`, [query.from, query.to]);
    return (rows as Array<{ month: string; device: string; body: Buffer }>).map((r) => ({ device: r.device, month: Number(r.month), body: new Uint8Array(r.body) }));
  }

  async foldDeviceHours(before: number, fold: DeviceFold): Promise<number> {
    let folded = 0;
    let after = 'device:';
    for (;;) {
      let page: string[] = [];
      await this.inTransaction(async (client) => {
        // One folder at a time: a second waits here, then finds the rows the first deleted gone.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wardwatch-fold-devices-${this.schema}`]);
        const scopes = await client.query(
          `SELECT DISTINCT scope FROM ${this.schema}.rollups WHERE resolution = '1h' AND scope > $1 AND scope < 'device;' AND start < $2 ORDER BY scope LIMIT ${FOLD_BATCH_DEVICES}`,
          [after, before],
        );
        page = (scopes.rows as Array<{ scope: string }>).map((r) => r.scope);
        if (page.length === 0) return;
        const { rows } = await client.query(
          `SELECT scope, metric, resolution, start, count, valid, good, fast, sketch FROM ${this.schema}.rollups WHERE resolution = '1h' AND scope = ANY($1::text[]) AND start < $2`,
          [page, before],
        );
        const devices = page.map((s) => s.slice('device:'.length));
        const stored = await client.query(`SELECT device, month, body FROM ${this.schema}.device_digests WHERE device = ANY($1::text[])`, [devices]);
        const byScope = new Map<string, RollupRecord[]>();
        for (const row of rows) {
          const r = toRecord(row);
          byScope.set(r.scope, [...(byScope.get(r.scope) ?? []), r]);
        }
        const storedBy = new Map<string, Map<number, Uint8Array>>();
        for (const r of stored.rows as Array<{ device: string; month: string; body: Buffer }>) {
          if (!storedBy.has(r.device)) storedBy.set(r.device, new Map());
          storedBy.get(r.device)!.set(Number(r.month), new Uint8Array(r.body));
        }
        const months: number[] = [];
        const names: string[] = [];
        const bodies: Buffer[] = [];
        for (const scope of page) {
          const device = scope.slice('device:'.length);
          for (const d of fold(device, byScope.get(scope) ?? [], storedBy.get(device) ?? new Map())) {
            months.push(d.month);
            names.push(device);
            bodies.push(Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength));
          }
        }
        await client.query(
          `INSERT INTO ${this.schema}.device_digests (month, device, body) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])
           ON CONFLICT (month, device) DO UPDATE SET body = EXCLUDED.body`,
          [months, names, bodies],
        );
        const dropped = await client.query(`DELETE FROM ${this.schema}.rollups WHERE resolution = '1h' AND scope = ANY($1::text[]) AND start < $2`, [page, before]);
        folded += dropped.rowCount ?? 0;
      });
      if (page.length === 0) return folded;
      after = page[page.length - 1]!;
    }
  }

  async recordAlert(alert: SloAlert): Promise<void> {
    const r = toAlertRow(alert);
    await this.pool.query(
      `INSERT INTO ${this.schema}.alerts (fingerprint, starts_at, ends_at, slo, scope, severity, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (fingerprint, starts_at) DO UPDATE SET ends_at = EXCLUDED.ends_at, slo = EXCLUDED.slo, scope = EXCLUDED.scope, severity = EXCLUDED.severity, body = EXCLUDED.body`,
      [r.fingerprint, r.starts_at, r.ends_at, r.slo, r.scope, r.severity, r.body],
    );
  }

  async alertHistory(query: AlertHistoryQuery): Promise<SloAlert[]> {
    const { rows } = await this.pool.query(
      `SELECT body FROM ${this.schema}.alerts WHERE starts_at < $1 AND (ends_at IS NULL OR ends_at > $2) ORDER BY starts_at, fingerprint`,
      [query.to, query.from],
    );
    return (rows as Array<{ body: string }>).map(fromAlertRow);
  }

  async openAlerts(): Promise<SloAlert[]> {
    const { rows } = await this.pool.query(`SELECT body FROM ${this.schema}.alerts WHERE ends_at IS NULL ORDER BY starts_at, fingerprint`);
    return (rows as Array<{ body: string }>).map(fromAlertRow);
  }

  async addAnnotation(annotation: Annotation): Promise<void> {
    const r = toAnnotationRow(annotation);
    await this.pool.query(
      `INSERT INTO ${this.schema}.annotations (id, trust, scope, kind, title, note, start, end_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET trust = EXCLUDED.trust, scope = EXCLUDED.scope, kind = EXCLUDED.kind, title = EXCLUDED.title,
         note = EXCLUDED.note, start = EXCLUDED.start, end_at = EXCLUDED.end_at, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
      [r.id, r.trust, r.scope, r.kind, r.title, r.note, r.start, r.end_at, r.created_by, r.created_at],
    );
  }

  async annotations(query: AnnotationQuery = {}): Promise<Annotation[]> {
    const params: unknown[] = [];
    const where = annotationWhere(query, (v) => (params.push(v), `$${params.length}`));
    const { rows } = await this.pool.query(`SELECT * FROM ${this.schema}.annotations ${where} ORDER BY start, id`, params);
    return (rows as AnnotationRow[]).map(fromAnnotationRow);
  }

  async deleteAnnotation(id: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.schema}.annotations WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const r = toAuditRow(entry);
    await this.pool.query(
      `INSERT INTO ${this.schema}.audit (at, action, actor, actor_name, role, ip, target, status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.at, r.action, r.actor, r.actor_name, r.role, r.ip, r.target, r.status, r.detail],
    );
  }

  async putSilence(silence: Silence): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.silences (id, starts_at, ends_at, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, body = EXCLUDED.body`,
      [silence.id, silence.startsAt, silence.endsAt, JSON.stringify(silence)],
    );
  }

  async deleteSilence(id: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.schema}.silences WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async storedSilences(now: number): Promise<Silence[]> {
    const { rows } = await this.pool.query(`SELECT body FROM ${this.schema}.silences WHERE ends_at > $1 ORDER BY starts_at, id`, [now]);
    return (rows as Array<{ body: string }>).map((r) => JSON.parse(r.body) as Silence);
  }

  async putAssignment(fingerprint: string, assignment: AlertAssignment): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.alert_assignments (fingerprint, assigned_at, body) VALUES ($1, $2, $3)
       ON CONFLICT (fingerprint) DO UPDATE SET assigned_at = EXCLUDED.assigned_at, body = EXCLUDED.body`,
      [fingerprint, assignment.assignedAt, JSON.stringify(assignment)],
    );
  }

  async deleteAssignment(fingerprint: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.schema}.alert_assignments WHERE fingerprint = $1`, [fingerprint]);
    return (result.rowCount ?? 0) > 0;
  }

  async storedAssignments(): Promise<StoredAssignment[]> {
    const { rows } = await this.pool.query(`SELECT fingerprint, body FROM ${this.schema}.alert_assignments ORDER BY assigned_at, fingerprint`);
    return (rows as Array<{ fingerprint: string; body: string }>).map((r) => ({ fingerprint: r.fingerprint, assignment: JSON.parse(r.body) as AlertAssignment }));
  }

  async addApiToken(token: ApiToken, sha256: string): Promise<void> {
    const r = toApiTokenRow(token, sha256);
    await this.pool.query(
      `INSERT INTO ${this.schema}.api_tokens (id, sha256, name, role, trusts, created_by, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.sha256, r.name, r.role, r.trusts, r.created_by, r.created_at, r.expires_at, r.revoked_at],
    );
  }

  async apiTokenByHash(sha256: string): Promise<ApiToken | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.schema}.api_tokens WHERE sha256 = $1`, [sha256]);
    return rows[0] ? fromApiTokenRow(rows[0] as ApiTokenRow) : undefined;
  }

  async apiTokens(): Promise<ApiToken[]> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.schema}.api_tokens ORDER BY created_at, id`);
    return (rows as ApiTokenRow[]).map(fromApiTokenRow);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    const result = await this.pool.query(`UPDATE ${this.schema}.api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, [at, id]);
    return (result.rowCount ?? 0) > 0;
  }

  async auditEntries(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query(`SELECT * FROM ${this.schema}.audit ${auditWhere(query, (v) => (params.push(v), `$${params.length}`))}`, params);
    return (rows as AuditRow[]).map(fromAuditRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Drops the schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }
}

/** Adds a query's scope (exact, or a "prefix*" range) and metric to a WHERE clause's terms and parameters. */
function whereScopeAndMetric(q: { scope: string; metric?: string }, where: string[], params: unknown[]): void {
  const range = prefixRange(q.scope);
  if (range) {
    params.push(range.from, range.to);
    where.push(`scope >= $${params.length - 1}`, `scope < $${params.length}`);
  } else {
    params.push(q.scope);
    where.push(`scope = $${params.length}`);
  }
  if (q.metric) {
    params.push(q.metric);
    where.push(`metric = $${params.length}`);
  }
}

function toRecord(row: Record<string, unknown>): RollupRecord {
  return {
    scope: row.scope as string,
    metric: row.metric as string,
    resolution: row.resolution as Resolution,
    start: Number(row.start),
    count: Number(row.count),
    valid: Number(row.valid),
    good: Number(row.good),
    fast: Number(row.fast),
    sketch: row.sketch ? new Uint8Array(row.sketch as Buffer) : new Uint8Array(0),
  };
}

function toDayRecord(row: Record<string, unknown>): DayRollupRecord {
  return {
    scope: row.scope as string,
    metric: row.metric as string,
    day: Number(row.day),
    hours: Number(row.hours),
    count: Number(row.count),
    valid: Number(row.valid),
    good: Number(row.good),
    fast: Number(row.fast),
    sketch: row.sketch ? new Uint8Array(row.sketch as Buffer) : new Uint8Array(0),
  };
}
