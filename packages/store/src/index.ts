// @wardwatch/store — rollup history: SQLite by default, PostgreSQL in production.
export * from './rollup-store.ts';
