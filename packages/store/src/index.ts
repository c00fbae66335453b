// @wardwatch/store — rollup history and processor checkpoints: SQLite by default, PostgreSQL in production.
export * from './rollup-store.ts';
export { openStore, sqliteStorePath, storeUrlForDisplay } from './open-store.ts';
export { hasRollupChangeLog, ROLLUP_CHANGES_KEPT_MS, ROLLUP_CHANGES_OVERLAP_MS, type RollupChangeLog, type RollupChanges } from './rollup-change-log.ts';
export { SqliteRollupStore } from './sqlite-store.ts';
export { backupSqliteStore, SqliteBackupError, type SqliteBackup } from './sqlite-backup.ts';
export { PostgresRollupStore, type PostgresStoreOptions } from './postgres-store.ts';
export type { AnnotationStore, AnnotationQuery } from './annotation-store.ts';
export type { AuditStore, AuditQuery } from './audit-store.ts';
export type { ApiTokenStore } from './api-token-store.ts';
export type { SilenceStore } from './silence-store.ts';
export type { AssignmentStore, StoredAssignment } from './assignment-store.ts';
export type { AlertHistoryStore, AlertHistoryQuery } from './alert-history-store.ts';
export { FOLD_BATCH_DEVICES, type DeviceDigestStore, type DeviceDigestRow, type DeviceFold } from './device-digest-store.ts';
export { isDayScope, type DayRollupStore, type DayRollupRecord, type DayRollupQuery, type DayFoldState, type DayFold } from './day-rollup-store.ts';
export { isMonthScope, TIER_RETENTION_MS, type MonthRollupStore, type MonthRollupRecord, type MonthRollupQuery, type MonthFoldState, type MonthFold, type FoldedMonth, type TierRetention } from './month-rollup-store.ts';
