// The SQLite store's tables, one migration per entry, applied in order and never edited once shipped
// (a store records the number it has applied: sqlite-store.ts migrate()).

export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rollups (
     scope TEXT NOT NULL,
     metric TEXT NOT NULL,
     resolution TEXT NOT NULL CHECK (resolution IN ('1m', '5m', '1h')),
     start INTEGER NOT NULL,
     count INTEGER NOT NULL CHECK (count >= 0),
     valid INTEGER NOT NULL CHECK (valid >= 0),
     good INTEGER NOT NULL CHECK (good >= 0),
     fast INTEGER NOT NULL CHECK (fast >= 0),
     sketch BLOB NOT NULL,
     PRIMARY KEY (resolution, scope, metric, start)
   ) WITHOUT ROWID;
   CREATE INDEX rollups_by_time ON rollups (resolution, start);
   CREATE TABLE checkpoints (
     grp TEXT NOT NULL,
     topic TEXT NOT NULL,
     partition INTEGER NOT NULL,
     "offset" TEXT NOT NULL,
     state BLOB,
     PRIMARY KEY (grp, topic, partition)
   );`,
  `CREATE TABLE annotations (
     id TEXT PRIMARY KEY,
     trust TEXT NOT NULL,
     scope TEXT NOT NULL,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     note TEXT,
     start INTEGER NOT NULL,
     end_at INTEGER,
     created_by TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX annotations_by_trust ON annotations (trust, start);`,
  `CREATE TABLE audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     action TEXT NOT NULL,
     actor TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     role TEXT NOT NULL,
     ip TEXT NOT NULL,
     target TEXT NOT NULL,
     status INTEGER NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX audit_by_time ON audit (at);`,
  `CREATE TABLE api_tokens (
     id TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     trusts TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     revoked_at INTEGER
   );`,
  `CREATE TABLE silences (
     id TEXT PRIMARY KEY,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER NOT NULL,
     body TEXT NOT NULL
   );`,
  `CREATE TABLE alert_assignments (
     fingerprint TEXT PRIMARY KEY,
     assigned_at INTEGER NOT NULL,
     body TEXT NOT NULL
   );`,
  `CREATE TABLE alerts (
     fingerprint TEXT NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER,
     slo TEXT NOT NULL,
     scope TEXT NOT NULL,
     severity TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (fingerprint, starts_at)
   );
   CREATE INDEX alerts_by_start ON alerts (starts_at);`,
  `CREATE TABLE device_digests (
     month INTEGER NOT NULL,
     device TEXT NOT NULL,
     body BLOB NOT NULL,
     PRIMARY KEY (month, device)
   ) WITHOUT ROWID;
   CREATE INDEX device_digests_by_device ON device_digests (device, month);`,
  `CREATE TABLE day_rollups (
     scope TEXT NOT NULL,
     metric TEXT NOT NULL,
     day INTEGER NOT NULL,
     hours INTEGER NOT NULL,
     count INTEGER NOT NULL CHECK (count >= 0),
     valid INTEGER NOT NULL CHECK (valid >= 0),
     good INTEGER NOT NULL CHECK (good >= 0),
     fast INTEGER NOT NULL CHECK (fast >= 0),
     sketch BLOB NOT NULL,
     PRIMARY KEY (scope, metric, day)
   );
   CREATE INDEX day_rollups_by_day ON day_rollups (day);
   CREATE TABLE day_folds (id INTEGER PRIMARY KEY CHECK (id = 1), folded_to INTEGER NOT NULL);
   INSERT INTO day_folds (id, folded_to) VALUES (1, 0);
   CREATE TABLE day_refolds (start INTEGER PRIMARY KEY);`,
  // A fold reads and merges a day's rows outside any write lock (folding_to: writes below it are noted
  // from the moment a fold begins); a note's seq tells the fold which notes its read has covered.
  `ALTER TABLE day_folds ADD COLUMN folding_to INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE day_refolds ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;`,
  // Pieces of a partition's checkpointed state written apart from it (PartitionCheckpoint.parts).
  `CREATE TABLE checkpoint_parts (
     grp TEXT NOT NULL,
     topic TEXT NOT NULL,
     partition INTEGER NOT NULL,
     name TEXT NOT NULL,
     bytes BLOB NOT NULL,
     PRIMARY KEY (grp, topic, partition, name)
   ) WITHOUT ROWID;`,
  // The month tier (month-rollup-store.ts): wards' and access points' months, and which months are folded.
  `CREATE TABLE month_rollups (
     scope TEXT NOT NULL,
     metric TEXT NOT NULL,
     month INTEGER NOT NULL,
     end_at INTEGER NOT NULL,
     days INTEGER NOT NULL,
     count INTEGER NOT NULL CHECK (count >= 0),
     valid INTEGER NOT NULL CHECK (valid >= 0),
     good INTEGER NOT NULL CHECK (good >= 0),
     fast INTEGER NOT NULL CHECK (fast >= 0),
     sketch BLOB NOT NULL,
     PRIMARY KEY (scope, metric, month)
   );
   CREATE INDEX month_rollups_by_month ON month_rollups (month);
   CREATE TABLE month_folds (month INTEGER PRIMARY KEY, end_at INTEGER NOT NULL, stale INTEGER NOT NULL DEFAULT 0);`,
  // Every day-tier scope's months, a site's with its hours with data (the pack's coverage).
  `ALTER TABLE month_rollups ADD COLUMN hours BLOB NOT NULL DEFAULT x'';`,
  // Months folded by the month tier's first version (wards and access points only) have no rows of
  // sites or site applications: folded again where that loses nothing (their wards' days still kept,
  // or no month rows at all), so that a whole month read from its month rows has every scope's.
  `UPDATE month_folds SET stale = 1
   WHERE NOT EXISTS (SELECT 1 FROM month_rollups m WHERE m.month = month_folds.month AND m.scope >= 'site:' AND m.scope < 'site;')
   AND (EXISTS (SELECT 1 FROM day_rollups d WHERE d.day >= month_folds.month AND d.day < month_folds.end_at AND ((d.scope >= 'ward:' AND d.scope < 'ward;') OR (d.scope >= 'ap:' AND d.scope < 'ap;')))
        OR NOT EXISTS (SELECT 1 FROM month_rollups m WHERE m.month = month_folds.month));`,
  // Where rollups were written lately (rollup-change-log.ts).
  // A write's row has min_start (its earliest window), a prune's deleted_before (its cut-off).
  `CREATE TABLE rollup_writes (written_at INTEGER NOT NULL, resolution TEXT NOT NULL, min_start INTEGER, deleted_before INTEGER);
   CREATE INDEX rollup_writes_by_time ON rollup_writes (written_at);`,
];
