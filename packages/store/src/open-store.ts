// Opens the store a URL names: sqlite:<path>, sqlite::memory:, or postgres://… (optional ?schema=).
import { PostgresRollupStore } from './postgres-store.ts';
import type { RollupStore } from './rollup-store.ts';
import type { AnnotationStore } from './annotation-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { ApiTokenStore } from './api-token-store.ts';
import type { SilenceStore } from './silence-store.ts';
import type { AssignmentStore } from './assignment-store.ts';
import type { AlertHistoryStore } from './alert-history-store.ts';
import type { DeviceDigestStore } from './device-digest-store.ts';
import type { DayRollupStore } from './day-rollup-store.ts';
import type { MonthRollupStore } from './month-rollup-store.ts';
import { SqliteRollupStore } from './sqlite-store.ts';

export async function openStore(url: string): Promise<RollupStore & AnnotationStore & AuditStore & ApiTokenStore & SilenceStore & AssignmentStore & AlertHistoryStore & DeviceDigestStore & DayRollupStore & MonthRollupStore> {
  const path = sqliteStorePath(url);
  if (path !== undefined) {
    if (path === '') throw new Error('store URL sqlite: needs a path, e.g. sqlite:.data/wardwatch.db or sqlite::memory:');
    return new SqliteRollupStore(path);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return PostgresRollupStore.open({ connectionString: parsed.toString(), schema });
  }
  throw new Error(`unsupported store URL "${storeUrlForDisplay(url)}": use sqlite:<path>, sqlite::memory: or postgres://user@host:port/database[?schema=name]`);
}

/** The file (or ":memory:") a sqlite: store URL names; undefined for any other URL. */
export function sqliteStorePath(url: string): string | undefined {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
}

/**
 * A store URL fit for a log line or a message: its password (postgres://user:secret@host/…, or a
 * `password=` parameter) replaced by `***`. A URL that does not parse is shown up to its `@`.
 */
export function storeUrlForDisplay(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const at = url.lastIndexOf('@');
    return at < 0 ? url : `***${url.slice(at)}`;
  }
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
  return parsed.toString().replaceAll('%2A%2A%2A', '***');
}
