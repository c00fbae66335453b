// The PostgreSQL store's tables in its own schema, one migration per entry, applied in order under an
// advisory lock and never edited once shipped (postgres-store.ts migrate()). Scope columns sort by
// "C" collation, so that the tiers' scope ranges (prefix.ts) are served by their indexes.

export const postgresMigrations = (schema: string): string[] => [
  `CREATE TABLE ${schema}.rollups (
     scope TEXT COLLATE "C" NOT NULL,
     metric TEXT NOT NULL,
     resolution TEXT NOT NULL CHECK (resolution IN ('1m', '5m', '1h')),
     start BIGINT NOT NULL,
     count BIGINT NOT NULL CHECK (count >= 0),
     valid BIGINT NOT NULL CHECK (valid >= 0),
     good BIGINT NOT NULL CHECK (good >= 0),
     fast BIGINT NOT NULL CHECK (fast >= 0),
     sketch BYTEA NOT NULL,
     PRIMARY KEY (resolution, scope, metric, start)
   );
   CREATE INDEX rollups_by_time ON ${schema}.rollups (resolution, start);
   CREATE TABLE ${schema}.checkpoints (
     grp TEXT NOT NULL,
     topic TEXT NOT NULL,
     partition INTEGER NOT NULL,
     "offset" TEXT NOT NULL,
     state BYTEA,
     PRIMARY KEY (grp, topic, partition)
   );`,
  `CREATE TABLE ${schema}.annotations (
     id TEXT PRIMARY KEY,
     trust TEXT NOT NULL,
     scope TEXT NOT NULL,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     note TEXT,
     start BIGINT NOT NULL,
     end_at BIGINT,
     created_by TEXT,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX annotations_by_trust ON ${schema}.annotations (trust, start);`,
  `CREATE TABLE ${schema}.audit (
     seq BIGSERIAL PRIMARY KEY,
     at BIGINT NOT NULL,
     action TEXT NOT NULL,
     actor TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     role TEXT NOT NULL,
     ip TEXT NOT NULL,
     target TEXT NOT NULL,
     status INTEGER NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX audit_by_time ON ${schema}.audit (at);`,
  `CREATE TABLE ${schema}.api_tokens (
     id TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     trusts TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     revoked_at BIGINT
   );`,
  `CREATE TABLE ${schema}.silences (
     id TEXT PRIMARY KEY,
     starts_at BIGINT NOT NULL,
     ends_at BIGINT NOT NULL,
     body TEXT NOT NULL
   );`,
  `CREATE TABLE ${schema}.alert_assignments (
     fingerprint TEXT PRIMARY KEY,
     assigned_at BIGINT NOT NULL,
     body TEXT NOT NULL
   );`,
  `CREATE TABLE ${schema}.alerts (
     fingerprint TEXT NOT NULL,
     starts_at BIGINT NOT NULL,
     ends_at BIGINT,
     slo TEXT NOT NULL,
     scope TEXT NOT NULL,
     severity TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (fingerprint, starts_at)
   );
   CREATE INDEX alerts_by_start ON ${schema}.alerts (starts_at);`,
  `CREATE TABLE ${schema}.device_digests (
     month BIGINT NOT NULL,
     device TEXT COLLATE "C" NOT NULL,
     body BYTEA NOT NULL,
     PRIMARY KEY (month, device)
   );
   CREATE INDEX device_digests_by_device ON ${schema}.device_digests (device, month);`,
  `CREATE TABLE ${schema}.day_rollups (
     scope TEXT COLLATE "C" NOT NULL,
     metric TEXT NOT NULL,
     day BIGINT NOT NULL,
     hours INTEGER NOT NULL,
     count BIGINT NOT NULL CHECK (count >= 0),
     valid BIGINT NOT NULL CHECK (valid >= 0),
     good BIGINT NOT NULL CHECK (good >= 0),
     fast BIGINT NOT NULL CHECK (fast >= 0),
     sketch BYTEA NOT NULL,
     PRIMARY KEY (scope, metric, day)
   );
   CREATE INDEX day_rollups_by_day ON ${schema}.day_rollups (day);
   CREATE TABLE ${schema}.day_folds (id INTEGER PRIMARY KEY CHECK (id = 1), folded_to BIGINT NOT NULL);
   INSERT INTO ${schema}.day_folds (id, folded_to) VALUES (1, 0);
   CREATE TABLE ${schema}.day_refolds (start BIGINT PRIMARY KEY);`,
  // A fold reads and merges a day's rows outside the writers' lock (folding_to: writes below it are
  // noted from the moment a fold begins); a note's seq tells the fold which notes its read has covered.
  `ALTER TABLE ${schema}.day_folds ADD COLUMN folding_to BIGINT NOT NULL DEFAULT 0;
   CREATE SEQUENCE ${schema}.day_refold_seq;
   ALTER TABLE ${schema}.day_refolds ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;`,
  // Pieces of a partition's checkpointed state written apart from it (PartitionCheckpoint.parts).
  `CREATE TABLE ${schema}.checkpoint_parts (
     grp TEXT NOT NULL,
     topic TEXT NOT NULL,
     partition INTEGER NOT NULL,
     name TEXT NOT NULL,
     bytes BYTEA NOT NULL,
     PRIMARY KEY (grp, topic, partition, name)
   );`,
  // The month tier (month-rollup-store.ts): wards' and access points' months, and which months are folded.
  `CREATE TABLE ${schema}.month_rollups (
     scope TEXT COLLATE "C" NOT NULL,
     metric TEXT NOT NULL,
     month BIGINT NOT NULL,
     end_at BIGINT NOT NULL,
     days BIGINT NOT NULL,
     count BIGINT NOT NULL CHECK (count >= 0),
     valid BIGINT NOT NULL CHECK (valid >= 0),
     good BIGINT NOT NULL CHECK (good >= 0),
     fast BIGINT NOT NULL CHECK (fast >= 0),
     sketch BYTEA NOT NULL,
     PRIMARY KEY (scope, metric, month)
   );
   CREATE INDEX month_rollups_by_month ON ${schema}.month_rollups (month);
   CREATE TABLE ${schema}.month_folds (month BIGINT PRIMARY KEY, end_at BIGINT NOT NULL, stale BOOLEAN NOT NULL DEFAULT false);`,
  // Every day-tier scope's months, a site's with its hours with data (the pack's coverage).
  `ALTER TABLE ${schema}.month_rollups ADD COLUMN hours BYTEA NOT NULL DEFAULT '\\x';`,
  // Months folded by the month tier's first version (wards and access points only) have no rows of
  // sites or site applications: folded again where that loses nothing (their wards' days still kept,
  // or no month rows at all), so that a whole month read from its month rows has every scope's.
  `UPDATE ${schema}.month_folds SET stale = true
   WHERE NOT EXISTS (SELECT 1 FROM ${schema}.month_rollups m WHERE m.month = month_folds.month AND m.scope >= 'site:' AND m.scope < 'site;')
   AND (EXISTS (SELECT 1 FROM ${schema}.day_rollups d WHERE d.day >= month_folds.month AND d.day < month_folds.end_at AND ((d.scope >= 'ward:' AND d.scope < 'ward;') OR (d.scope >= 'ap:' AND d.scope < 'ap;')))
        OR NOT EXISTS (SELECT 1 FROM ${schema}.month_rollups m WHERE m.month = month_folds.month));`,
  // Where rollups were written lately (rollup-change-log.ts).
  // A write's row has min_start (its earliest window), a prune's deleted_before (its cut-off).
  `CREATE TABLE ${schema}.rollup_writes (written_at BIGINT NOT NULL, resolution TEXT NOT NULL, min_start BIGINT, deleted_before BIGINT);
   CREATE INDEX rollup_writes_by_time ON ${schema}.rollup_writes (written_at);`,
  // Each entry's id, so that a reader asking again leaves out the entries it has read (rollup-change-log.ts).
  `ALTER TABLE ${schema}.rollup_writes ADD COLUMN id BIGSERIAL;`,
];
