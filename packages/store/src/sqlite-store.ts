// The embedded store: rollups and checkpoints in one SQLite file (WAL), via better-sqlite3.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DEVICE_SCOPE, MONTH_SCOPE, prefixRange, REFOLD_NOTE_REACH_MS } from './prefix.ts';
import { RESOLUTION_MS, type PartitionCheckpoint, type Resolution, type RollupKey, type RollupQuery, type RollupRecord, type RollupStore } from './rollup-store.ts';
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
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';

const NO_SKETCH = new Uint8Array(0);


interface Row {
  scope: string;
  metric: string;
  resolution: Resolution;
  start: number;
  count: number;
  valid: number;
  good: number;
  fast: number;
  sketch: Buffer;
}

/** A day row as SQLite returns it: the sketch a Buffer, absent when read counts only. */
type DayRow = Omit<DayRollupRecord, 'sketch'> & { sketch?: Buffer };
/** A month row as SQLite returns it. */
type MonthRow = Omit<MonthRollupRecord, 'sketch' | 'end' | 'hours'> & { end_at: number; hours: Buffer; sketch?: Buffer };

// A day row around a recorded change at its scope (kept for the before-and-after comparison).
const NEAR_CHANGE = `EXISTS (SELECT 1 FROM annotations a WHERE a.kind = 'change' AND a.scope = day_rollups.scope AND day_rollups.day >= a.start - ${CHANGE_DAYS_KEPT_MS} AND day_rollups.day < a.start + ${CHANGE_DAYS_KEPT_MS})`;

const DAY_MS = 86_400_000;

/** About how many rows one statement of a prune deletes (prune): tens of ms, 0.15 s at most for a 10,000-device trust's first prune after its history. */
const PRUNE_SLICE_ROWS = 4000;

/** The size the write-ahead log is cut back to after a checkpoint (journal_size_limit). */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

export class SqliteRollupStore implements RollupStore, RollupChangeLog, AnnotationStore, AuditStore, ApiTokenStore, SilenceStore, AssignmentStore, AlertHistoryStore, DeviceDigestStore, DayRollupStore, MonthRollupStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly logWrite: Database.Statement;
  private readonly saveCheckpoint: Database.Statement;
  private readonly loadCheckpoint: Database.Statement;
  private readonly readCheckpoint: (group: string, topic: string, partition: number) => PartitionCheckpoint | undefined;
  private readonly writeAll: Database.Transaction<(records: RollupRecord[], checkpoint?: PartitionCheckpoint) => void>;
  private readonly lookupAll: (keys: RollupKey[]) => RollupRecord[];

  /** `path` is a file (its folder is created) or ":memory:". */
  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      // A new file is the owner's alone (SQLite gives its WAL and shared-memory files the same mode):
      // it holds the audit trail (names, addresses) and API token hashes, not for other local users.
      closeSync(openSync(path, 'a', 0o600));
    }
    this.db = new Database(path);
    // 16 kB pages for a new file (an existing one keeps its own): a row longer than about a quarter of
    // a page spills into overflow pages, and with 4 kB pages a site's hourly sketch (1–2 kB) took a
    // 4 kB overflow page for its last few hundred bytes — files were 2.5 × their rows' bytes. Set
    // before WAL, which fixes the page size.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // SQLite keeps its write-ahead log at its largest and reuses it: after the demo's history (one
    // large write) the log stayed at 68 MB beside a 131 MB file, for good. After a checkpoint it is
    // now cut back to this size.
    this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    this.migrate();
    this.upsert = this.db.prepare(
      `INSERT OR REPLACE INTO rollups (scope, metric, resolution, start, count, valid, good, fast, sketch)
       VALUES (@scope, @metric, @resolution, @start, @count, @valid, @good, @fast, @sketch)`,
    );
    this.logWrite = this.db.prepare('INSERT INTO rollup_writes (written_at, resolution, min_start, deleted_before) VALUES (?, ?, ?, ?)');
    this.saveCheckpoint = this.db.prepare(
      `INSERT OR REPLACE INTO checkpoints (grp, topic, partition, "offset", state) VALUES (?, ?, ?, ?, ?)`,
    );
    this.loadCheckpoint = this.db.prepare(`SELECT "offset", state FROM checkpoints WHERE grp = ? AND topic = ? AND partition = ?`);
    const foldedTo = this.db.prepare('SELECT MAX(folded_to, folding_to) FROM day_folds WHERE id = 1').pluck();
    const noteRefold = this.db.prepare(
      'INSERT INTO day_refolds (start, seq) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM day_refolds)) ON CONFLICT (start) DO UPDATE SET seq = excluded.seq',
    );
    const dropParts = this.db.prepare('DELETE FROM checkpoint_parts WHERE grp = ? AND topic = ? AND partition = ? AND name NOT IN (SELECT value FROM json_each(?))');
    const savePart = this.db.prepare('INSERT OR REPLACE INTO checkpoint_parts (grp, topic, partition, name, bytes) VALUES (?, ?, ?, ?, ?)');
    const loadParts = this.db.prepare('SELECT name, bytes FROM checkpoint_parts WHERE grp = ? AND topic = ? AND partition = ? ORDER BY name');
    // One read transaction: the row and its parts from the same moment.
    this.readCheckpoint = this.db.transaction((group: string, topic: string, partition: number) => {
      const row = this.loadCheckpoint.get(group, topic, partition) as { offset: string; state: Buffer | null } | undefined;
      if (!row) return undefined;
      const checkpoint: PartitionCheckpoint = { group, topic, partition, offset: row.offset, state: row.state ? new Uint8Array(row.state) : null };
      const parts = (loadParts.all(group, topic, partition) as Array<{ name: string; bytes: Buffer }>).map(({ name, bytes }) => ({ name, bytes: new Uint8Array(bytes) }));
      if (parts.length > 0) checkpoint.parts = { put: parts, keep: parts.map((p) => p.name) };
      return checkpoint;
    });
    this.writeAll = this.db.transaction((records: RollupRecord[], checkpoint?: PartitionCheckpoint) => {
      // An hourly row below what the day tier holds or a fold is reading (a late correction, history
      // written afterwards): its day is noted to be folded again, in the same transaction as the row.
      const folded = foldedTo.get() as number;
      for (const r of records) {
        this.upsert.run({ ...r, sketch: Buffer.from(r.sketch.buffer, r.sketch.byteOffset, r.sketch.byteLength) });
        if (r.resolution === '1h' && r.start < folded && isDayScope(r.scope)) noteRefold.run(r.start);
      }
      const writtenAt = Date.now();
      for (const [resolution, start] of earliestStarts(records)) this.logWrite.run(writtenAt, resolution, start, null);
      if (checkpoint) {
        const { group, topic, partition, parts } = checkpoint;
        this.saveCheckpoint.run(group, topic, partition, checkpoint.offset, checkpoint.state ? Buffer.from(checkpoint.state) : null);
        dropParts.run(group, topic, partition, JSON.stringify(parts?.keep ?? []));
        for (const { name, bytes } of parts?.put ?? []) savePart.run(group, topic, partition, name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
    });
    // One primary-key probe per key, all inside one read transaction (one snapshot, one lock).
    const byKey = this.db.prepare('SELECT * FROM rollups WHERE resolution = ? AND scope = ? AND metric = ? AND start = ?');
    this.lookupAll = this.db.transaction((keys: RollupKey[]) => {
      const found: RollupRecord[] = [];
      for (const k of keys) {
        const row = byKey.get(k.resolution, k.scope, k.metric, k.start) as Row | undefined;
        if (row) found.push(withSketch(row));
      }
      return found;
    });
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    SQLITE_MIGRATIONS.slice(applied).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(applied + i + 1, new Date().toISOString());
      })();
    });
  }

  async write(records: RollupRecord[], checkpoint?: PartitionCheckpoint): Promise<void> {
    // IMMEDIATE: the transaction reads the day tier's mark before it writes; taking the write lock
    // first keeps another connection's fold from moving the mark in between.
    this.writeAll.immediate(records, checkpoint);
  }

  async query(q: RollupQuery): Promise<RollupRecord[]> {
    const columns = q.countsOnly ? COUNT_COLUMNS : undefined;
    const range = prefixRange(q.scope);
    const rows = (range && q.metric ? this.queryEachScope(columns, q, range, q.metric) : this.queryRange(columns, q)) as Row[];
    if (q.countsOnly) return rows.map((row) => ({ ...row, sketch: NO_SKETCH }));
    return rows.map(withSketch);
  }

  /** `columns`: those named, or every column when undefined. */
  private queryRange(columns: readonly string[] | undefined, q: RollupQuery): unknown[] {
    // "+start" keeps SQLite off the time index: without statistics it prefers that index, and then
    // walks every scope in the time range (a month of hourly device rollups to find twelve sites'),
    // where the primary key (resolution, scope, metric, start) goes straight to the scopes asked for.
    const where = ['resolution = ?', '+start >= ?', '+start < ?'];
    const params: unknown[] = [q.resolution, q.from, q.to];
    whereScopeAndMetric(q, where, params);
    return this.db.prepare(`SELECT ${columns?.join(', ') ?? '*'} FROM rollups WHERE ${where.join(' AND ')} ORDER BY start, scope, metric`).all(...params);
  }

  /**
   * A prefix of scopes and one metric ("site:*", app.totalMs): the scopes in the range hopped through
   * one key look-up each, then each scope's rows of that metric and time range read straight from the
   * primary key. A walk of the range would read every metric and every window of every scope in it —
   * for the SLO evaluator's newest minute, three months of hourly rows of all the sites' metrics, a
   * cost that grew with the history and the estate (docs/benchmarks.md, "Demo history at start").
   */
  private queryEachScope(columns: readonly string[] | undefined, q: RollupQuery, range: { from: string; to: string }, metric: string): unknown[] {
    const picked = columns?.map((c) => `r.${c}`).join(', ') ?? 'r.*';
    return this.db
      .prepare(
        `WITH RECURSIVE scopes(scope) AS (
           SELECT (SELECT scope FROM rollups WHERE resolution = @resolution AND scope >= @lowest AND scope < @above ORDER BY scope LIMIT 1)
           UNION ALL
           SELECT (SELECT scope FROM rollups WHERE resolution = @resolution AND scope > scopes.scope AND scope < @above ORDER BY scope LIMIT 1)
           FROM scopes WHERE scopes.scope IS NOT NULL
         )
         SELECT ${picked} FROM scopes CROSS JOIN rollups r
         WHERE r.resolution = @resolution AND r.scope = scopes.scope AND r.metric = @metric AND r.start >= @from AND r.start < @to
         ORDER BY r.start, r.scope, r.metric`,
      )
      .all({ resolution: q.resolution, lowest: range.from, above: range.to, metric, from: q.from, to: q.to });
  }

  async rollupChanges(since: number, known?: ReadonlySet<number>): Promise<RollupChanges> {
    const at = Date.now();
    // rowid: one writer at a time, so ids never meet twice among entries a reader can know (the log
    // empties, and ids could start again, only after a day without writes: past what a reader keeps).
    const entries = this.db
      .prepare('SELECT rowid AS id, resolution, min_start AS start, deleted_before AS deleted FROM rollup_writes WHERE written_at >= ?')
      .all(Number.isFinite(since) ? Math.floor(since) : -1) as Array<{ id: number; resolution: string; start: number | null; deleted: number | null }>;
    return changesOf(at, entries, known);
  }

  async lookup(keys: RollupKey[]): Promise<RollupRecord[]> {
    return keys.length === 0 ? [] : this.lookupAll(keys);
  }

  async checkpoint(group: string, topic: string, partition: number): Promise<PartitionCheckpoint | undefined> {
    return this.readCheckpoint(group, topic, partition);
  }

  async prune(now: number, retentionMs: Record<Resolution, number>, tiers: TierRetention = TIER_RETENTION_MS): Promise<number> {
    let deleted = 0;
    const foldedTo = this.db.prepare('SELECT folded_to FROM day_folds WHERE id = 1').pluck().get() as number;
    const statement = this.db.prepare('DELETE FROM rollups WHERE resolution = ? AND start >= ? AND start < ?');
    // A note past the hours' retention whose day the tier already holds: a write that late into a day
    // folded with its data (whose other hours are gone) is not folded again over it — its day rows stay.
    this.db
      .prepare('DELETE FROM day_refolds WHERE start < ? AND EXISTS (SELECT 1 FROM day_rollups d WHERE d.day <= day_refolds.start AND d.day > day_refolds.start - ?)')
      .run(now - retentionMs['1h'], REFOLD_NOTE_REACH_MS);
    // Hourly rows of the day tier's scopes only where their day is folded (devices have their digests)
    // and not noted to be folded again: history written behind the fold (the demo's months, written
    // while the first folds ran) is in no day row yet, and its hours are all there is of it.
    const hourly = this.db.prepare(
      `DELETE FROM rollups WHERE resolution = '1h' AND start >= ? AND start < ? AND (${DEVICE_SCOPE} OR (start < ?
       AND NOT EXISTS (SELECT 1 FROM day_refolds n WHERE n.start > rollups.start - ? AND n.start < rollups.start + ?)))`,
    );
    const prunedAt = Date.now();
    // Where a slice of about PRUNE_SLICE_ROWS rows (by start, on the time index) ends; the next start
    // after `from` where more than that share one start.
    const sliceEnd = this.db.prepare(`SELECT start FROM rollups WHERE resolution = ? AND start >= ? AND start < ? ORDER BY start LIMIT 1 OFFSET ${PRUNE_SLICE_ROWS}`).pluck();
    const nextStart = this.db.prepare('SELECT MIN(start) FROM rollups WHERE resolution = ? AND start > ? AND start < ?').pluck();
    const firstStart = this.db.prepare('SELECT MIN(start) FROM rollups WHERE resolution = ? AND start < ?').pluck();
    for (const [resolution, keep] of Object.entries(retentionMs)) {
      // A slice of rows a statement, the thread given a turn between: the store is synchronous, and on
      // the embedded pipeline's main thread the first prune after a start with history (the hours of a
      // month at once) held the dashboard's requests half a second; a day of a 10,000-device trust's
      // hours is 0.6 s. (Slices by time were too many statements for a small estate, or too large a
      // statement for a large one: each statement commits.)
      const before = now - keep;
      let gone = 0;
      let from = firstStart.get(resolution, before) as number | null;
      while (from !== null) {
        let to = sliceEnd.get(resolution, from, before) as number | undefined;
        if (to === from) to = (nextStart.get(resolution, from, before) as number | null) ?? before;
        to ??= before;
        gone += resolution === '1h' ? hourly.run(from, to, foldedTo, REFOLD_NOTE_REACH_MS, REFOLD_NOTE_REACH_MS).changes : statement.run(resolution, from, to).changes;
        await setImmediate();
        from = to < before ? to : null;
      }
      if (gone > 0) this.logWrite.run(prunedAt, resolution, null, before);
      deleted += gone;
    }
    this.db.prepare('DELETE FROM rollup_writes WHERE written_at < ?').run(prunedAt - ROLLUP_CHANGES_KEPT_MS);
    const history = now - tiers.history;
    deleted += this.db.prepare('DELETE FROM alerts WHERE ends_at < ?').run(history).changes;
    deleted += this.db.prepare('DELETE FROM device_digests WHERE month < ?').run(history).changes;
    deleted += this.db.prepare('DELETE FROM day_rollups WHERE day < ?').run(history).changes;
    deleted += this.db.prepare('DELETE FROM month_rollups WHERE month < ?').run(history).changes;
    this.db.prepare('DELETE FROM month_folds WHERE end_at < ?').run(history);
    // Days a whole month at a time, once the month's rows are written (and are not to be built again)
    // and its last day is past their scope's retention: a month is read by day or whole. The days
    // around a recorded change stay (the before-and-after comparison reads them).
    const folded = `EXISTS (SELECT 1 FROM month_folds f WHERE f.month <= day_rollups.day AND f.end_at > day_rollups.day AND f.stale = 0 AND f.end_at <= ?)`;
    const days = this.db.prepare(`DELETE FROM day_rollups WHERE ${MONTH_SCOPE} = ? AND ${folded} AND NOT ${NEAR_CHANGE}`);
    deleted += days.run(1, now - tiers.monthScopeDays).changes + days.run(0, now - tiers.siteDays).changes;
    return deleted;
  }

  async dayRollups(q: DayRollupQuery): Promise<DayRollupRecord[]> {
    // "+day": the key (scope, metric, day) serves every query that names a scope; the day index is for
    // pruning. A rowid table, unlike the rollups: its key is an index of its own, so a prefix query for
    // one metric ("ward:S1/*", logons) walks the wards' small index entries of every metric and day, and
    // reads only the rows it wants, where a WITHOUT ROWID table's walk would read every row's sketch.
    const where = ['+day >= ?', '+day < ?'];
    const params: unknown[] = [q.from, q.to];
    whereScopeAndMetric(q, where, params);
    const columns = q.countsOnly ? 'scope, metric, day, hours, count, valid, good, fast' : '*';
    const rows = this.db.prepare(`SELECT ${columns} FROM day_rollups WHERE ${where.join(' AND ')} ORDER BY day, scope, metric`).all(...params) as DayRow[];
    return rows.map((r) => ({ ...r, sketch: r.sketch ? new Uint8Array(r.sketch.buffer, r.sketch.byteOffset, r.sketch.byteLength) : NO_SKETCH }));
  }

  async dayFoldState(): Promise<DayFoldState> {
    const foldedTo = this.db.prepare('SELECT folded_to FROM day_folds WHERE id = 1').pluck().get() as number;
    const refold = this.db.prepare('SELECT start FROM day_refolds ORDER BY start').pluck().all() as number[];
    const firstHour = this.db.prepare(`SELECT start FROM rollups WHERE resolution = '1h' AND NOT (scope >= 'device:' AND scope < 'device;') ORDER BY start LIMIT 1`).pluck().get() as number | undefined;
    return { foldedTo, refold, firstHour };
  }

  async foldDay(from: number, to: number, fold: DayFold): Promise<number> {
    // Three steps, so that no write waits for the reading and merging (seconds for a large trust's day):
    // mark the span as being folded (writes into it are noted from now on) and see which notes exist;
    // read the day's rows and fold them, holding no write lock; write the day rows, drop the notes the
    // read covered, and move the mark. A fold that fails leaves the notes, and the day unfolded.
    const begin = this.db.transaction(() => {
      this.db.prepare('UPDATE day_folds SET folding_to = MAX(folding_to, ?) WHERE id = 1').run(to);
      return this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM day_refolds').pluck().get() as number;
    });
    const seen = begin.immediate();
    // The time index: a day's hourly rows of every scope, where the primary key would walk each scope's
    // whole history. An hour a statement, the thread given a turn between (a 10,000-device trust's day
    // read at once held it 0.4 s); a row written meanwhile is noted, as one written after the read.
    const hour = this.db.prepare(`SELECT * FROM rollups WHERE resolution = '1h' AND start >= ? AND start < ? AND NOT (scope >= 'device:' AND scope < 'device;')`);
    const rows: RollupRecord[] = [];
    const HOUR = RESOLUTION_MS['1h'];
    for (let start = from; start < to; start += HOUR) {
      for (const row of hour.all(start, Math.min(to, start + HOUR)) as Row[]) rows.push(withSketch(row));
      await setImmediate();
    }
    const days = await foldInTurns(rows, fold);
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO day_rollups (scope, metric, day, hours, count, valid, good, fast, sketch)
       VALUES (@scope, @metric, @day, @hours, @count, @valid, @good, @fast, @sketch)`,
    );
    const finish = this.db.transaction(() => {
      for (const d of days) put.run({ ...d, sketch: Buffer.from(d.sketch.buffer, d.sketch.byteOffset, d.sketch.byteLength) });
      this.db.prepare('DELETE FROM day_refolds WHERE start >= ? AND start < ? AND seq <= ?').run(from, to, seen);
      this.db.prepare('UPDATE day_folds SET folded_to = MAX(folded_to, ?) WHERE id = 1').run(to);
      // A month already folded whose day this was: its rows are to be built again.
      this.db.prepare('UPDATE month_folds SET stale = 1 WHERE month < ? AND end_at > ?').run(to, from);
    });
    finish.immediate();
    return rows.length;
  }

  async monthRollups(q: MonthRollupQuery): Promise<MonthRollupRecord[]> {
    const where = ['+month >= ?', '+month < ?'];
    const params: unknown[] = [q.from, q.to];
    whereScopeAndMetric(q, where, params);
    const columns = q.countsOnly ? 'scope, metric, month, end_at, days, hours, count, valid, good, fast' : '*';
    const rows = this.db.prepare(`SELECT ${columns} FROM month_rollups WHERE ${where.join(' AND ')} ORDER BY month, scope, metric`).all(...params) as MonthRow[];
    const bytes = (b: Buffer | undefined) => (b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : NO_SKETCH);
    return rows.map(({ end_at, sketch, hours, ...r }) => ({ ...r, end: end_at, hours: bytes(hours), sketch: bytes(sketch) }));
  }

  async monthFoldState(): Promise<MonthFoldState> {
    const folded = (this.db.prepare('SELECT month, end_at, stale FROM month_folds ORDER BY month').all() as Array<{ month: number; end_at: number; stale: number }>).map((r) => ({ month: r.month, end: r.end_at, stale: r.stale === 1 }));
    const firstDay = this.db.prepare('SELECT MIN(day) FROM day_rollups').pluck().get() as number | null;
    return { folded, firstDay: firstDay ?? undefined };
  }

  async foldMonth(from: number, to: number, fold: MonthFold): Promise<number> {
    // The day index, as foldDay reads hours: a month's rows of every scope, a day a statement and
    // folded in pieces, the thread given a turn between (a 10,000-device trust's month read and folded
    // at once held it about a second).
    const day = this.db.prepare('SELECT * FROM day_rollups WHERE day >= ? AND day < ?');
    const rows: DayRollupRecord[] = [];
    for (let start = from; start < to; start += DAY_MS) {
      for (const r of day.all(start, Math.min(to, start + DAY_MS)) as DayRow[]) rows.push({ ...r, sketch: r.sketch ? new Uint8Array(r.sketch.buffer, r.sketch.byteOffset, r.sketch.byteLength) : NO_SKETCH });
      await setImmediate();
    }
    const months = await foldInTurns(rows, fold);
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO month_rollups (scope, metric, month, end_at, days, hours, count, valid, good, fast, sketch)
       VALUES (@scope, @metric, @month, @end, @days, @hours, @count, @valid, @good, @fast, @sketch)`,
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM month_rollups WHERE month = ?').run(from);
      const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      for (const m of months) put.run({ ...m, hours: buffer(m.hours), sketch: buffer(m.sketch) });
      this.db.prepare('INSERT OR REPLACE INTO month_folds (month, end_at, stale) VALUES (?, ?, 0)').run(from, to);
    }).immediate();
    return rows.length;
  }

  async deviceDigests(query: { from: number; to: number }): Promise<DeviceDigestRow[]> {
    const rows = this.db.prepare('SELECT month, device, body FROM device_digests WHERE month >= ? AND month < ? ORDER BY month, device').all(query.from, query.to) as Array<{ month: number; device: string; body: Buffer }>;
    return rows.map((r) => ({ device: r.device, month: r.month, body: new Uint8Array(r.body.buffer, r.body.byteOffset, r.body.byteLength) }));
  }

  async foldDeviceHours(before: number, fold: DeviceFold): Promise<number> {
    // "+start", as in query(): the primary key goes straight to the devices' rows, where the time index
    // would walk every hourly row of every scope.
    const scopes = this.db.prepare(
      `SELECT DISTINCT scope FROM rollups WHERE resolution = '1h' AND scope > ? AND scope < 'device;' AND +start < ? ORDER BY scope LIMIT ${FOLD_BATCH_DEVICES}`,
    );
    const rowsOf = this.db.prepare(`SELECT * FROM rollups WHERE resolution = '1h' AND scope = ? AND +start < ?`);
    const storedOf = this.db.prepare('SELECT month, body FROM device_digests WHERE device = ?');
    const put = this.db.prepare('INSERT OR REPLACE INTO device_digests (month, device, body) VALUES (?, ?, ?)');
    const drop = this.db.prepare(`DELETE FROM rollups WHERE resolution = '1h' AND scope = ? AND +start < ?`);
    const batch = this.db.transaction((page: string[]) => {
      let folded = 0;
      for (const scope of page) {
        const device = scope.slice('device:'.length);
        const rows = (rowsOf.all(scope, before) as Row[]).map(withSketch);
        const stored = new Map((storedOf.all(device) as Array<{ month: number; body: Buffer }>).map((r) => [r.month, new Uint8Array(r.body)]));
        for (const d of fold(device, rows, stored)) put.run(d.month, device, Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength));
        folded += drop.run(scope, before).changes;
      }
      return folded;
    });
    let folded = 0;
    let after = 'device:';
    for (;;) {
      const page = (scopes.all(after, before) as Array<{ scope: string }>).map((r) => r.scope);
      if (page.length === 0) return folded;
      folded += batch(page);
      after = page[page.length - 1]!;
    }
  }

  async recordAlert(alert: SloAlert): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO alerts (fingerprint, starts_at, ends_at, slo, scope, severity, body) VALUES (@fingerprint, @starts_at, @ends_at, @slo, @scope, @severity, @body)')
      .run(toAlertRow(alert));
  }

  async alertHistory(query: AlertHistoryQuery): Promise<SloAlert[]> {
    const rows = this.db.prepare('SELECT body FROM alerts WHERE starts_at < ? AND (ends_at IS NULL OR ends_at > ?) ORDER BY starts_at, fingerprint').all(query.to, query.from) as Array<{ body: string }>;
    return rows.map(fromAlertRow);
  }

  async openAlerts(): Promise<SloAlert[]> {
    return (this.db.prepare('SELECT body FROM alerts WHERE ends_at IS NULL ORDER BY starts_at, fingerprint').all() as Array<{ body: string }>).map(fromAlertRow);
  }

  async addAnnotation(annotation: Annotation): Promise<void> {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO annotations (id, trust, scope, kind, title, note, start, end_at, created_by, created_at)
         VALUES (@id, @trust, @scope, @kind, @title, @note, @start, @end_at, @created_by, @created_at)`,
      )
      .run(toAnnotationRow(annotation));
  }

  async annotations(query: AnnotationQuery = {}): Promise<Annotation[]> {
    const params: unknown[] = [];
    const where = annotationWhere(query, (v) => (params.push(v), '?'));
    const rows = this.db.prepare(`SELECT * FROM annotations ${where} ORDER BY start, id`).all(...params) as AnnotationRow[];
    return rows.map(fromAnnotationRow);
  }

  async deleteAnnotation(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM annotations WHERE id = ?').run(id).changes > 0;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO audit (at, action, actor, actor_name, role, ip, target, status, detail) VALUES (@at, @action, @actor, @actor_name, @role, @ip, @target, @status, @detail)')
      .run(toAuditRow(entry));
  }

  async putSilence(silence: Silence): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO silences (id, starts_at, ends_at, body) VALUES (?, ?, ?, ?)').run(silence.id, silence.startsAt, silence.endsAt, JSON.stringify(silence));
  }

  async deleteSilence(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM silences WHERE id = ?').run(id).changes > 0;
  }

  async storedSilences(now: number): Promise<Silence[]> {
    const rows = this.db.prepare('SELECT body FROM silences WHERE ends_at > ? ORDER BY starts_at, id').all(now) as Array<{ body: string }>;
    return rows.map((r) => JSON.parse(r.body) as Silence);
  }

  async putAssignment(fingerprint: string, assignment: AlertAssignment): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO alert_assignments (fingerprint, assigned_at, body) VALUES (?, ?, ?)').run(fingerprint, assignment.assignedAt, JSON.stringify(assignment));
  }

  async deleteAssignment(fingerprint: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_assignments WHERE fingerprint = ?').run(fingerprint).changes > 0;
  }

  async storedAssignments(): Promise<StoredAssignment[]> {
    const rows = this.db.prepare('SELECT fingerprint, body FROM alert_assignments ORDER BY assigned_at, fingerprint').all() as Array<{ fingerprint: string; body: string }>;
    return rows.map((r) => ({ fingerprint: r.fingerprint, assignment: JSON.parse(r.body) as AlertAssignment }));
  }

  async addApiToken(token: ApiToken, sha256: string): Promise<void> {
    this.db
      .prepare('INSERT INTO api_tokens (id, sha256, name, role, trusts, created_by, created_at, expires_at, revoked_at) VALUES (@id, @sha256, @name, @role, @trusts, @created_by, @created_at, @expires_at, @revoked_at)')
      .run(toApiTokenRow(token, sha256));
  }

  async apiTokenByHash(sha256: string): Promise<ApiToken | undefined> {
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE sha256 = ?').get(sha256) as ApiTokenRow | undefined;
    return row ? fromApiTokenRow(row) : undefined;
  }

  async apiTokens(): Promise<ApiToken[]> {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id').all() as ApiTokenRow[]).map(fromApiTokenRow);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    return this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async auditEntries(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const rows = this.db.prepare(`SELECT * FROM audit ${auditWhere(query, (v) => (params.push(v), '?'))}`).all(...params) as AuditRow[];
    return rows.map(fromAuditRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Adds a query's scope (exact, or a "prefix*" range) and metric to a WHERE clause's terms and parameters. */
function whereScopeAndMetric(q: { scope: string; metric?: string }, where: string[], params: unknown[]): void {
  const range = prefixRange(q.scope);
  if (range) {
    where.push('scope >= ?', 'scope < ?');
    params.push(range.from, range.to);
  } else {
    where.push('scope = ?');
    params.push(q.scope);
  }
  if (q.metric) {
    where.push('metric = ?');
    params.push(q.metric);
  }
}

/** A rollup's columns but its sketch, for reads of counts only. */
const COUNT_COLUMNS = ['scope', 'metric', 'resolution', 'start', 'count', 'valid', 'good', 'fast'] as const;

function withSketch(row: Row): RollupRecord {
  return { ...row, sketch: new Uint8Array(row.sketch.buffer, row.sketch.byteOffset, row.sketch.byteLength) };
}
